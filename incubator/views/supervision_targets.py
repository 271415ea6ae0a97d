"""Targets (监督管理 → 工作目标): the board that computes every target live, and the
snippet viewset that sets them (registration officers and administrators set
them; fund managers read). Rules: `incubator.selectors.targets`."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import HeaderButton

from core.viewsets import HistorySnippetViewSet
from incubator.models import Target
from incubator.selectors.targets import targets_board
from incubator.views.screens import TitledMixin

VIEW_PERMISSION = "incubator.view_target"


class TargetViewSet(HistorySnippetViewSet):
    """Setting targets: listing, add/edit, history; the board shows their values."""

    model = Target
    icon = "crosshairs"
    menu_label = _("Targets")
    add_to_admin_menu = False
    # its menu item is in 监督管理 (SUPERVISION_MENU_HOOK): not in Wagtail's 片段 list
    menu_item_is_registered = True
    list_display = ["name", "department", "metric", "threshold", "deadline", "region"]
    list_filter = ["metric"]
    search_fields = ["name", "department"]
    search_backend_name = None
    copy_view_enabled = False


class TargetsBoardView(TitledMixin, TemplateView):
    """Every target with its current value, met or not, and its trend by year
    (chart and table)."""

    template_name = "incubator/targets_board.html"
    header_icon = "crosshairs"
    page_title = _("Targets")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def header_buttons(self):
        buttons = []
        if self.request.user.has_perm("incubator.add_target"):
            buttons.append(
                HeaderButton(
                    _("Add target"),
                    url=reverse("wagtailsnippets_incubator_target:add"),
                    icon_name="plus",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = targets_board(today)
        context.update(
            rows=rows,
            today=today,
            can_change=self.request.user.has_perm("incubator.change_target"),
            chart_data=_chart_data(rows),
        )
        return context


def _chart_data(rows):
    """Per target: years, values (%) and the threshold, for the ECharts script."""
    return {
        str(row["target"].pk): {
            "years": [str(p.year) for p in row["trend"]],
            "values": [
                float(p.value) if p.value is not None else None for p in row["trend"]
            ],
            "threshold": float(row["target"].threshold),
            "threshold_label": str(_("Threshold")),
            "value_label": str(_("Value (%)")),
        }
        for row in rows
    }


class TargetsMenuItem(MenuItem):
    """监督管理 → 工作目标, for whoever may read targets."""

    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)
