"""Snippet choosers that answer only those who may see the model.

Wagtail's snippet chooser (the modal behind every foreign-key picker) lists, and
returns by id, any object of the model to anyone who can log in to the admin: a
reviewer could list every application, an operator another base's residents.
These views refuse a user with none of the add/change/delete/view permissions on
the model (page editors excepted for the models a page links to: a call page picks
its call), and narrow the list to the snippet viewset's `get_queryset(request)` —
the same scope as its listing."""

from functools import cache

from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.snippets.views import chooser as chooser_views

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


class GuardedMixin:
    def dispatch(self, request, *args, **kwargs):
        if not chooser_allowed(self, request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class GuardedChooseView(GuardedMixin, chooser_views.ChooseView):
    def get_object_list(self):
        return super().get_object_list().filter(pk__in=chooser_queryset(self))


class GuardedChooseResultsView(GuardedMixin, chooser_views.ChooseResultsView):
    def get_object_list(self):
        return super().get_object_list().filter(pk__in=chooser_queryset(self))


class GuardedChosenView(GuardedMixin, chooser_views.SnippetChosenView):
    def get_object(self, pk):
        return chooser_queryset(self).get(pk=pk)


class GuardedChosenMultipleView(GuardedMixin, chooser_views.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return chooser_queryset(self).filter(pk__in=pks)


class GuardedChooserViewSet(chooser_views.SnippetChooserViewSet):
    """Set as `chooser_viewset_class` on every snippet viewset of the project."""

    choose_view_class = GuardedChooseView
    choose_results_view_class = GuardedChooseResultsView
    chosen_view_class = GuardedChosenView
    chosen_multiple_view_class = GuardedChosenMultipleView


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
