"""Text search of records for choosers and the admin search: substrings, Chinese-safe.

Chinese is written without spaces, so a full-text index (SQLite FTS5, PostgreSQL
`to_tsvector('simple', …)`) keeps "湖南省益阳社工服务中心" as one word: "益阳" or
"社工" inside it are never found, and only a prefix is found by autocomplete. The
records of the platform (organizations, applications, awards, projects, regions,
people) are therefore searched by substring (`icontains`) over named fields, in the
database the user's scope is already applied in; on PostgreSQL the pg_trgm
extension (core migration 0009) lets trigram indexes serve those `LIKE '%…%'`
searches. Pages go through Wagtail's search backend (`core.admin_search`)."""

from functools import reduce
from operator import and_, or_

from django.db.models import F, Q
from django.db.models.functions import Concat
from django.db.models.lookups import IContains

# A field named PERSON + "<path to a user>" (e.g. "person:user") matches the
# person's full name in either order, or the login: "周敏" finds last_name 周,
# first_name 敏 (see core.people.full_name).
PERSON = "person:"


def search_terms(text):
    """The words of a query: split on any white space (the full-width space
    included), at most 8 of them, empty ones dropped."""
    return (text or "").split()[:8]


def _person_q(path, term):
    prefix = f"{path}__" if path else ""
    last, first = F(f"{prefix}last_name"), F(f"{prefix}first_name")
    return (
        Q(IContains(Concat(last, first), term))
        | Q(IContains(Concat(first, last), term))
        | Q(**{f"{prefix}username__icontains": term})
    )


def _field_q(field, term):
    if field.startswith(PERSON):
        return _person_q(field[len(PERSON) :], term)
    return Q(**{f"{field}__icontains": term})


def text_filter(queryset, text, fields):
    """`queryset` narrowed to the records where every word of `text` occurs
    (case-insensitive substring) in at least one of `fields` (model field paths,
    e.g. "name", "organization__name", or `PERSON` + a path to a user). An empty
    `text` leaves the queryset as it is. Through a relation the match is taken by
    primary key, so no row is listed twice and the queryset's order is kept."""
    terms = search_terms(text)
    if not terms or not fields:
        return queryset
    condition = reduce(
        and_,
        (reduce(or_, (_field_q(field, term) for field in fields)) for term in terms),
    )
    if any("__" in field or field.startswith(PERSON) for field in fields):
        matching = queryset.model._default_manager.filter(condition).values("pk")
        return queryset.filter(pk__in=matching)
    return queryset.filter(condition)


def trigram_indexes(indexes):
    """A migration operation that, on PostgreSQL only, creates the pg_trgm extension
    and for each (index name, table, column) a trigram GIN index on the expression
    Django's `icontains` searches (`UPPER(column::text) LIKE UPPER('%…%')`), so
    substring searches of Chinese names use an index. Nothing on SQLite.
    Reversible (drops the indexes, keeps the extension)."""
    from django.db import migrations

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, column in indexes:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _table, _column in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(forward, backward)
