"""Snippet viewsets shared by the apps: change history, scoping to what a user may
see, the listing columns of an amount in 元, a yes/no and a person, the search
of the big listings (substring indexes, a capped count), and the listing's
cells and rows written in Python (the same HTML as Wagtail's templates)."""

import copy
import functools
import inspect
import re

from django.conf import settings
from django.contrib.admin.utils import quote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import BooleanColumn, Column, Table, TitleColumn
from wagtail.admin.widgets import Button, ButtonWithDropdown
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    InspectView,
    SnippetViewSet,
    UsageView,
)

from core.choosers import GuardedChooserViewSet
from core.filters import attrs_html, template_text
from core.money import yuan_display
from core.people import display_name
from core.search import (
    SEARCH_COUNT_CAP,
    capped_count,
    matching_keys_queryset,
    serial_plan,
    substring_filter,
)
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

    def get_index_view_kwargs(self, **kwargs):
        """The listing's columns as people read them (`readable_columns`): a
        yes/no field says 是/否 and a person field the person's name."""
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs["list_display"] = readable_columns(
            self.model, view_kwargs.get("list_display")
        )
        return view_kwargs


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


class PlainColumn(Column):
    """Wagtail's `Column` whose cell is written in Python: the same HTML as its
    template `wagtailadmin/tables/cell.html` (`<td class="…">` and the value,
    localized and escaped as `{{ value }}` does), without a template render
    per cell — a listing of 50 rows draws hundreds of them. Subclasses change
    the value through `get_cell_context_data`, as with `Column`."""

    def get_value(self, instance):
        """The cell's value, as `Column.get_value` finds it. For an accessor
        `get_<field>_display` that is Django's own (a field with choices), the
        label is looked up in the field's choices read once per column, not
        rebuilt per row as Django's `_get_FIELD_display` does; the same str."""
        field, labels = self._display_labels(type(instance))
        if field is None:
            return super().get_value(instance)
        value = make_hashable(getattr(instance, field.attname))
        return force_str(labels.get(value, value), strings_only=True)

    def _display_labels(self, model):
        # (field, {value: label}) when the accessor is Django's generated
        # get_<field>_display of this model (a partialmethod of
        # Model._get_FIELD_display), else (None, None); kept per model
        cache = self.__dict__.setdefault("_display_cache", {})
        if model not in cache:
            cache[model] = (None, None)
            accessor = self.accessor
            if (
                isinstance(accessor, str)
                and accessor.startswith("get_")
                and accessor.endswith("_display")
                and isinstance(model, type)
                and issubclass(model, models.Model)
                and not hasattr(model, "__getitem__")
            ):
                generated = inspect.getattr_static(model, accessor, None)
                if (
                    isinstance(generated, functools.partialmethod)
                    and generated.func is models.Model._get_FIELD_display
                    and not generated.args
                    and set(generated.keywords) == {"field"}
                ):
                    field = generated.keywords["field"]
                    cache[model] = (field, dict(make_hashable(field.flatchoices)))
        return cache[model]

    def render_cell_html(self, instance, parent_context):
        value = self.get_cell_context_data(instance, parent_context)["value"]
        text = "" if value is None else template_text(value)
        classname = self.classname
        attrs = f'class="{conditional_escape(classname)}"' if classname else ""
        return mark_safe(f"<td {attrs}>\n    {text}\n</td>\n")  # noqa: S308 - escaped


class MoneyColumn(PlainColumn):
    """A listing column of an amount in 元, to the fen with thousands separators
    ("7,500,000.00"; the heading says 元), as every screen shows money
    (`core.money.yuan_display`); empty for None. Wagtail's own `Column`
    printed the Decimal as it is ("7500000.00"). Exports are not affected: they
    read `list_export` and keep numeric cells. Its cells are right-aligned and
    never break inside an amount (`money-cell`, core/static/core/css/admin.css)."""

    def __init__(self, name, classname="money-cell", **kwargs):
        super().__init__(name, classname=classname, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        raw = context["raw_value"]
        if raw is not None and raw != "":
            context["value"] = yuan_display(raw, unit=False)
        return context


def money_column(model, name, **kwargs):
    """A `MoneyColumn` of the money field `name` of `model`, headed by the field's
    verbose name ("核定金额（元）") and sortable by it, as a plain `list_display`
    entry would be: `list_display = ["title", money_column(Call, "total_budget")]`."""
    label = capfirst(model._meta.get_field(name).verbose_name)
    return MoneyColumn(name, label=label, sort_key=name, **kwargs)


class YesNoColumn(PlainColumn):
    """A listing column of a yes/no value written as a word, 是 / 否 (empty for
    None). Wagtail printed a boolean field as "True"/"False", and its
    `BooleanColumn` draws an icon titled "True"/"False": English in the Chinese UI."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        raw = context["raw_value"]
        context["value"] = "" if raw is None else (_("Yes") if raw else _("No"))
        return context


class PersonColumn(PlainColumn):
    """A listing column of a user field showing the person's full name
    (`core.people.display_name`: 周敏), not the login Wagtail printed ("coordinator")."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        raw = context["raw_value"]
        context["value"] = display_name(raw) if raw else ""
        return context


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def readable_columns(model, list_display):
    """`list_display` with each plain name of a boolean field of `model` made a
    `YesNoColumn`, each name of a foreign key to a user a `PersonColumn` (headed
    by the field's verbose name and sortable by it, as the plain name was), and
    each Wagtail `BooleanColumn` a `YesNoColumn`. Anything else is kept as it is;
    a `list_display` that is not a list or tuple is returned unchanged. The first
    entry stays as it is: Wagtail makes it the title column linking to the record."""
    if not isinstance(list_display, (list, tuple)):
        return list_display
    columns = list(list_display[:1])
    for entry in list_display[1:]:
        if isinstance(entry, BooleanColumn):
            entry = YesNoColumn(
                entry.name,
                label=entry.label,
                accessor=entry.accessor,
                sort_key=entry.sort_key,
            )
        elif isinstance(entry, str):
            field = _model_field(model, entry)
            column_class = None
            if isinstance(field, models.BooleanField):
                column_class = YesNoColumn
            elif isinstance(field, models.ForeignKey) and (
                field.related_model._meta.label == settings.AUTH_USER_MODEL
            ):
                column_class = PersonColumn
            if column_class is not None:
                entry = column_class(
                    entry, label=capfirst(field.verbose_name), sort_key=entry
                )
        columns.append(entry)
    return columns


def ties_by_key(queryset):
    """`queryset` with its primary key added last to its order (its own or its
    model's default), so rows equal in that order come by key and a page never
    repeats or skips a row of the page before; unchanged when unordered or
    already ordered by key."""
    query = queryset.query
    ordering = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    if ordering and not any(str(o).lstrip("-") in ("pk", "id") for o in ordering):
        return queryset.order_by(*ordering, "pk")
    return queryset


class CappedCountPaginator(WagtailPaginator):
    """A paginator that counts no further than `cap` rows (`core.search.capped_count`):
    past it, `capped` is True, the count is `cap` (so `cap` rows can be paged
    through) and the label reads "1,000+ …".

    With `fetch_rows` (a callable taking a list of primary keys and returning
    the rows of those keys, in that order), the search runs once per request:
    one query takes the keys of the first `cap` + 1 rows in the listing's order
    (`keys`), which gives the count, and the page's rows are then fetched by
    key (`fetch_rows(keys[bottom:top])`), joins and annotations for those rows
    only. Without it, the count and the page are two queries over the search."""

    cap = SEARCH_COUNT_CAP
    capped = False

    def __init__(
        self, object_list, per_page, *, fetch_rows=None, key_queryset=None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.fetch_rows = fetch_rows
        self.key_queryset = key_queryset

    @cached_property
    def keys(self):
        """The primary keys of the first `cap` + 1 rows, in order (one query),
        read from `key_queryset` when given (the same rows in the same order,
        in a form faster to read: `core.search.matching_keys_queryset`), else
        from the object list (the fast form planned without parallel workers:
        `core.search.serial_plan`). Rows equal in the listing's order follow
        their primary key, so a page never repeats or skips a row of the page
        before."""
        if self.key_queryset is None:
            keys = ties_by_key(self.object_list).values_list("pk", flat=True)
            return list(keys[: self.cap + 1])
        keys = ties_by_key(self.key_queryset).values_list("pk", flat=True)
        with serial_plan(self.key_queryset.db):
            return list(keys[: self.cap + 1])

    @cached_property
    def count(self):
        if self.fetch_rows is None:
            count, self.capped = capped_count(self.object_list, self.cap)
            return count
        self.capped = len(self.keys) > self.cap
        return min(len(self.keys), self.cap)

    def page(self, number):
        if self.fetch_rows is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.fetch_rows(self.keys[bottom:top]), number, self)

    @cached_property
    def items_count_label(self):
        if self.count and self.capped:
            shown = number_format(self.count, force_grouping=True)
            return f"{shown}+ {self.verbose_name_plural}"
        return super().items_count_label


_HOLE = re.compile("\ue000(\\d+)\ue001")


class StampedTitleColumn(TitleColumn):
    """Wagtail's `TitleColumn` (the record's name, its link and its buttons
    menu) whose cells are rendered by the template once per shape of row and
    then stamped. The rows of a listing differ only in their texts (the name,
    the links, the menu's aria-label); the template is rendered with a
    placeholder for each of those and the row's texts, escaped as the
    template escapes them, are put in their places — the same HTML as a
    template render per row, without the ~15 template and component renders of
    a row's menu. A row whose buttons are not Wagtail's plain `Button`s in a
    `ButtonWithDropdown`, or whose texts are not strings, is rendered by the
    template as before. The shapes are kept on the column, which lives as long
    as its view: one request."""

    def render_cell_html(self, instance, parent_context):
        context = self.get_cell_context_data(instance, parent_context)
        texts = []
        try:
            holed, key = self._holed(context, texts)
        except _NotStampable:
            return self.cell_template.render(context)
        stamps = self.__dict__.setdefault("_stamps", {})
        key = (get_language(), key)
        if key not in stamps:
            parts = _HOLE.split(self.cell_template.render(holed))
            # every text must come out exactly once per place it went in;
            # otherwise (a filter changed it) this shape is rendered per row
            found = {int(index) for index in parts[1::2]}
            stamps[key] = parts if found == set(range(len(texts))) else None
        parts = stamps[key]
        if parts is None:
            return self.cell_template.render(context)
        out = []
        for position, part in enumerate(parts):
            out.append(conditional_escape(texts[int(part)]) if position % 2 else part)
        return mark_safe("".join(out))  # noqa: S308 - template output, texts escaped

    def _holed(self, context, texts):
        """(the context with each row text replaced by a placeholder, the
        shape's key); raises `_NotStampable`."""

        def hole(value):
            if not value:
                return value
            if not isinstance(value, str) or "\ue000" in value or "\ue001" in value:
                raise _NotStampable
            texts.append(value)
            return f"\ue000{len(texts) - 1}\ue001"

        def attrs_key(attrs):
            return tuple(sorted((k, str(v)) for k, v in attrs.items()))

        def button(b):
            if type(b) is not Button:
                raise _NotStampable
            clone = copy.copy(b)
            clone.url = hole(b.url)
            return clone, (
                str(b.label),
                clone.url,
                b.classname,
                b.icon_name,
                attrs_key(b.attrs),
                b.priority,
            )

        holed = dict(context)
        for name in ("value", "title_id", "link_url", "label_id"):
            holed[name] = hole(context.get(name))
        link_attrs = dict(context.get("link_attrs") or {})
        if "href" in link_attrs:
            link_attrs["href"] = holed["link_url"]
        buttons, buttons_key = [], []
        for b in context.get("buttons", ()):
            if type(b) is ButtonWithDropdown:
                menu = copy.copy(b)
                menu.attrs = dict(b.attrs)
                if "aria-label" in menu.attrs:
                    menu.attrs["aria-label"] = hole(str(b.attrs["aria-label"]))
                pairs = [button(item) for item in b.dropdown_buttons]
                menu.dropdown_buttons = [clone for clone, _key in pairs]
                buttons.append(menu)
                buttons_key.append(
                    (
                        "menu",
                        str(b.label),
                        b.classname,
                        b.icon_name,
                        attrs_key(menu.attrs),
                        tuple(k for _clone, k in pairs),
                    )
                )
            else:
                clone, k = button(b)
                buttons.append(clone)
                buttons_key.append(k)
        holed["link_attrs"] = link_attrs
        holed["buttons"] = buttons
        key = (
            holed["value"],
            holed["title_id"],
            holed["link_url"],
            holed["label_id"],
            attrs_key(link_attrs),
            tuple(buttons_key),
        )
        return holed, key


class _NotStampable(Exception):
    pass


class PlainRowsTableMixin:
    """For a Wagtail `Table` drawn by its own template: the rows are written by
    Python — the same HTML as the template's `{% for row in table.rows %}`
    loop (each row's `<tr>` and its attributes, each cell's component drawn
    with the template's context, `row`, `cell` and `forloop` set as the loop
    sets them), without a template node per row and cell. The rest of the
    table (caption, column widths, headers) is drawn by the template
    `core/tables/table.html`, Wagtail's with the loop replaced."""

    template_name = "core/tables/table.html"

    @property
    def body(self):
        """The rows as a component (`{% component table.body %}`)."""
        return _TableBody(self)


class _TableBody:
    def __init__(self, table):
        self.table = table

    def render_html(self, context):
        rows = list(self.table.rows)
        out = []
        autoescape = context.autoescape
        with context.push():
            outer = {"parentloop": context.get("forloop", {})}
            context["forloop"] = outer
            for index, row in enumerate(rows):
                _count(outer, index, len(rows))
                context["row"] = row
                out.append(
                    f"\n            <tr{attrs_html(row.attrs)}>\n                "
                )
                cells = list(row.values())
                with context.push():
                    inner = {"parentloop": outer}
                    context["forloop"] = inner
                    for position, cell in enumerate(cells):
                        _count(inner, position, len(cells))
                        context["cell"] = cell
                        with context.push():
                            html = cell.render_html(context)
                        if autoescape:
                            html = conditional_escape(html)
                        out.append(f"\n                    {html}\n                ")
                out.append("\n            </tr>\n        ")
        return mark_safe("".join(out))  # noqa: S308 - cells escaped as the tag does


def _count(loop, index, length):
    # Django's `forloop` of the `{% for %}` tag
    loop["counter0"] = index
    loop["counter"] = index + 1
    loop["revcounter"] = length - index
    loop["revcounter0"] = length - index - 1
    loop["first"] = index == 0
    loop["last"] = index == length - 1


class PlainCellsIndexMixin:
    """For an IndexView: the columns it makes of `list_display` names (other
    than the first, the title) are `PlainColumn`s — the same cells, written
    without a template each — its title column is a `StampedTitleColumn`, and
    its table's rows are written by Python (`PlainRowsTableMixin`)."""

    @cached_property
    def table_class(self):
        """Wagtail's table class with its rows written by Python
        (`PlainRowsTableMixin`), unless it draws another template."""
        table_class = super().table_class
        if table_class.template_name != Table.template_name:
            return table_class
        return type(table_class.__name__, (PlainRowsTableMixin, table_class), {})

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if column_class is Column:
            column_class = PlainColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        if column_class is TitleColumn:
            column_class = StampedTitleColumn
        return super()._get_title_column(field_name, column_class, **kwargs)

    # The rows' links: Wagtail reverses each URL of each row (four or five per
    # row) and asks the permission policy again for each. The answers are the
    # same for every row of a request: the permissions are asked once, and a
    # URL of an integer key is the URL reversed once with a stand-in key, the
    # row's key put in its place.

    def row_url(self, url_name, pk):
        """`reverse(url_name, args=(pk,))` (a str), for an integer `pk` from the
        URL reversed once per view."""
        if not isinstance(pk, int) or isinstance(pk, bool):
            return reverse(url_name, args=(quote(pk),))
        templates = self.__dict__.setdefault("_row_url_templates", {})
        if url_name not in templates:
            probe = reverse(url_name, args=(_PROBE_KEY,))
            templates[url_name] = probe if probe.count(str(_PROBE_KEY)) == 1 else None
        template = templates[url_name]
        if template is None:
            return reverse(url_name, args=(quote(pk),))
        return template.replace(str(_PROBE_KEY), str(pk))

    def _may(self, *permissions):
        answers = self.__dict__.setdefault("_permission_answers", {})
        if permissions not in answers:
            answers[permissions] = (
                self.user_has_permission(permissions[0])
                if len(permissions) == 1
                else self.user_has_any_permission(set(permissions))
            )
        return answers[permissions]

    def get_edit_url(self, instance):
        if self.edit_url_name and self._may("change"):
            return self.row_url(self.edit_url_name, instance.pk)
        return None

    def get_copy_url(self, instance):
        if self.copy_url_name and self._may("add"):
            return self.row_url(self.copy_url_name, instance.pk)
        return None

    def get_inspect_url(self, instance):
        if self.inspect_url_name and self._may("add", "change", "delete", "view"):
            return self.row_url(self.inspect_url_name, instance.pk)
        return None

    def get_delete_url(self, instance):
        if self.delete_url_name and self._may("delete"):
            return self.row_url(self.delete_url_name, instance.pk)
        return None


_PROBE_KEY = 97531864208642  # a key no URL holds by itself


class SubstringSearchIndexMixin:
    """For an IndexView with `search_fields` and no search backend: the search is
    `core.search.substring_filter` (the same rows as Wagtail's plain
    `icontains` search, narrowed first by the substring indexes), and while
    searching the count stops at `SEARCH_COUNT_CAP` (a broad term of one or two
    characters would otherwise count a large share of a million rows on every
    page). Use it with `SEARCH_RESULTS_TEMPLATE`, which says "more than 1,000
    matches" and asks for a narrower term.

    While searching, the search runs once (`CappedCountPaginator` with
    `fetch_rows`): the ordered keys of the matches, then the page's rows from
    the view's base queryset (its scope, joins and annotations) by key."""

    key_queryset = None

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        # the page's keys are read through the substring indexes' fast form
        # (PostgreSQL); the searched queryset itself stays plain for the rest
        self.key_queryset = matching_keys_queryset(
            queryset, self.search_query, self.search_fields
        )
        return substring_filter(queryset, self.search_query, self.search_fields)

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.is_searching:
            return CappedCountPaginator(
                queryset,
                per_page,
                fetch_rows=self.rows_by_keys,
                key_queryset=self.key_queryset,
                **kwargs,
            )
        return super().get_paginator(queryset, per_page, **kwargs)

    def rows_by_keys(self, keys):
        """The rows of these primary keys (a list), in that order, from the
        view's base queryset — the user's scope, `select_related`, prefetches
        and annotations as the listing's own query has them. A key the base
        queryset does not hold is left out."""
        if not keys:
            return []
        # `order_queryset` also adds the annotations of ordering columns (Wagtail's
        # `_updated_at`); the order it sets on these few rows is then redone by key.
        base = self.order_queryset(self.get_base_queryset())
        rows = {row.pk: row for row in base.filter(pk__in=set(keys))}
        return [rows[key] for key in keys if key in rows]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        paginator = context.get("paginator")
        context["count_capped"] = bool(getattr(paginator, "capped", False))
        return context


SEARCH_RESULTS_TEMPLATE = "core/search_index_results.html"
