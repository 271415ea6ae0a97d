"""Text search of records for choosers and the admin search: substrings, Chinese-safe.

Chinese is written without spaces, so a full-text index (SQLite FTS5, PostgreSQL
`to_tsvector('simple', …)`) keeps "湖南省益阳社工服务中心" as one word: "益阳" or
"社工" inside it are never found, and only a prefix is found by autocomplete. The
records of the platform (organizations, applications, awards, projects, regions,
people) are therefore searched by substring (`icontains`) over named fields, in the
database the user's scope is already applied in. The organization and application
listings' columns have substring indexes (pg_trgm on PostgreSQL, an FTS5 trigram
table on SQLite; see "indexes" below) that narrow those `LIKE '%…%'` searches
without changing what they find. Pages go through Wagtail's search backend
(`core.admin_search`)."""

from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db import connections, transaction
from django.db.models import BooleanField, F, Func, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.db.models.lookups import IContains
from django.db.models.sql.datastructures import BaseTable

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
    primary key, so no row is listed twice and the queryset's order is kept. Each
    word goes through `substring_q` (the substring indexes, when they can answer)."""
    terms = search_terms(text)
    if not terms or not fields:
        return queryset
    model = queryset.model
    condition = reduce(
        and_, (substring_q(model, term, fields, using=queryset.db) for term in terms)
    )
    if any("__" in field or field.startswith(PERSON) for field in fields):
        matching = model._default_manager.filter(condition).values("pk")
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


# ----------------------------------------------------------------------------- indexes
#
# The two big listings (the organization registry, the applications) search by
# substring over a few columns. A substring index answers "which rows hold this
# term" without reading every row:
#   - PostgreSQL: per column, a pg_trgm GIN index on `UPPER(column::text)` (the
#     expression Django's `icontains` compares, so `icontains` alone can use it)
#     and a GIN index on the array of its two-character pieces
#     (`core_search_bigrams`). The search asks the bigram index ("the column holds
#     every bigram of the term"): it answers two-character terms, which are common
#     in Chinese ("社工", a place) and have no trigram, and its statistics (the
#     array's most common elements) give the planner true row estimates, where a
#     `LIKE '%…%'` estimate made it walk the name index of a million rows looking
#     for 50 matches that were not there (0.7 s against 18 ms at 1,000,000 rows).
#   - SQLite: an FTS5 table with the trigram tokenizer (SQLite >= 3.34), kept in
#     step with its table by triggers, asked with MATCH, for terms of three
#     characters or more.
# Both only narrow the rows: the `icontains` condition (for the listings on
# PostgreSQL, `strpos` of the upper-cased texts, the same rows) is always
# applied as well, so a search returns exactly what the plain `icontains`
# returns (FTS5 folds the case of every alphabet, SQLite's LIKE only ASCII's;
# `%`, `_`, quotes are literal in both). A term of one character (two on
# SQLite) is searched by the plain `icontains`; listings cap what they count
# (`capped_count`), so a broad short term stops at its first matches and a rare
# one reads the table once.

MIN_INDEXED_LENGTH = 3
MIN_BIGRAM_LENGTH = 2  # PostgreSQL's bigram indexes answer two-character terms
BIGRAMS = "core_search_bigrams"


@dataclass(frozen=True)
class SubstringIndex:
    """The substring index of one table: `model` ("app_label.ModelName"), its
    `table`, the `columns` searched, and `pg_prefix` naming its PostgreSQL indexes
    (`<pg_prefix>_<column>_trgm`). The SQLite FTS5 table is `<table>_fts`."""

    model: str
    table: str
    columns: tuple
    pg_prefix: str

    @property
    def fts_table(self):
        return f"{self.table}_fts"

    def trigger_names(self):
        return tuple(f"{self.fts_table}_{suffix}" for suffix in ("ai", "ad", "au"))


SUBSTRING_INDEXES = (
    SubstringIndex(
        "incubator.Organization",
        "incubator_organization",
        ("name", "uscc", "filing_number", "business_supervisor"),
        "incubator_org",
    ),
    SubstringIndex(
        "funding.Application", "funding_application", ("title",), "funding_app"
    ),
)

_ready = {}  # (alias, database name, fts table) -> bool, for SQLite


def _index_of(model):
    label = f"{model._meta.app_label}.{model._meta.object_name}"
    for index in SUBSTRING_INDEXES:
        if index.model.lower() == label.lower():
            return index
    return None


def _sqlite_has_trigram(cursor):
    try:
        cursor.execute(
            "CREATE VIRTUAL TABLE temp.core_search_probe USING fts5(a, tokenize='trigram')"
        )
    except Exception:  # noqa: BLE001 - no FTS5, or SQLite older than 3.34
        return False
    cursor.execute("DROP TABLE temp.core_search_probe")
    return True


def _sqlite_objects(cursor):
    cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    return {row[0] for row in cursor.fetchall()}


def _sqlite_install(cursor, index, *, repair_only):
    existing = _sqlite_objects(cursor)
    if index.table not in existing:
        return
    if repair_only and index.fts_table not in existing:
        return  # the migration that creates it has not run
    if index.fts_table in existing and set(index.trigger_names()) <= existing:
        return
    fts, cols = index.fts_table, index.columns
    names = ", ".join(f'"{c}"' for c in cols)
    new = ", ".join(f'new."{c}"' for c in cols)
    old = ", ".join(f'old."{c}"' for c in cols)
    for trigger in index.trigger_names():
        cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
    cursor.execute(f'DROP TABLE IF EXISTS "{fts}"')
    cursor.execute(
        f'CREATE VIRTUAL TABLE "{fts}" USING fts5({names}, '
        f"content='{index.table}', content_rowid='id', tokenize='trigram')"
    )
    ai, ad, au = index.trigger_names()
    cursor.execute(
        f'CREATE TRIGGER "{ai}" AFTER INSERT ON "{index.table}" BEGIN '  # noqa: S608
        f'INSERT INTO "{fts}"(rowid, {names}) VALUES (new.id, {new}); END'
    )
    cursor.execute(
        f'CREATE TRIGGER "{ad}" AFTER DELETE ON "{index.table}" BEGIN '  # noqa: S608
        f'INSERT INTO "{fts}"("{fts}", rowid, {names}) '
        f"VALUES ('delete', old.id, {old}); END"
    )
    cursor.execute(
        f'CREATE TRIGGER "{au}" AFTER UPDATE OF id, {names} ON "{index.table}" BEGIN '  # noqa: S608
        f'INSERT INTO "{fts}"("{fts}", rowid, {names}) '
        f"VALUES ('delete', old.id, {old}); "
        f'INSERT INTO "{fts}"(rowid, {names}) VALUES (new.id, {new}); END'
    )
    cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')  # noqa: S608


def _sqlite_drop(cursor, index):
    for trigger in index.trigger_names():
        cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
    cursor.execute(f'DROP TABLE IF EXISTS "{index.fts_table}"')


def _pg_index_name(index, column, kind="trgm"):
    return f"{index.pg_prefix}_{column}_{kind}"


# The distinct two-character pieces of a text (none for a shorter one), for the
# PostgreSQL bigram indexes: a two-character term's rows are those whose column
# holds its bigram — a GIN index on arrays answers that, where trigrams cannot.
PG_BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION core_search_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT COALESCE(array_agg(DISTINCT substr(value, i, 2)), '{}')
  FROM generate_series(1, length(value) - 1) AS i
$$
"""


def substring_indexes_install(
    connection, indexes=SUBSTRING_INDEXES, *, repair_only=False
):
    """Create what is missing of `indexes` on `connection`: on PostgreSQL the
    pg_trgm extension and one trigram GIN index per column; on SQLite (with FTS5's
    trigram tokenizer; else nothing, and searches stay plain LIKE) the FTS5 table,
    its three triggers and its content (rebuilt from the table). Idempotent.
    With `repair_only`, SQLite indexes whose FTS5 table does not exist yet are
    left alone (run after every `migrate`: a migration that rebuilds a table on
    SQLite drops its triggers, this puts them back)."""
    _ready.clear()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if repair_only:
                return
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(PG_BIGRAMS_FUNCTION)
            for index in indexes:
                for column in index.columns:
                    cursor.execute(
                        f'CREATE INDEX IF NOT EXISTS "{_pg_index_name(index, column)}" '
                        f'ON "{index.table}" USING gin '
                        f'((UPPER("{column}"::text)) gin_trgm_ops)'
                    )
                    cursor.execute(
                        "CREATE INDEX IF NOT EXISTS "
                        f'"{_pg_index_name(index, column, "bigram")}" '
                        f'ON "{index.table}" USING gin '
                        f'({BIGRAMS}(UPPER("{column}"::text)))'
                    )
        elif connection.vendor == "sqlite" and _sqlite_has_trigram(cursor):
            for index in indexes:
                _sqlite_install(cursor, index, repair_only=repair_only)


def substring_indexes_drop(connection, indexes=SUBSTRING_INDEXES):
    """Undo `substring_indexes_install` (the pg_trgm extension stays)."""
    _ready.clear()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for index in indexes:
                for column in index.columns:
                    for kind in ("trgm", "bigram"):
                        name = _pg_index_name(index, column, kind)
                        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        elif connection.vendor == "sqlite":
            for index in indexes:
                _sqlite_drop(cursor, index)


def substring_indexes_migration(*models):
    """A migration operation installing the substring indexes of `models`
    ("app_label.ModelName", see `SUBSTRING_INDEXES`); reversible."""
    from django.db import migrations

    wanted = [i for i in SUBSTRING_INDEXES if i.model in models]

    def forward(apps, schema_editor):
        substring_indexes_install(schema_editor.connection, wanted)

    def backward(apps, schema_editor):
        substring_indexes_drop(schema_editor.connection, wanted)

    return migrations.RunPython(forward, backward, elidable=False)


def substring_indexes_repair(sender=None, using="default", **kwargs):
    """post_migrate: put back SQLite triggers a table rebuild dropped."""
    substring_indexes_install(connections[using], repair_only=True)


def _fts_ready(connection, index):
    key = (connection.alias, str(connection.settings_dict.get("NAME")), index.fts_table)
    if key not in _ready:
        with connection.cursor() as cursor:
            existing = _sqlite_objects(cursor)
        _ready[key] = (
            index.fts_table in existing and set(index.trigger_names()) <= existing
        )
    return _ready[key]


def fts_match_expression(columns, term):
    """The FTS5 query finding `term` as a literal substring in any of `columns`:
    one quoted string (a double quote doubled), so `"`, `OR`, `*`, `:` or `NEAR`
    in a user's text are characters to find, never query syntax."""
    quoted = '"' + term.replace('"', '""') + '"'
    return "{" + " ".join(columns) + "} : " + quoted


def _candidates(model, columns, term, connection):
    """A queryset of `model` pks that holds every row where `term` occurs in one
    of `columns` (maybe more), answered by the index; None when no index can."""
    index = _index_of(model)
    if index is None or not set(columns) <= set(index.columns):
        return None
    if connection.vendor == "postgresql":
        # names from SUBSTRING_INDEXES, the text a parameter
        condition = " OR ".join(_bigram_conditions(columns))
        found = RawSQL(  # noqa: S611
            f'SELECT "id" FROM "{index.table}" WHERE {condition}',  # noqa: S608
            (term,) * len(columns),
        )
        return model._default_manager.filter(pk__in=found).values("pk")
    if len(term) < MIN_INDEXED_LENGTH or "\x00" in term:
        # FTS5 reads a NUL as the end of its query ("unterminated string"); LIKE
        # takes it as a character
        return None
    if connection.vendor == "sqlite" and _fts_ready(connection, index):
        fts = index.fts_table
        # the table name comes from SUBSTRING_INDEXES; the user's text is a parameter
        match = RawSQL(  # noqa: S611
            f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s',  # noqa: S608
            (fts_match_expression(columns, term),),
        )
        return model._default_manager.filter(pk__in=match).values("pk")
    return None


def _split(model, path):
    """(relation prefix, model at the end of it, column) of a field path."""
    *relations, column = path.split("__")
    current = model
    for name in relations:
        current = current._meta.get_field(name).related_model
    return "__".join(relations), current, current._meta.get_field(column).column


def _groups(model, term, fields):
    """The searched columns by table, {(relation prefix, model): [column]}
    (`_split`), or None when a term is too short for an index or a field is a
    `PERSON` or not a column path."""
    if len(term) < MIN_BIGRAM_LENGTH or any(f.startswith(PERSON) for f in fields):
        return None
    groups = {}
    try:
        for field in fields:
            prefix, target, column = _split(model, field)
            groups.setdefault((prefix, target), []).append(column)
    except (AttributeError, LookupError):
        return None
    return groups


def _prefilter(model, term, fields, connection):
    """`pk__in` a union of index answers, one per table the fields are on, or
    None when a term is too short or a field has no index."""
    groups = _groups(model, term, fields)
    if groups is None:
        return None
    if connection.vendor == "postgresql":
        found = _pg_candidates_sql(model, groups, term)
        if found is not None:
            return Q(_InArray(F("pk"), found))
    parts = []
    for (prefix, target), columns in groups.items():
        found = _candidates(target, columns, term, connection)
        if found is None:
            return None
        if prefix:
            found = model._default_manager.filter(**{f"{prefix}__pk__in": found})
            found = found.values("pk")
        parts.append(found.order_by())
    found = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
    if connection.vendor == "postgresql":
        return Q(_InArray(F("pk"), Subquery(found)))
    return Q(pk__in=found)


def _bigram_conditions(columns):
    """PostgreSQL: per column, the SQL "every bigram of the term (a parameter,
    %s) is among the column's" — the expression of its bigram index; a list."""
    return [f'{BIGRAMS}(UPPER("{c}"::text)) @> {BIGRAMS}(UPPER(%s))' for c in columns]


def _pg_indexed_groups(model, groups):
    """PostgreSQL: the groups of searched columns (`_groups`) as a list of
    (foreign key or None, substring index, columns) — None for `model`'s own
    columns, else the `model` field leading to the related table — or None when
    a group is not a table with a substring index covering its columns, or is
    reached by more than one relation or by one that is not a foreign key."""
    indexed = []
    for (prefix, target), columns in groups.items():
        index = _index_of(target)
        if index is None or not set(columns) <= set(index.columns) or "__" in prefix:
            return None
        field = model._meta.get_field(prefix) if prefix else None
        if field is not None and not field.many_to_one:
            return None
        indexed.append((field, index, columns))
    return indexed


def _pg_candidates_sql(model, groups, term):
    """PostgreSQL: the keys of `model` whose columns, or whose related row's
    columns, may hold `term`, as one `RawSQL` (a UNION ALL of bigram index
    lookups, keys only, no join back to the tables); None when a group cannot be
    answered by an index (`_pg_indexed_groups`). `groups` maps (relation
    prefix, model) to its columns (`_split`)."""
    indexed = _pg_indexed_groups(model, groups)
    if indexed is None:
        return None
    parts, params = [], []
    for field, index, columns in indexed:
        condition = " OR ".join(_bigram_conditions(columns))
        # names from SUBSTRING_INDEXES and the models' own columns; the text a
        # parameter
        found = f'SELECT "id" FROM "{index.table}" WHERE {condition}'  # noqa: S608
        params.extend([term] * len(columns))
        if field is not None:
            found = (
                f'SELECT "{model._meta.pk.column}" FROM "{model._meta.db_table}" '  # noqa: S608
                f'WHERE "{field.column}" = ANY(ARRAY({found}))'
            )
        parts.append(found)
    return RawSQL(" UNION ALL ".join(parts), params)  # noqa: S611


class _InArray(Func):
    """PostgreSQL: `pk = ANY(ARRAY(subquery))`. The subquery runs once, from the
    bigram indexes, and the rows are then fetched by primary key: with `pk IN
    (subquery)` the planner, misled by its estimate of the `LIKE '%…%'` beside it,
    read the whole table instead (6 s against 50 ms for a term found nowhere, at
    1,000,000 rows)."""

    arg_joiner = " = ANY(ARRAY"
    template = "%(expressions)s)"
    output_field = BooleanField()


HOLDS_SQL = "strpos(UPPER({column}::text), UPPER({term})) > 0"
"""PostgreSQL: "the text `term` occurs in `column`" — the rows
`UPPER(column::text) LIKE UPPER('%term%')` (Django's `icontains`) finds, with
nothing to escape; the planner estimates it at a third of the rows (a `LIKE
'%…%'`: a few rows whatever the term). Filled by `str.format` with SQL."""


def substring_q(model, text, fields, *, using="default"):
    """The condition "`text` occurs (case-insensitive, as a literal substring) in
    one of `fields`" on `model` — `field__icontains` or'ed over the fields, the
    plain search of Wagtail's listings — narrowed first by the substring index
    (`SUBSTRING_INDEXES`) when every field has one and `text` is long enough
    (PostgreSQL: 2 characters, SQLite: 3). Same rows either way; only the speed
    differs. `fields` may hold `PERSON` paths (never indexed)."""
    plain = reduce(or_, (_field_q(field, text) for field in fields))
    narrowed = _prefilter(model, text, fields, connections[using])
    return plain if narrowed is None else narrowed & plain


def _pg_fence_select(model, groups, term):
    """PostgreSQL: (sql, params) of `SELECT * FROM <model's table> WHERE …
    OFFSET 0`, the rows where `term` occurs in one of the columns — exactly the
    rows of `icontains` or'ed over the fields. Two halves and'ed: the bigram
    indexes find the candidates (the columns' bigram conditions or'ed), and
    `HOLDS_SQL` or'ed over the columns keeps those holding the term.

    A related table's matching rows (one foreign key away, found the same way)
    are read once, into a materialized `WITH` list: the first half takes them
    by key through the foreign key's index (`fk = ANY(ARRAY(SELECT pk FROM
    matches))`), the second checks each candidate against a hash of them
    (`fk IN (SELECT pk FROM matches)`, a hashed subplan). With `= ANY(array)`
    in the second half too, PostgreSQL compared each candidate with every
    element of the array: "社工" among 2,000,000 applications (41,643
    organizations match) took 15–27 s, "服务" 4½ minutes. OFFSET 0 plans the
    subquery apart from the listing's filters (`_FencedTable`). None when a
    group cannot be answered by an index (`_pg_indexed_groups`)."""
    indexed = _pg_indexed_groups(model, groups)
    if indexed is None:
        return None
    matches, found, exact = [], [], []
    matches_params, own_params = [], []
    for field, index, columns in indexed:
        bigrams = _bigram_conditions(columns)
        holds = [HOLDS_SQL.format(column=f'"{c}"', term="%s") for c in columns]
        if field is None:
            found.extend(bigrams)
            exact.extend(holds)
            own_params.extend([term] * len(columns))
            continue
        # names from SUBSTRING_INDEXES and the models' own columns; the text a
        # parameter
        name, key = f"{field.column}_matches", field.target_field.column
        matches.append(
            f'"{name}" AS MATERIALIZED (SELECT "{key}" '  # noqa: S608
            f'FROM "{index.table}" WHERE ({" OR ".join(bigrams)}) '
            f"AND ({' OR '.join(holds)}))"
        )
        matches_params.extend([term] * (2 * len(columns)))
        found.append(f'"{field.column}" = ANY(ARRAY(SELECT "{key}" FROM "{name}"))')  # noqa: S608
        exact.append(f'"{field.column}" IN (SELECT "{key}" FROM "{name}")')  # noqa: S608
    with_list = f"WITH {', '.join(matches)} " if matches else ""
    sql = (
        f'{with_list}SELECT * FROM "{model._meta.db_table}" '  # noqa: S608
        f"WHERE ({' OR '.join(found)}) AND ({' OR '.join(exact)}) OFFSET 0"
    )
    return sql, matches_params + own_params + own_params


class _FencedTable(BaseTable):
    """PostgreSQL: the base table of a searched listing, read as the rows that
    hold the term — `FROM (<select>) "table"`, the select of `_pg_fence_select`.
    The subquery is planned alone (OFFSET 0 keeps it apart), so the planner
    reads the matches once from the bigram indexes and the listing's filters,
    order and limit then work on those rows; with the index condition beside the
    filters it also and'ed the bitmap of a low-selectivity index (a type, a
    status: 400,000 rows) or walked the name index through a million rows, and
    with `pk = ANY(ARRAY(candidates))` it read every candidate twice (by bitmap,
    then by key)."""

    def __init__(self, table_name, alias, select, params):
        super().__init__(table_name, alias)
        self.select = select
        self.params = tuple(params)

    def as_sql(self, compiler, connection):
        name = connection.ops.quote_name(self.table_name)
        alias = name if self.table_alias == self.table_name else self.table_alias
        return f"({self.select}) {alias}", list(self.params)

    def relabeled_clone(self, change_map):
        alias = change_map.get(self.table_alias, self.table_alias)
        return self.__class__(self.table_name, alias, self.select, self.params)

    @property
    def identity(self):
        return (*super().identity, self.select, self.params)


def matching_keys_queryset(queryset, text, fields):
    """PostgreSQL: `queryset` (its filters, scope and order) narrowed to the rows
    where `text` occurs in one of `fields`, made to read the keys of a listing's
    page fast — the base table read as its matching rows (`_FencedTable`) and
    nothing more. The rows are those of `substring_filter`. (The same condition
    kept in the outer WHERE as well, for the planner's estimate, made it join
    the related table for every match: 250–310 ms against 50–65 ms for "天元"
    among 2,000,000 applications.) None when the indexes cannot answer (not
    PostgreSQL, a term too short, a field without an index, a queryset whose
    base table or GROUP BY is not plain, a union or a slice).

    Only for reading keys in order (`CappedCountPaginator.keys`): Django writes
    the SQL of an UPDATE, a DELETE or a combined (`|`, `&`) queryset without the
    FROM subquery or with only one side's, and PostgreSQL infers no column from
    a subquery's key in a GROUP BY; `substring_filter` serves everything else."""
    if not text or not fields or connections[queryset.db].vendor != "postgresql":
        return None
    groups = _groups(queryset.model, text, fields)
    if groups is None:
        return None
    fence = _pg_fence_select(queryset.model, groups, text)
    plain = queryset.query
    if fence is None or plain.group_by is not None:
        return None
    if plain.combinator or plain.is_sliced:
        # the fence would go on a FROM the union does not read, or before the
        # LIMIT; `substring_filter` refuses both
        return None
    fenced = queryset.all()
    query = fenced.query
    alias = query.get_initial_alias()
    base = query.alias_map[alias]
    if type(base) is not BaseTable:
        return None
    query.alias_map[alias] = _FencedTable(base.table_name, alias, *fence)
    return fenced


@contextmanager
def serial_plan(using):
    """Within the block, PostgreSQL plans the statements of connection `using`
    without parallel workers (`max_parallel_workers_per_gather` 0, set for the
    block's transaction or savepoint and put back as it was when the block
    ends, also inside a caller's transaction: an atomic block or autocommit
    turned off); nothing on another database.

    For reading a fenced search's keys (`matching_keys_queryset`): the fence
    returns its matching rows whole, and parallel workers hand each row to the
    leader, which costs more than the scan they share: "天元" with a type filter
    among 1,000,000 organizations (7,851 matches) took 38–48 ms with two workers
    and 15–20 ms without (bench database, 2-core machine, 2026-12-02)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    name = "max_parallel_workers_per_gather"
    # inside a caller's transaction (an atomic block, or autocommit turned off:
    # then the atomic block below is a savepoint that commits nothing) the
    # setting is put back by hand
    nested = connection.in_atomic_block or not connection.get_autocommit()
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting(%s), set_config(%s, '0', true)", [name, name]
            )
            before = cursor.fetchone()[0]
        yield
        # an error in the block rolls the setting back with the savepoint, and
        # a transaction of the block's own ends it
        if nested:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [name, before])


def substring_filter(queryset, text, fields):
    """`queryset` narrowed by `substring_q` (the whole `text` as one term);
    unchanged when `text` is empty or there are no fields."""
    if not text or not fields:
        return queryset
    return queryset.filter(substring_q(queryset.model, text, fields, using=queryset.db))


# ----------------------------------------------------------------------------- counts

SEARCH_COUNT_CAP = 1000


def capped_count(queryset, cap=SEARCH_COUNT_CAP):
    """(count, capped): the number of rows, counted no further than `cap` + 1
    (`SELECT COUNT(*) FROM (… LIMIT cap+1)`), and whether there are more than
    `cap` (then count is `cap`). A broad search stops at its first matches."""
    # Only the keys are counted: annotations (a subquery per row) and the order
    # would be worked out for every row counted.
    count = queryset.order_by().values("pk")[: cap + 1].count()
    return (cap, True) if count > cap else (count, False)
