from wagtail.snippets.views.snippets import SnippetViewSet

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
