"""Admin listings of pairings (scoped to the user's pairings), alliances and
villages."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from core import choosers
from core.imports import export_value
from core.viewsets import HistorySnippetViewSet, ScopedViewSet
from projects.filters import PairingFilterSet
from projects.forms import PairingForm
from projects.imports.pairings import EXPORT_FIELDS
from projects.models import Alliance, Pairing, Village
from projects.permissions import pairings_visible_to
from projects.selectors.places import villages_matching


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

    def to_row_dict(self, item):
        """Each export column read as the import compares it (`export_value`): a
        pairing without an alliance or village gives an empty cell."""
        return {field: export_value(item, field) for field in self.list_export}

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("projects.add_pairing"):
            buttons.append(
                HeaderButton(
                    _("Import"),
                    url=reverse("projects_pairing_import"),
                    icon_name="upload",
                )
            )
        return buttons


class PairingViewSet(ScopedViewSet):
    """Pairings; a coordinator sees only the ones they coordinate."""

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
        Column(
            "start_date",
            label=_("Start date"),
            accessor="get_start_date_display",
            sort_key="start_date",
        ),
        "end_date",
    ]
    filterset_class = PairingFilterSet
    search_fields = ["organization__name", "county__name", "agreement_number"]
    edit_handler = ObjectList(Pairing.panels, base_form_class=PairingForm)
    # The import's columns: an exported file can be edited and imported again.
    list_export = [field for field, _label in EXPORT_FIELDS]
    export_headings = dict(EXPORT_FIELDS)
    export_filename = "pairings"

    def visible_to(self, user):
        return Pairing.objects.filter(pk__in=pairings_visible_to(user).values("pk"))


class AllianceViewSet(HistorySnippetViewSet):
    model = Alliance
    icon = "group"
    menu_label = _("Alliances")
    list_display = ["name", "county", "lead_organization", "formed_on"]
    search_fields = ["name", "county__name"]
    search_backend_name = None
    copy_view_enabled = False


class VillageSearchForm(BaseFilterForm):
    """The village chooser's search box: a name (village, town or county) or the
    start of a code (`villages_matching`)."""

    q = forms.CharField(
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"placeholder": _("Village, town or county name, or a code")}
        ),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        text = self.cleaned_data.get("q")
        if text:
            self.is_searching = True
            self.search_query = text
            objects = villages_matching(objects, text)
        return objects


class VillageChooserColumns:
    """The chooser lists each village with its code, so two of the same name (in
    two towns) are told apart."""

    @property
    def title_column(self):
        column = super().title_column
        column.label = _("village")
        return column

    @property
    def columns(self):
        return [*super().columns, Column("code", label=_("village code"))]

    def get_object_list(self):
        return super().get_object_list().select_related("county")


class VillageChooseView(VillageChooserColumns, choosers.GuardedChooseView):
    filter_form_class = VillageSearchForm


class VillageChooseResultsView(
    VillageChooserColumns, choosers.GuardedChooseResultsView
):
    filter_form_class = VillageSearchForm


class VillageChooserViewSet(choosers.GuardedChooserViewSet):
    """The village chooser, searchable: the whole country has 620,573 villages."""

    choose_view_class = VillageChooseView
    choose_results_view_class = VillageChooseResultsView


class VillageIndexView(snippet_views.IndexView):
    """The village listing: searched by `villages_matching` (a code's start or a
    name), counties fetched with the page."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("county")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return villages_matching(queryset, self.search_query)


class VillageViewSet(SnippetViewSet):
    model = Village
    chooser_viewset_class = VillageChooserViewSet
    index_view_class = VillageIndexView
    icon = "home"
    menu_label = _("Villages")
    list_display = ["name", "town", "county", "code"]
    search_fields = ["name", "town", "county__name", "code"]
    search_backend_name = None
    copy_view_enabled = False
