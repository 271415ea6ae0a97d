"""我的机构 → 成效报告: an organization user's outcome reports for its own
revitalization projects (the projects of its organization's pairings).

- `PortalReportIndexView`: the organization's projects, each with its reports
  (period, status, the coordinator's reason for a returned one);
- `PortalReportCreateView`: a new draft for a period of one project;
- `PortalReportView`: one report — while a draft or returned, its targets and
  actuals per indicator, evidence files, save draft and submit; otherwise read-only;
- `PortalEvidenceFileView`: an evidence file of one of its reports.

Every screen looks its records up within the user's organization (`PortalMixin`):
another organization's id answers 404. The writes are
`projects.services.organization_reports` and `report_submit`; approving and
returning stay with the coordinator's review screen.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.uploads import file_response
from incubator.views.portal_base import PortalMixin
from projects.errors import ProjectsError
from projects.forms import (
    PortalEvidenceForm,
    PortalLineForm,
    PortalReportCreateForm,
    PortalReportForm,
)
from projects.models import Indicator, OutcomeEvidence, OutcomeReport
from projects.permissions import projects_of_organization, reports_of_organization
from projects.selectors.reports import indicators_addable, report_missing_evidence
from projects.services.organization_reports import (
    report_draft_create,
    report_evidence_add,
    report_evidence_remove,
    report_lines_save,
)
from projects.services.reports import report_submit


class PortalBase(PortalMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("projects_portal_reports"),
                "label": pgettext("organization portal", "Outcome reports"),
            }
        ]


class PortalReportIndexView(PortalBase):
    """The organization's projects and their reports, newest period first."""

    template_name = "projects/portal_reports.html"
    page_title = pgettext_lazy("organization portal", "Outcome reports")

    def get_page_subtitle(self):
        return self.organization.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": "", "label": pgettext("organization portal", "Outcome reports")}
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reports = OutcomeReport.objects.order_by("-end_date").select_related(
            "submitted_by", "decided_by"
        )
        context["projects"] = (
            projects_of_organization(self.organization)
            .select_related("pairing__county", "pairing__village")
            .prefetch_related(Prefetch("reports", queryset=reports))
            .order_by("title")
        )
        return context


class PortalReportCreateView(PortalBase):
    """A new draft report of one of the organization's projects."""

    template_name = "projects/portal_report_create.html"
    page_title = gettext_lazy("New outcome report")

    def get_project(self):
        return get_object_or_404(
            projects_of_organization(self.organization), pk=self.kwargs["pk"]
        )

    def get_page_subtitle(self):
        return str(self.project)

    def get(self, request, *args, **kwargs):
        self.project = self.get_project()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        context.setdefault("form", kwargs.get("form") or PortalReportCreateForm())
        return context

    def post(self, request, *args, **kwargs):
        self.project = self.get_project()
        form = PortalReportCreateForm(request.POST)
        if form.is_valid():
            try:
                report = report_draft_create(
                    project=self.project,
                    user=request.user,
                    organization=self.organization,
                    year=form.cleaned_data["year"],
                    number=form.cleaned_data["number"],
                    note=form.cleaned_data["note"],
                )
            except ProjectsError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The draft report was created."))
                return redirect("projects_portal_report", pk=report.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PortalReportView(PortalBase):
    """One report of the organization: its figures and evidence, editable while a
    draft or returned (save draft, submit), read-only once submitted."""

    template_name = "projects/portal_report.html"
    page_title = gettext_lazy("Outcome report")

    def get_report(self):
        return get_object_or_404(
            reports_of_organization(self.organization).select_related(
                "project__pairing", "created_by", "submitted_by", "decided_by"
            ),
            pk=self.kwargs["pk"],
        )

    def get_page_subtitle(self):
        return str(self.report)

    def forms(self, data=None, files=None):
        report = self.report
        lines = list(report.lines.select_related("indicator").order_by("indicator"))
        line_forms = [
            PortalLineForm(
                data,
                line=line,
                prefix=f"line-{line.indicator_id}",
                initial={
                    "target": line.target,
                    "actual": line.actual,
                    "numerator": line.numerator,
                    "denominator": line.denominator,
                    "note": line.note,
                },
            )
            for line in lines
        ]
        report_form = PortalReportForm(
            data,
            initial={"note": report.note},
            indicators=indicators_addable(report),
            evidence=report.evidence.all(),
        )
        evidence_form = PortalEvidenceForm(
            data,
            files,
            indicators=Indicator.objects.filter(
                pk__in=[line.indicator_id for line in lines]
            ),
        )
        return line_forms, report_form, evidence_form

    def get(self, request, *args, **kwargs):
        self.report = self.get_report()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        if "line_forms" not in kwargs:
            line_forms, report_form, evidence_form = self.forms()
            context.update(
                line_forms=line_forms,
                report_form=report_form,
                evidence_form=evidence_form,
            )
        context.update(
            report=report,
            lines=report.lines.select_related("indicator").order_by("indicator"),
            evidence=report.evidence.select_related("indicator"),
            missing=report_missing_evidence(report) if report.is_editable else [],
            editable=report.is_editable,
        )
        return context

    def post(self, request, *args, **kwargs):
        self.report = self.get_report()
        if not self.report.is_editable:
            messages.error(
                request,
                _("A report that is “%(status)s” can no longer be changed.")
                % {"status": self.report.get_status_display()},
            )
            return redirect("projects_portal_report", pk=self.report.pk)
        line_forms, report_form, evidence_form = self.forms(request.POST, request.FILES)
        valid = all(
            [f.is_valid() for f in line_forms]
            + [report_form.is_valid(), evidence_form.is_valid()]
        )
        if valid:
            try:
                self._save(request, line_forms, report_form, evidence_form)
            except ProjectsError as exc:
                if not evidence_form.errors:
                    report_form.add_error(None, exc.messages)
            else:
                return redirect("projects_portal_report", pk=self.report.pk)
        messages.error(request, _("Correct the errors below."))
        return self.render_to_response(
            self.get_context_data(
                line_forms=line_forms,
                report_form=report_form,
                evidence_form=evidence_form,
            ),
            status=400,
        )

    def _save(self, request, line_forms, report_form, evidence_form):
        user, report = request.user, self.report
        report_lines_save(
            report,
            user=user,
            note=report_form.cleaned_data["note"],
            lines={f.indicator: f.cleaned_data for f in line_forms},
            add_indicator=report_form.cleaned_data["add_indicator"],
        )
        data = evidence_form.cleaned_data
        if data.get("file"):
            try:
                report_evidence_add(
                    report,
                    user=user,
                    title=data["title"],
                    kind=data["kind"],
                    file=data["file"],
                    indicator=data["indicator"],
                )
            except ProjectsError as exc:
                evidence_form.add_error("file", exc.messages)
                raise
        for remove in request.POST.getlist("remove_evidence"):
            if remove.isdigit() and len(remove) < 16:
                report_evidence_remove(report, user=user, evidence_id=int(remove))
                messages.success(request, _("The file was removed."))
        if request.POST.get("action") != "submit":
            messages.success(request, _("The draft was saved."))
            return
        try:
            report_submit(report, user=user)
        except ProjectsError as exc:
            # the figures are saved; only the submission waits
            messages.error(
                request,
                _("The draft was saved but not submitted: %(reason)s")
                % {"reason": " ".join(exc.messages)},
            )
        else:
            messages.success(
                request,
                _(
                    "The report was submitted: the coordinator will approve or return it."
                ),
            )


class PortalEvidenceFileView(PortalMixin, View):
    """An evidence file of one of the organization's reports; any other is 404."""

    def get(self, request, pk):
        evidence = get_object_or_404(
            OutcomeEvidence.objects.filter(
                report__in=reports_of_organization(self.organization)
            ),
            pk=pk,
        )
        return file_response(evidence.file)
