"""Admin viewsets of the organization registry: organizations and service fields."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.snippets.views.snippets import (
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from core.choosers import GuardedChooserViewSet
from core.viewsets import (
    SEARCH_RESULTS_TEMPLATE,
    HistorySnippetViewSet,
    PlainCellsIndexMixin,
    SubstringSearchIndexMixin,
)
from incubator.filters import OrganizationFilterSet
from incubator.imports.organizations import EXPORT_FIELDS
from incubator.models import Organization, ServiceField
from incubator.permissions import (
    invites_every_organization,
    organizations_invitable_by,
    residencies_visible_to,
)


class OrganizationIndexView(SubstringSearchIndexMixin, PlainCellsIndexMixin, IndexView):
    def get_base_queryset(self):
        # the latest residency the user may see, for the "Residency page" button
        latest = (
            residencies_visible_to(self.request.user)
            .filter(organization=OuterRef("pk"))
            .order_by("-applied_on", "-pk")
            .values("pk")[:1]
        )
        return (
            super()
            .get_base_queryset()
            .select_related("region__parent__parent")
            .prefetch_related("service_fields", "credit_entries")
            .annotate(visible_residency=Subquery(latest))
        )

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, paged = super().paginate_queryset(
            queryset, page_size
        )
        # The rows of this page (the page's queryset keeps them for the table).
        self._page_pks = [org.pk for org in object_list]
        return paginator, page, object_list, paged

    def invitable_ids(self):
        """The organizations of this page whose people the user may invite: one
        query over the page's rows, never over the registry (a million rows);
        none for a user who may invite every organization (each row of the page
        is one)."""
        if not hasattr(self, "_invitable_ids"):
            page_pks = getattr(self, "_page_pks", [])
            if invites_every_organization(self.request.user):
                self._invitable_ids = set(page_pks)
                return self._invitable_ids
            self._invitable_ids = set(
                organizations_invitable_by(self.request.user)
                .filter(pk__in=page_pks)
                .values_list("pk", flat=True)
            )
        return self._invitable_ids

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.pk in self.invitable_ids():
            buttons.append(
                Button(
                    _("Invite an organization user"),
                    url=self.row_url("incubator_invite", instance.pk),
                    icon_name="mail",
                    priority=16,
                )
            )
        if getattr(instance, "visible_residency", None):
            buttons.append(
                Button(
                    _("Residency page"),
                    url=self.row_url(
                        "incubator_residency_page", instance.visible_residency
                    ),
                    icon_name="home",
                    priority=15,
                )
            )
        return buttons

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
    """The organization registry: listing, filters, Excel export, history."""

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
    # searched by substring through core.search (FTS5 / pg_trgm indexes)
    search_fields = ["name", "uscc", "filing_number", "business_supervisor"]
    search_backend_name = None
    index_results_template_name = SEARCH_RESULTS_TEMPLATE
    list_export = [field for field, _label in EXPORT_FIELDS]
    export_headings = dict(EXPORT_FIELDS)
    export_filename = "organizations"
    related_histories = ("inspections", "credit_entries")
    copy_view_enabled = False


class ServiceFieldViewSet(SnippetViewSet):
    """Service fields 服务领域, the tags of the registry."""

    model = ServiceField
    chooser_viewset_class = GuardedChooserViewSet
    icon = "tag"
    menu_label = _("Service fields")
    list_display = ["name", "sort_order"]


class RegistryGroup(SnippetViewSetGroup):
    """The admin menu 社会组织: organizations and service fields."""

    items = (OrganizationViewSet, ServiceFieldViewSet)
    menu_icon = "group"
    menu_label = _("Organizations")
    menu_order = 200
