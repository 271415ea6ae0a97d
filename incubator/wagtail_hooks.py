from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from core.choosers import GuardedChooserViewSet
from core.views import ImportView
from core.viewsets import HistorySnippetViewSet
from incubator.assessments import LOG_ACTION as ASSESSMENT_LOG_ACTION
from incubator.filters import OrganizationFilterSet
from incubator.imports.organizations import EXPORT_FIELDS
from incubator.models import Organization, ServiceField, Stage
from incubator.permissions import bases_visible_to
from incubator.stages import LOG_ACTION as STAGE_LOG_ACTION
from incubator.views import AssessmentScoreView, BoardView, StageMoveView
from incubator.viewsets import IncubationGroup


class OrganizationIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("region__parent__parent")
            .prefetch_related("service_fields", "credit_entries")
        )

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("incubator.add_organization"):
            buttons.append(
                HeaderButton(
                    _("Import"),
                    url=reverse("incubator_organization_import"),
                    icon_name="upload",
                )
            )
        return buttons


class OrganizationViewSet(HistorySnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Social organizations")
    add_to_admin_menu = False
    index_view_class = OrganizationIndexView
    list_display = [
        "name",
        "uscc",
        "org_type",
        "registration_level",
        "region",
        "rating",
        "get_credit_status_display",
    ]
    list_per_page = 50
    filterset_class = OrganizationFilterSet
    search_fields = ["name", "uscc", "filing_number", "business_supervisor"]
    search_backend_name = None  # plain database search: no index to keep in step
    list_export = [field for field, _label in EXPORT_FIELDS]
    export_headings = dict(EXPORT_FIELDS)
    export_filename = "organizations"
    related_histories = ("inspections", "credit_entries")
    copy_view_enabled = False


class ServiceFieldViewSet(SnippetViewSet):
    model = ServiceField
    chooser_viewset_class = GuardedChooserViewSet
    icon = "tag"
    menu_label = _("Service fields")
    list_display = ["name", "sort_order"]


class RegistryGroup(SnippetViewSetGroup):
    items = (OrganizationViewSet, ServiceFieldViewSet)
    menu_icon = "group"
    menu_label = _("Organizations")
    menu_order = 200


register_snippet(RegistryGroup)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path(
            "organizations/import/",
            ImportView.as_view(kind="organizations"),
            name="incubator_organization_import",
        ),
    ]


@hooks.register("construct_homepage_panels")
def add_registry_summary(request, panels):
    if request.user.has_perm("incubator.view_organization"):
        from incubator.panels import RegistrySummaryPanel

        panels.append(RegistrySummaryPanel())


# --- incubation -----------------------------------------------------------------

register_snippet(IncubationGroup)


@hooks.register("register_admin_urls")
def register_incubation_urls():
    return [
        path(
            "incubation/residencies/import/",
            ImportView.as_view(kind="residencies"),
            name="incubator_residency_import",
        ),
        path(
            "incubation/residencies/<int:pk>/move/",
            StageMoveView.as_view(),
            name="incubator_residency_move",
        ),
        path(
            "incubation/assessments/<int:pk>/scores/",
            AssessmentScoreView.as_view(),
            name="incubator_assessment_score",
        ),
        path("incubation/board/", BoardView.as_view(), name="incubator_board"),
    ]


class BoardMenuItem(MenuItem):
    def is_shown(self, request):
        return bases_visible_to(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_board_menu_item():
    return BoardMenuItem(
        _("Incubation board"),
        reverse("incubator_board"),
        icon_name="view",
        order=211,
    )


class StageMoveFormatter(LogFormatter):
    label = _("Move residency stage")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        start = Stage(data["from"]).label if data.get("from") else "—"
        end = Stage(data["to"]).label if data.get("to") else "—"
        message = _("Stage moved: %(start)s → %(end)s") % {"start": start, "end": end}
        extra = "；".join(p for p in (data.get("reason"), data.get("note")) if p)
        return f"{message}（{extra}）" if extra else message


class AssessmentConcludedFormatter(LogFormatter):
    label = _("Conclude graduation assessment")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        outcome = _("passed") if data.get("passed") else _("not passed")
        return _("Graduation assessment concluded: %(result)s, %(outcome)s") % {
            "result": data.get("result", "—"),
            "outcome": outcome,
        }


@hooks.register("register_log_actions")
def register_incubation_log_actions(actions):
    actions.register_action(STAGE_LOG_ACTION)(StageMoveFormatter)
    actions.register_action(ASSESSMENT_LOG_ACTION)(AssessmentConcludedFormatter)
