"""Helpers of the listing tests that draw a page twice — with the speed-ups of
`core.viewsets` and `core.filters`, and with Wagtail's and Django's own columns,
URL methods, select and paginator — and compare what the user would see."""

import re

from core.viewsets import CappedCountPaginator, PlainCellsIndexMixin, ties_by_key


def page_without_tokens(html):
    """The page's HTML less what differs between two requests of the same page:
    the CSRF tokens, and the bulk action buttons' classes (Wagtail joins them
    from a set: any order)."""
    html = re.sub(r'"CSRF_TOKEN": "[^"]*"', "", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'class="[^"]*bulk-action-btn[^"]*"', "", html)


def wagtails_own_columns(monkeypatch):
    """Undo `PlainCellsIndexMixin`'s columns, table and row URLs: the title and
    custom columns, the table drawing its rows by its template, and the edit,
    copy, inspect and delete URLs are Wagtail's."""
    monkeypatch.setattr(
        PlainCellsIndexMixin,
        "table_class",
        property(lambda view: super(PlainCellsIndexMixin, view).table_class),
    )
    monkeypatch.setattr(
        PlainCellsIndexMixin,
        "_get_title_column",
        lambda view, *a, **k: super(PlainCellsIndexMixin, view)._get_title_column(
            *a, **k
        ),
    )
    monkeypatch.setattr(
        PlainCellsIndexMixin,
        "_get_custom_column",
        lambda view, *a, **k: super(PlainCellsIndexMixin, view)._get_custom_column(
            *a, **k
        ),
    )
    for name in ("get_edit_url", "get_copy_url", "get_inspect_url", "get_delete_url"):
        monkeypatch.setattr(
            PlainCellsIndexMixin,
            name,
            lambda view, instance, name=name: getattr(
                super(PlainCellsIndexMixin, view), name
            )(instance),
        )


_original_init = CappedCountPaginator.__init__


def _no_fetch(self, object_list, per_page, *, fetch_rows=None, **kwargs):
    # ties come by key, as the search-once paginator orders them (within a
    # tie the plain paginator's order would be whatever the database gives)
    _original_init(self, ties_by_key(object_list), per_page, **kwargs)


def wagtails_own_listing(monkeypatch):
    """Undo every listing speed-up: Wagtail's columns and URLs
    (`wagtails_own_columns`), Django's select and choice iterator for the
    values-only filters, and the paginator counting and slicing the searched
    queryset itself (no search-once `fetch_rows`; rows tied in the order by
    key, as `CappedCountPaginator.keys` has them)."""
    import django_filters
    from django import forms

    from core import filters

    monkeypatch.setattr(filters.Select, "render", forms.Select.render)
    monkeypatch.setattr(
        filters._ValuesChoiceIterator,
        "__iter__",
        django_filters.fields.ModelChoiceIterator.__iter__,
    )
    monkeypatch.setattr(CappedCountPaginator, "__init__", _no_fetch)
    wagtails_own_columns(monkeypatch)
