from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from core.views import ImportView
from core.viewsets import HistorySnippetViewSet
from incubator.filters import OrganizationFilterSet
from incubator.models import Organization, ServiceField
from incubator.organization_columns import EXPORT_FIELDS


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
