"""Snippet viewsets shared by the apps: change history, and scoping to what a user may see."""

from django.http import Http404
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    InspectView,
    SnippetViewSet,
    UsageView,
)

from core.choosers import GuardedChooserViewSet
from core.views import ChangeHistoryView


class HistorySnippetViewSet(SnippetViewSet):
    """A snippet viewset whose History screen shows simple-history's field diffs
    (and those of `related_histories`, the child records edited inline)."""

    history_view_class = ChangeHistoryView
    chooser_viewset_class = GuardedChooserViewSet
    related_histories = ()

    def get_history_view_kwargs(self, **kwargs):
        return {
            "history_results_url_name": self.get_url_name("history_results"),
            "related_histories": self.related_histories,
            **kwargs,
        }


def scoped_view(view_class, visible_to):
    """`view_class` whose object must be in `visible_to(user)` (a queryset of the
    view's model), else 404 — the product's one refusal for a record outside the
    user's scope: it neither shows nor confirms that the record exists."""

    class ScopedView(view_class):
        def get_object(self, *args, **kwargs):
            obj = super().get_object(*args, **kwargs)
            if not visible_to(self.request.user).filter(pk=obj.pk).exists():
                raise Http404
            return obj

    ScopedView.__name__ = f"Scoped{view_class.__name__}"
    ScopedView.__qualname__ = ScopedView.__name__
    return ScopedView


class ScopedViewSet(HistorySnippetViewSet):
    """A snippet viewset limited to the records `visible_to(user)` returns.

    Subclasses define `visible_to(self, user)` (usually by calling their app's
    `permissions.py`). The listing, the guarded choosers and every object screen
    (edit, delete, usage, inspect, history) apply it; a record outside it answers
    404. To customise an object screen, set `scoped_<name>_view_class` (e.g.
    `scoped_edit_view_class`); the viewset wraps it with the scope."""

    copy_view_enabled = False
    search_backend_name = None

    scoped_edit_view_class = EditView
    scoped_delete_view_class = DeleteView
    scoped_usage_view_class = UsageView
    scoped_inspect_view_class = InspectView
    scoped_history_view_class = ChangeHistoryView

    def visible_to(self, user):
        """The records of `self.model` this user may see (a queryset)."""
        raise NotImplementedError

    def get_queryset(self, request):
        return self.visible_to(request.user)

    @property
    def edit_view_class(self):
        return scoped_view(self.scoped_edit_view_class, self.visible_to)

    @property
    def delete_view_class(self):
        return scoped_view(self.scoped_delete_view_class, self.visible_to)

    @property
    def usage_view_class(self):
        return scoped_view(self.scoped_usage_view_class, self.visible_to)

    @property
    def inspect_view_class(self):
        return scoped_view(self.scoped_inspect_view_class, self.visible_to)

    @property
    def history_view_class(self):
        return scoped_view(self.scoped_history_view_class, self.visible_to)
