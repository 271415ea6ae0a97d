"""Admin screens of rural revitalization beyond the generic listings: the review of
an outcome report, evidence downloads, and the roll-ups."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.uploads import file_response
from projects.forms import ReturnForm
from projects.models import OutcomeEvidence, OutcomeReport, Pairing
from projects.rollups import DIMENSIONS, headline, rollup
from projects.services import ProjectsError
from projects.services.reports import (
    evidence_public,
    pairing_visible,
    report_approve,
    report_missing_evidence,
    report_return,
    report_submit,
    report_visible,
)


def _visible_report(request, pk):
    if not request.user.has_perm("projects.view_outcomereport"):
        raise PermissionDenied
    report = get_object_or_404(
        OutcomeReport.objects.select_related("project__pairing", "created_by"), pk=pk
    )
    if not report_visible(request.user, report):
        raise PermissionDenied
    return report


class ReportReviewView(WagtailAdminTemplateMixin, TemplateView):
    """One report with its targets, actuals and evidence, and the moves it allows."""

    template_name = "projects/report_review.html"
    header_icon = "tasks"
    page_title = gettext_lazy("Outcome report")

    def dispatch(self, request, *args, **kwargs):
        self.report = _visible_report(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.report)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("wagtailsnippets_projects_outcomereport:list"),
                "label": OutcomeReport._meta.verbose_name_plural,
            },
            {"url": "", "label": str(self.report)},
        ]

    def can_decide(self):
        user = self.request.user
        return (
            self.report.status == "submitted"
            and user.has_perm("projects.approve_outcomereport")
            and self.report.created_by_id != user.pk
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context.update(
            report=report,
            lines=report.lines.select_related("indicator"),
            evidence=report.evidence.select_related("indicator"),
            missing=report_missing_evidence(report) if report.is_editable else [],
            can_submit=report.is_editable
            and self.request.user.has_perm("projects.change_outcomereport"),
            can_edit=report.is_editable
            and self.request.user.has_perm("projects.change_outcomereport"),
            can_decide=self.can_decide(),
            is_author=report.created_by_id == self.request.user.pk,
            return_form=kwargs.get("return_form") or ReturnForm(),
            edit_url=reverse(
                "wagtailsnippets_projects_outcomereport:edit", args=[report.pk]
            ),
            history_url=reverse(
                "wagtailsnippets_projects_outcomereport:history", args=[report.pk]
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "submit":
                if not request.user.has_perm("projects.change_outcomereport"):
                    raise PermissionDenied
                report_submit(self.report, user=request.user)
                messages.success(request, _("The report was submitted for approval."))
            elif action == "approve":
                report_approve(self.report, user=request.user)
                messages.success(request, _("The report was approved."))
            elif action == "return":
                form = ReturnForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(return_form=form)
                    )
                report_return(
                    self.report, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The report was returned for revision."))
            else:
                raise Http404
        except ProjectsError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("projects_report_review", pk=self.report.pk)


class PrivateFileView(View):
    """Any private file (evidence or pairing agreement) by its stored name, for
    users who may see the report or pairing it belongs to."""

    def get(self, request, name):
        evidence = OutcomeEvidence.objects.filter(file=name).first()
        if evidence is not None:
            _visible_report(request, evidence.report_id)
            stored = evidence.file
        else:
            pairing = get_object_or_404(Pairing, agreement=name)
            if not request.user.has_perm(
                "projects.view_pairing"
            ) or not pairing_visible(request.user, pairing):
                raise PermissionDenied
            stored = pairing.agreement
        return file_response(stored)


class EvidenceFileView(View):
    """Evidence files are private: only users who may see the report get them."""

    def get(self, request, pk):
        evidence = get_object_or_404(OutcomeEvidence, pk=pk)
        _visible_report(request, evidence.report_id)
        return file_response(evidence.file)


class PublicEvidenceFileView(View):
    """The public may download evidence marked public once its report is approved
    (projects.services.reports.evidence_public), and only that: any other file
    answers 404, as if it did not exist."""

    def get(self, request, pk):
        evidence = get_object_or_404(evidence_public(), pk=pk)
        return file_response(evidence.file)


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
        try:
            self.year = int(request.GET.get("year") or 0) or None
        except ValueError:
            self.year = None
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
        official = rollup(self.dimension, user=user, year=self.year)
        pending = rollup(self.dimension, user=user, year=self.year, official=False)
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
        context.update(
            dimensions=[(k, str(v)) for k, v in DIMENSIONS.items()],
            dimension=self.dimension,
            year=self.year,
            years=list(range(this_year, this_year - 8, -1)),
            official=official,
            pending=pending,
            has_pending=any(pending.total.get(i.code) for i in indicators),
            chart=chart,
            chart_indicator=chart_indicator,
            indicators=indicators,
            export_query=self._query(export="xlsx"),
            headline=headline(user),
        )
        return context

    def _query(self, **extra):
        params = self.request.GET.copy()
        for key, value in extra.items():
            params[key] = value
        return params.urlencode()
