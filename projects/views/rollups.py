"""The roll-up screen of official figures, and its menu item."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.forms import FilterForm
from projects.selectors.rollups import (
    DIMENSIONS,
    PAGED_DIMENSIONS,
    headline,
    rollup,
    rollups,
    year_chosen,
)


class RollupView(WagtailAdminTemplateMixin, TemplateView):
    """Official figures by county, organization, alliance, fund or year; pending ones
    beside them; a chart and an Excel export of the same numbers."""

    template_name = "projects/rollup.html"
    header_icon = "table"
    page_title = gettext_lazy("Rural revitalization figures")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("projects.view_outcomereport"):
            raise PermissionDenied
        self.dimension = request.GET.get("by", "county")
        if self.dimension not in DIMENSIONS:
            self.dimension = "county"
        self.year = year_chosen(request.GET.get("year"))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            official = rollup(self.dimension, user=request.user, year=self.year)
            response = HttpResponse(
                official.to_excel(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            name = f"rollup-{self.dimension}-{self.year or 'all'}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # by organization or alliance one page of rows (by name); the total
        # covers all
        page = self.request.GET.get("page") or 1
        if self.dimension not in PAGED_DIMENSIONS:
            page = None
        official, pending = rollups(
            self.dimension, user=user, year=self.year, page=page
        )
        indicators = official.indicators
        chart_code = self.request.GET.get("chart")
        chart_indicator = next(
            (i for i in indicators if i.code == chart_code),
            indicators[0] if indicators else None,
        )
        chart = None
        if chart_indicator is not None:
            chart = {
                "title": str(chart_indicator),
                "actual_label": _("Actual"),
                "target_label": pgettext("outcome", "Target"),
                **official.series(chart_indicator),
            }
        this_year = datetime.date.today().year
        years = list(range(this_year, this_year - 8, -1))
        context.update(
            filters=FilterForm(
                fields=[
                    (
                        "by",
                        _("Roll up by"),
                        [(k, str(v)) for k, v in DIMENSIONS.items()],
                        self.dimension,
                    ),
                    (
                        "year",
                        _("Year"),
                        [("", _("All years"))] + [(y, y) for y in years],
                        self.year or "",
                    ),
                    (
                        "chart",
                        _("Chart"),
                        [(i.code, str(i)) for i in indicators],
                        chart_indicator.code if chart_indicator else "",
                    ),
                ]
            ),
            dimension=self.dimension,
            year=self.year,
            official=official,
            pending=pending,
            has_pending=any(pending.total.get(i.code) for i in indicators),
            chart=chart,
            chart_indicator=chart_indicator,
            indicators=indicators,
            export_query=self._query(export="xlsx"),
        )
        if official.page is not None:
            number = official.page.number
            context.update(
                previous_query=self._query(page=number - 1),
                next_query=self._query(page=number + 1),
            )
        context["headline"] = headline(user, self.year)
        return context

    def _query(self, **extra):
        params = self.request.GET.copy()
        if "export" in extra:
            params.pop("page", None)  # the export covers every row
        for key, value in extra.items():
            params[key] = value
        return params.urlencode()


class RollupMenuItem(MenuItem):
    """Shown to those who may see outcome reports."""

    def is_shown(self, request):
        return request.user.has_perm("projects.view_outcomereport")
