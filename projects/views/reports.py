"""Outcome reports in the admin: the scoped listing and edit screens, the review
screen with its moves (submit, approve, return), and the dashboard panel."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.snippets.views import snippets as snippet_views

from core.imports import get_importer
from core.models import ImportJob
from core.tasks import import_job_create
from core.views import ImportView
from core.viewsets import ScopedViewSet
from projects.errors import ProjectsError
from projects.filters import OutcomeReportFilterSet
from projects.forms import OutcomeImportForm, OutcomeReportForm, ReturnForm
from projects.models import OutcomeReport
from projects.permissions import report_visible, reports_visible_to
from projects.selectors.reports import (
    report_missing_evidence,
    report_source_organization,
)
from projects.services.reports import report_approve, report_return, report_submit
from projects.services.rollup_totals import rollup_totals_apply


class ReportIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("project", "created_by", "submitted_by", "decided_by")
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.insert(
            0,
            ListingButton(
                pgettext_lazy("outcome report", "Review"),
                url=reverse("projects_report_review", args=[instance.pk]),
                icon_name="tasks",
                priority=5,
            ),
        )
        return buttons

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("projects.add_outcomereport"):
            buttons.append(
                HeaderButton(
                    _("Import"),
                    url=reverse("projects_report_import"),
                    icon_name="upload",
                )
            )
        return buttons


class ReportEditView(snippet_views.EditView):
    """The edit screen of a draft or returned report; any other opens the review."""

    def save_instance(self):
        # inside the view's transaction: the lines and the totals change together;
        # a report moved to another project takes its figures out of the old one
        stored = list(
            OutcomeReport.objects.filter(pk=self.object.pk).values_list(
                "project_id", flat=True
            )
        )
        report = super().save_instance()
        rollup_totals_apply(report=report, projects=stored)
        return report

    def get(self, request, *args, **kwargs):
        if not self.object.is_editable:
            return redirect("projects_report_review", pk=self.object.pk)
        return super().get(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("projects_report_review", args=[self.object.pk])


class ReportCreateView(snippet_views.CreateView):
    def save_instance(self):
        # inside the view's transaction: the lines and the totals change together
        report = super().save_instance()
        rollup_totals_apply(report=report)
        return report

    def get_success_url(self):
        return reverse("projects_report_review", args=[self.object.pk])


class OutcomeReportViewSet(ScopedViewSet):
    """Outcome reports under the user's pairings; edit and add lead to the review."""

    model = OutcomeReport
    icon = "tasks"
    menu_label = _("Outcome reports")
    index_view_class = ReportIndexView
    scoped_edit_view_class = ReportEditView
    add_view_class = ReportCreateView
    list_display = [
        "project",
        Column("period_label", label=_("Period")),
        "status",
        "created_by",
        "submitted_by",
        "decided_by",
    ]
    filterset_class = OutcomeReportFilterSet
    search_fields = ["project__title"]
    edit_handler = ObjectList(OutcomeReport.panels, base_form_class=OutcomeReportForm)
    related_histories = ("lines", "evidence")
    list_export = ["project", "period_label", "status", "created_by", "decided_by"]
    export_headings = {
        "project": _("Project"),
        "period_label": _("Period"),
        "status": _("Status"),
        "created_by": _("Author"),
        "decided_by": _("Approved or returned by"),
    }
    export_filename = "outcome-reports"

    def visible_to(self, user):
        return reports_visible_to(user)


def visible_report(request, pk):
    """The report `pk` for this request: 403 without the view permission, 404 when
    it does not exist or lies outside the user's pairings."""
    if not request.user.has_perm("projects.view_outcomereport"):
        raise PermissionDenied
    report = get_object_or_404(
        OutcomeReport.objects.select_related("project__pairing", "created_by"), pk=pk
    )
    if not report_visible(request.user, report):
        raise Http404
    return report


class ReportReviewView(WagtailAdminTemplateMixin, TemplateView):
    """One report with its targets, actuals and evidence, and the moves it allows."""

    template_name = "projects/report_review.html"
    header_icon = "tasks"
    page_title = gettext_lazy("Outcome report")

    def dispatch(self, request, *args, **kwargs):
        self.report = visible_report(request, kwargs["pk"])
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
            from_organization=report_source_organization(report),
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


class OutcomeReportImportView(ImportView):
    """The outcome report upload; a user who may approve reports may tick “import
    as approved”, which runs the file as the approved kind
    (`ApprovedOutcomeReportImporter`)."""

    kind = "outcome_reports"
    form_class = OutcomeImportForm
    approved_kind = "outcome_reports_approved"

    def may_approve(self):
        return self.request.user.has_perms(
            get_importer(self.approved_kind).permissions_required
        )

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.may_approve():
            del form.fields["approve"]
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_jobs"] = ImportJob.objects.filter(
            kind__in=[self.kind, self.approved_kind], created_by=self.request.user
        )[:10]
        return context

    def form_valid(self, form):
        approve = form.cleaned_data.get("approve") and self.may_approve()
        job = import_job_create(
            kind=self.approved_kind if approve else self.kind,
            uploaded_file=form.cleaned_data["file"],
            user=self.request.user,
        )
        return redirect("core_import_job", pk=job.pk)
