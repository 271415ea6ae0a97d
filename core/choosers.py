"""Snippet choosers that answer only those who may see the model.

Wagtail's snippet chooser (the modal behind every foreign-key picker) lists, and
returns by id, any object of the model to anyone who can log in to the admin: a
reviewer could list every application, an operator another base's residents.
These views refuse a user with none of the add/change/delete/view permissions on
the model (page editors excepted for the models a page links to: a call page picks
its call), and narrow the list to the snippet viewset's `get_queryset(request)` —
the same scope as its listing.

Every chooser is searchable (`ChooserSearchForm`): by substring over the snippet
viewset's `chooser_search_fields` (else its `search_fields`) through
`core.search.text_filter`, inside that scope; the region chooser adds province and
prefecture steps (`RegionChooserViewSet`)."""

from functools import cache

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.snippets.views import chooser as chooser_views

from core.search import text_filter

ACTIONS = ["add", "change", "delete", "view"]


@cache
def page_linked_models():
    """Models a page type links to with a foreign key (picked with a chooser)."""
    from wagtail.models import Page, get_page_models

    linked = set()
    for page_model in get_page_models():
        for field in page_model._meta.get_fields():
            target = getattr(field, "related_model", None)
            if (
                field.many_to_one
                and target is not None
                and not issubclass(target, Page)
                and hasattr(target, "snippet_viewset")
            ):
                linked.add(target)
    return frozenset(linked)


def _edits_pages(user):
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change"])


def chooser_allowed(view, user):
    from wagtail.permission_policies import ModelPermissionPolicy
    from wagtail.permissions import policy_registry

    model = view.model_class
    policy = policy_registry.get_by_type(model) or ModelPermissionPolicy(model)
    if policy.user_has_any_permission(user, ACTIONS):
        return True
    return model in page_linked_models() and _edits_pages(user)


def picks_any(view):
    """A page editor picks from every object of the models pages link to (a project
    story may tell any project: the page shows only what is public of it)."""
    return view.model_class in page_linked_models() and _edits_pages(view.request.user)


def chooser_queryset(view):
    """What the user may pick: the snippet listing's scope (see `picks_any`)."""
    model = view.model_class
    queryset = model._default_manager.all()
    if picks_any(view):
        return queryset
    viewset = getattr(view.model_class, "snippet_viewset", None)
    scoped = viewset.get_queryset(view.request) if viewset is not None else None
    if scoped is not None:
        queryset = queryset.filter(pk__in=scoped.values("pk"))
    return queryset


def chooser_search_fields(model):
    """The fields a chooser of `model` searches: its snippet viewset's
    `chooser_search_fields`, else its `search_fields` (a list of field paths, see
    `core.search.text_filter`)."""
    viewset = getattr(model, "snippet_viewset", None)
    for name in ("chooser_search_fields", "search_fields"):
        fields = getattr(viewset, name, None)  # Wagtail's default is a sentinel
        if isinstance(fields, list | tuple) and fields:
            return list(fields)
    return []


class ChooserSearchForm(BaseFilterForm):
    """The search box of a chooser: every word must occur in one of
    `search_fields` (`core.search.text_filter`). The placeholder says what may be
    typed (the viewset's `chooser_search_placeholder`)."""

    q = forms.CharField(label=_("Search term"), required=False)
    search_fields = ()
    placeholder = _("Search")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = self.placeholder

    def filter(self, objects):
        objects = super().filter(objects)
        text = (self.cleaned_data.get("q") or "").strip()
        if text:
            self.is_searching = True
            self.search_query = text
            objects = text_filter(objects, text, self.search_fields)
        return objects


def chooser_search_form(model, base=ChooserSearchForm):
    """A `base` subclass searching `model`'s `chooser_search_fields`."""
    viewset = getattr(model, "snippet_viewset", None)
    fields = chooser_search_fields(model)
    if not fields:
        return BaseFilterForm  # nothing to search: no box that finds everything
    attrs = {"search_fields": fields}
    placeholder = getattr(viewset, "chooser_search_placeholder", None)
    if placeholder:
        attrs["placeholder"] = placeholder
    return type(f"{model.__name__}ChooserSearchForm", (base,), attrs)


class GuardedMixin:
    results_template_name = "core/chooser_results.html"

    def dispatch(self, request, *args, **kwargs):
        if not chooser_allowed(self, request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filter_form_class(self):
        if self.filter_form_class:
            return self.filter_form_class
        return chooser_search_form(self.model_class)


class GuardedChooseView(GuardedMixin, chooser_views.ChooseView):
    def get_object_list(self):
        return super().get_object_list().filter(pk__in=chooser_queryset(self))


class GuardedChooseResultsView(GuardedMixin, chooser_views.ChooseResultsView):
    def get_object_list(self):
        return super().get_object_list().filter(pk__in=chooser_queryset(self))


def valid_pks(model, pks):
    """The ids among `pks` (strings from a URL) that `model`'s primary key can
    hold; a tampered or broken one ("abc", "1 OR 1=1") is dropped, so it is a
    record that does not exist (404, or nothing chosen), never a server error."""
    field = model._meta.pk
    valid = []
    for pk in pks:
        try:
            valid.append(field.to_python(pk))
        except (ValueError, TypeError, ValidationError):
            continue
    return valid


class GuardedChosenView(GuardedMixin, chooser_views.SnippetChosenView):
    def get_object(self, pk):
        pks = valid_pks(self.model_class, [pk])
        if not pks:
            raise self.model_class.DoesNotExist
        return chooser_queryset(self).get(pk=pks[0])


class GuardedChosenMultipleView(GuardedMixin, chooser_views.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return chooser_queryset(self).filter(pk__in=valid_pks(self.model_class, pks))


class GuardedChooserViewSet(chooser_views.SnippetChooserViewSet):
    """Set as `chooser_viewset_class` on every snippet viewset of the project."""

    choose_view_class = GuardedChooseView
    choose_results_view_class = GuardedChooseResultsView
    chosen_view_class = GuardedChosenView
    chosen_multiple_view_class = GuardedChosenMultipleView


class RegionChooserForm(ChooserSearchForm):
    """The region chooser's steps: a province, then one of its prefectures (listed
    under their province), and a level; with a name or a code typed ("益阳",
    "430900"), the search stays inside the step chosen. A province lists itself and
    all its divisions in code order (its prefectures, each followed by its
    counties); a prefecture itself and its counties."""

    placeholder = _("Name or division code, e.g. 益阳 or 430900")
    search_fields = ("name", "code", "parent__name", "parent__parent__name")

    def __init__(self, *args, **kwargs):
        from core.models import Region

        super().__init__(*args, **kwargs)
        provinces = list(Region.objects.filter(level=Region.Level.PROVINCE))
        names = {p.pk: p.name for p in provinces}
        cities = {}
        for city in Region.objects.filter(level=Region.Level.CITY).only(
            "pk", "name", "parent_id"
        ):
            cities.setdefault(city.parent_id, []).append((city.pk, city.name))
        filter_attrs = {"data-chooser-modal-search-filter": True}
        self.fields["province"] = forms.ChoiceField(
            label=_("In province"),
            required=False,
            choices=[("", _("All provinces")), *((p.pk, p.name) for p in provinces)],
            widget=forms.Select(attrs=filter_attrs),
        )
        self.fields["city"] = forms.ChoiceField(
            label=_("In prefecture"),
            required=False,
            choices=[
                ("", _("All prefectures")),
                *((names[pk], group) for pk, group in cities.items() if pk in names),
            ],
            widget=forms.Select(attrs=filter_attrs),
        )
        self.fields["level"] = forms.TypedChoiceField(
            label=_("level"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("All levels")), *Region.Level.choices],
            widget=forms.Select(attrs=filter_attrs),
        )

    def filter(self, objects):
        from core.models import Region

        within = self.cleaned_data.get("city") or self.cleaned_data.get("province")
        if within:
            region = Region.objects.filter(pk=within).first()
            if region is not None:
                prefix = region.code[:2] if region.level == 1 else region.code[:4]
                objects = objects.filter(code__startswith=prefix)
                self.is_searching = True
                self.search_query = region.full_name
        level = self.cleaned_data.get("level")
        if level:
            objects = objects.filter(level=level)
            self.is_searching = True
        return super().filter(objects)


class RegionChooserColumns:
    """Each division with its code and level: 湖南省益阳市 · 430900 · 地级."""

    @property
    def title_column(self):
        column = super().title_column
        column.label = _("administrative division")
        return column

    @property
    def columns(self):
        return [
            *super().columns,
            Column("code", label=_("division code")),
            Column("level", label=_("level"), accessor="get_level_display"),
        ]

    def get_object_list(self):
        return super().get_object_list().select_related("parent__parent")


class RegionChooseView(RegionChooserColumns, GuardedChooseView):
    filter_form_class = RegionChooserForm


class RegionChooseResultsView(RegionChooserColumns, GuardedChooseResultsView):
    filter_form_class = RegionChooserForm


class RegionChooserViewSet(GuardedChooserViewSet):
    """The region chooser (3,200 divisions): search by name or code, in steps."""

    choose_view_class = RegionChooseView
    choose_results_view_class = RegionChooseResultsView


# Wagtail's chooser widgets look up the posted id to redraw a refused form; an id
# that is not a number (a tampered or broken request) made that lookup raise
# ValueError and the form answered 500 instead of showing its own error ("select a
# valid choice"). Found by the form fuzz tests (tests/platform/test_fuzz_forms.py).

_get_instance = BaseChooser.get_instance


def _get_instance_or_none(self, value):
    try:
        return _get_instance(self, value)
    except (ValueError, TypeError, ValidationError):
        return None  # the form field reports the invalid choice


def install():
    BaseChooser.get_instance = _get_instance_or_none
