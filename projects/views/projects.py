"""Admin listing of revitalization projects, scoped to the user's pairings."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views import snippets as snippet_views

from core.imports import export_value
from core.viewsets import ScopedViewSet, money_column
from projects.filters import ProjectFilterSet
from projects.forms import ProjectForm
from projects.imports.projects import EXPORT_FIELDS
from projects.models import Project
from projects.permissions import projects_visible_to


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
            # the export's 资金来源 column
            .prefetch_related("funding_links")
        )

    def to_row_dict(self, item):
        """Each export column read as the import compares it (`export_value`): a
        pairing without an alliance or village gives an empty cell."""
        return {field: export_value(item, field) for field in self.list_export}

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("projects.add_project"):
            buttons.append(
                HeaderButton(
                    _("Import"),
                    url=reverse("projects_project_import"),
                    icon_name="upload",
                )
            )
        return buttons


class ProjectViewSet(ScopedViewSet):
    """Projects under the user's pairings, with their funding links."""

    model = Project
    icon = "clipboard-list"
    menu_label = _("Revitalization projects")
    index_view_class = ProjectIndexView
    list_display = [
        "title",
        "category",
        "pairing",
        money_column(Project, "budget"),
        "status",
        Column(
            "start_date",
            label=_("Start date"),
            accessor="get_start_date_display",
            sort_key="start_date",
        ),
    ]
    filterset_class = ProjectFilterSet
    search_fields = ["title", "pairing__organization__name", "pairing__county__name"]
    edit_handler = ObjectList(Project.panels, base_form_class=ProjectForm)
    related_histories = ("funding_links",)
    # The import's columns: an exported file can be edited and imported again.
    list_export = [field for field, _label in EXPORT_FIELDS]
    export_headings = dict(EXPORT_FIELDS)
    export_filename = "projects"

    def visible_to(self, user):
        return projects_visible_to(user)
