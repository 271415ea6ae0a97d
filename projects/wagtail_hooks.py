"""Admin for rural revitalization. Coordinators see only the pairings they
coordinate, and the projects and reports under them: every listing, edit, delete,
history and inspect screen is scoped on the server."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core import choosers
from core.views import ChangeHistoryView, ImportView
from core.viewsets import HistorySnippetViewSet
from projects.filters import OutcomeReportFilterSet, PairingFilterSet, ProjectFilterSet
from projects.forms import IndicatorForm, OutcomeReportForm, PairingForm, ProjectForm
from projects.models import (
    Alliance,
    Indicator,
    OutcomeReport,
    Pairing,
    Project,
    Village,
)
from projects.views import (
    EvidenceFileView,
    PrivateFileView,
    ReportReviewView,
    RollupView,
)


def _scope(model, queryset, user):
    if model is Pairing:
        return queryset.filter(pk__in=Pairing.objects.for_user(user).values("pk"))
    if model is Project:
        return queryset.filter(pairing__in=Pairing.objects.for_user(user))
    if model is OutcomeReport:
        return queryset.filter(project__pairing__in=Pairing.objects.for_user(user))
    return queryset


def _check_object(view, obj):
    if not _scope(
        type(obj), type(obj)._default_manager.filter(pk=obj.pk), view.request.user
    ).exists():
        raise PermissionDenied
    return obj


class ScopedEditView(snippet_views.EditView):
    def get_object(self, queryset=None):
        return _check_object(self, super().get_object(queryset))


class ScopedDeleteView(snippet_views.DeleteView):
    def get_object(self, queryset=None):
        return _check_object(self, super().get_object(queryset))


class ScopedUsageView(snippet_views.UsageView):
    def get_object(self):
        return _check_object(self, super().get_object())


class ScopedInspectView(snippet_views.InspectView):
    def get_object(self, queryset=None):
        return _check_object(self, super().get_object(queryset))


class ScopedHistoryView(ChangeHistoryView):
    def get_object(self):
        return _check_object(self, super().get_object())


class ScopedViewSet(HistorySnippetViewSet):
    """Coordinators see their own pairings' records. The scope is the viewset's
    queryset, which the guarded choosers (`core.choosers`) apply too."""

    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    usage_view_class = ScopedUsageView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    copy_view_enabled = False
    search_backend_name = None

    def get_queryset(self, request):
        return _scope(self.model, self.model._default_manager.all(), request.user)


class PairingIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related(
                "organization__region",
                "county__parent__parent",
                "village__county",
                "alliance",
            )
        )


class PairingViewSet(ScopedViewSet):
    model = Pairing
    icon = "link"
    menu_label = _("Pairings")
    index_view_class = PairingIndexView
    list_display = [
        "organization",
        "county",
        "village",
        "alliance",
        BooleanColumn("is_cross_province", label=_("cross-province")),
        "start_date",
        "end_date",
    ]
    filterset_class = PairingFilterSet
    search_fields = ["organization__name", "county__name", "agreement_number"]
    edit_handler = ObjectList(Pairing.panels, base_form_class=PairingForm)
    list_export = [
        "organization",
        "county",
        "village",
        "alliance",
        "start_date",
        "end_date",
        "agreement_number",
    ]
    export_headings = {
        "organization": _("Organization"),
        "county": _("county"),
        "village": _("Village"),
        "alliance": _("Alliance"),
        "start_date": _("Start date"),
        "end_date": _("End date"),
        "agreement_number": _("Agreement number"),
    }
    export_filename = "pairings"


class ProjectIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related(
                "pairing__organization",
                "pairing__county__parent__parent",
                "pairing__village__county",
            )
        )


class ProjectViewSet(ScopedViewSet):
    model = Project
    icon = "clipboard-list"
    menu_label = _("Revitalization projects")
    index_view_class = ProjectIndexView
    list_display = ["title", "category", "pairing", "budget", "status", "start_date"]
    filterset_class = ProjectFilterSet
    search_fields = ["title", "pairing__organization__name", "pairing__county__name"]
    edit_handler = ObjectList(Project.panels, base_form_class=ProjectForm)
    related_histories = ("funding_links",)
    list_export = [
        "title",
        "category",
        "pairing",
        "budget",
        "status",
        "start_date",
        "end_date",
    ]
    export_headings = {
        "title": _("Title"),
        "category": _("Category"),
        "pairing": _("Pairing"),
        "budget": _("Budget (yuan)"),
        "status": _("Status"),
        "start_date": _("Start date"),
        "end_date": _("End date"),
    }
    export_filename = "projects"


class ReportIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("project", "created_by", "decided_by")
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


class ReportEditView(ScopedEditView):
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.object.is_editable:
            from django.shortcuts import redirect

            return redirect("projects_report_review", pk=self.object.pk)
        return super().get(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("projects_report_review", args=[self.object.pk])


class ReportCreateView(snippet_views.CreateView):
    def get_success_url(self):
        return reverse("projects_report_review", args=[self.object.pk])


class OutcomeReportViewSet(ScopedViewSet):
    model = OutcomeReport
    icon = "tasks"
    menu_label = _("Outcome reports")
    index_view_class = ReportIndexView
    edit_view_class = ReportEditView
    add_view_class = ReportCreateView
    list_display = [
        "project",
        Column("period_label", label=_("Period")),
        "status",
        "created_by",
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


class AllianceViewSet(HistorySnippetViewSet):
    model = Alliance
    icon = "group"
    menu_label = _("Alliances")
    list_display = ["name", "county", "lead_organization", "formed_on"]
    search_fields = ["name", "county__name"]
    search_backend_name = None
    copy_view_enabled = False


class VillageViewSet(SnippetViewSet):
    model = Village
    chooser_viewset_class = choosers.GuardedChooserViewSet
    icon = "home"
    menu_label = _("Villages")
    list_display = ["name", "town", "county"]
    search_fields = ["name", "town", "county__name"]
    search_backend_name = None
    copy_view_enabled = False


class IndicatorViewSet(HistorySnippetViewSet):
    model = Indicator
    icon = "order"
    menu_label = _("Indicator catalogue")
    list_display = ["name", "code", "unit", "aggregation", "evidence_kind", "is_active"]
    list_filter = ["aggregation", "is_active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in (
                "code",
                "name",
                "unit",
                "aggregation",
                "group",
                "evidence_kind",
                "evidence_note",
                "description",
                "sort_order",
                "is_active",
            )
        ],
        base_form_class=IndicatorForm,
    )


class RevitalizationGroup(SnippetViewSetGroup):
    items = (
        PairingViewSet,
        AllianceViewSet,
        VillageViewSet,
        ProjectViewSet,
        OutcomeReportViewSet,
        IndicatorViewSet,
    )
    menu_icon = "site"
    menu_label = _("Rural revitalization")
    menu_order = 400


register_snippet(RevitalizationGroup)


class PendingReportsPanel(Component):
    """Dashboard: reports waiting for this user's decision, and their own returned ones."""

    name = "projects_pending_reports"
    template_name = "projects/pending_reports_panel.html"
    order = 150

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        reports = OutcomeReport.objects.for_user(self.user).select_related("project")
        to_decide = reports.filter(status="submitted").exclude(created_by=self.user)
        returned = reports.filter(status="returned", created_by=self.user)
        return {
            "to_decide": to_decide[:10],
            "to_decide_count": to_decide.count(),
            "returned": returned[:10],
            "can_decide": self.user.has_perm("projects.approve_outcomereport"),
        }


@hooks.register("construct_homepage_panels")
def add_pending_reports_panel(request, panels):
    if request.user.has_perm("projects.view_outcomereport"):
        panels.append(PendingReportsPanel(request.user))


class RollupMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("projects.view_outcomereport")


@hooks.register("register_admin_menu_item")
def register_rollup_menu_item():
    return RollupMenuItem(
        _("Revitalization figures"),
        reverse("projects_rollup"),
        icon_name="table",
        order=410,
    )


@hooks.register("register_admin_urls")
def register_project_urls():
    return [
        path("projects/figures/", RollupView.as_view(), name="projects_rollup"),
        path(
            "projects/reports/<int:pk>/review/",
            ReportReviewView.as_view(),
            name="projects_report_review",
        ),
        path(
            "projects/evidence/<int:pk>/",
            EvidenceFileView.as_view(),
            name="projects_evidence_file",
        ),
        path(
            "projects/files/<path:name>",
            PrivateFileView.as_view(),
            name="projects_private_file",
        ),
        path(
            "projects/reports/import/",
            ImportView.as_view(kind="outcome_reports"),
            name="projects_report_import",
        ),
    ]


@hooks.register("register_log_actions")
def register_report_actions(actions):
    actions.register_action(
        "projects.report_submit",
        _("Submit outcome report"),
        _("Outcome report submitted"),
    )
    actions.register_action(
        "projects.report_approve",
        _("Approve outcome report"),
        _("Outcome report approved"),
    )
    actions.register_action(
        "projects.report_return",
        _("Return outcome report"),
        _("Outcome report returned for revision"),
    )
