"""The stored outcome totals worked out again from the outcome lines: the one SQL
statement that `projects.services.rollup_totals` writes from, and the check of
`python manage.py verify_rollups` (every stored row against the lines)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from core.money import CENT
from projects.choices import ReportStatus, TotalBucket
from projects.models import (
    FundingLink,
    OutcomeLine,
    OutcomeReport,
    OutcomeRollupTotal,
    OutcomeTotal,
    Pairing,
    Project,
    RollupProjectCount,
)

# The stored columns, in the order the statement selects them (after the key).
KEY = ("project_id", "indicator_id", "year", "bucket")
FIGURES = (
    "line_count",
    "known_count",
    "value_sum",
    "numerator_sum",
    "denominator_sum",
    "target_sum",
    "target_part",
    "target_base",
    "value_latest",
    "target_latest",
    "value_is_latest",
    "target_is_latest",
)
# Decimal places of each decimal column (SQLite hands back floats).
PLACES = {
    name: OutcomeTotal._meta.get_field(name).decimal_places
    for name in FIGURES
    if OutcomeTotal._meta.get_field(name).get_internal_type() == "DecimalField"
}


_SELECT = """
SELECT project_id, indicator_id, year, bucket,
  line_count, known_count, value_sum, numerator_sum, denominator_sum, target_sum,
  target_part, target_base, value_latest, target_latest,
  CASE WHEN value_latest IS NOT NULL AND year = MAX(
      CASE WHEN value_latest IS NOT NULL THEN year END
    ) OVER (PARTITION BY project_id, indicator_id, bucket)
    THEN TRUE ELSE FALSE END AS value_is_latest,
  CASE WHEN target_latest IS NOT NULL AND year = MAX(
      CASE WHEN target_latest IS NOT NULL THEN year END
    ) OVER (PARTITION BY project_id, indicator_id, bucket)
    THEN TRUE ELSE FALSE END AS target_is_latest
FROM (
  SELECT project_id, indicator_id, year, bucket,
    COUNT(*) AS line_count,
    SUM(known) AS known_count,
    SUM(actual) AS value_sum,
    SUM(numerator) AS numerator_sum,
    SUM(CASE WHEN known = 1 THEN denominator END) AS denominator_sum,
    SUM(target) AS target_sum,
    SUM(target * denominator) AS target_part,
    SUM(CASE WHEN target IS NOT NULL THEN denominator END) AS target_base,
    MAX(CASE WHEN actual_rank = 1 AND actual IS NOT NULL THEN actual END)
      AS value_latest,
    MAX(CASE WHEN target_rank = 1 AND target IS NOT NULL THEN target END)
      AS target_latest
  FROM (
    SELECT r.project_id, l.indicator_id, r.year,
      CASE WHEN r.status = %s THEN %s ELSE %s END AS bucket,
      l.actual, l.numerator, l.denominator, l.target,
      CASE WHEN l.actual IS NOT NULL OR l.numerator IS NOT NULL
        OR l.target IS NOT NULL THEN 1 ELSE 0 END AS known,
      ROW_NUMBER() OVER (
        PARTITION BY {part}, l.actual IS NULL
        ORDER BY r.end_date DESC, l.id DESC
      ) AS actual_rank,
      ROW_NUMBER() OVER (
        PARTITION BY {part}, l.target IS NULL
        ORDER BY r.end_date DESC, l.id DESC
      ) AS target_rank
    FROM {line} l JOIN {report} r ON r.id = l.report_id
    {where}
  ) ranked
  GROUP BY project_id, indicator_id, year, bucket
) grouped
"""


def totals_select(projects=None):
    """(sql, params): a SELECT of `KEY` + `FIGURES` per project × indicator × year
    × bucket, from the lines of the reports of `projects` (a list of ids; all when
    None), unordered. Set-based: one statement, window functions for the
    latest known period of a year (latest end date, then latest line) and for the
    latest year of a project, indicator and bucket."""
    line = OutcomeLine._meta.db_table
    report = OutcomeReport._meta.db_table
    approved = ReportStatus.APPROVED
    where, params = "", []
    if projects is not None:
        projects = [int(p) for p in projects] or [0]
        where = f"WHERE r.project_id IN ({', '.join(['%s'] * len(projects))})"
    part = "r.project_id, l.indicator_id, r.year, r.status = %s"
    # table names from the models, ids as parameters: nothing from a user
    sql = _SELECT.format(part=part, line=line, report=report, where=where)
    params = [
        approved,
        TotalBucket.OFFICIAL,
        TotalBucket.PENDING,
        approved,
        approved,
        *(projects or []),
    ]
    return sql, params


def _normal(name, value):
    """A stored or recomputed figure in one form: Decimals at the column's places,
    flags as bools, counts as ints."""
    if value is None:
        return None
    if name in PLACES:
        exponent = Decimal(1).scaleb(-PLACES[name])
        return Decimal(str(value)).quantize(exponent)
    if name.endswith("_is_latest"):
        return bool(value)
    return int(value)


@dataclass(frozen=True)
class TotalDifference:
    """A stored total that is not what the lines give: `stored` and `recomputed`
    are {column: value} (None for a row that is missing on that side)."""

    project_id: int
    indicator_id: int
    year: int
    bucket: str
    stored: dict | None
    recomputed: dict | None

    def columns(self):
        """The columns that differ (all when a row is missing on one side)."""
        if self.stored is None or self.recomputed is None:
            return list(FIGURES)
        return [f for f in FIGURES if self.stored[f] != self.recomputed[f]]


def _rows(cursor):
    while True:
        chunk = cursor.fetchmany(2000)
        if not chunk:
            return
        for row in chunk:
            key = (int(row[0]), int(row[1]), int(row[2]), row[3])
            yield (
                key,
                {
                    name: _normal(name, value)
                    for name, value in zip(FIGURES, row[4:], strict=True)
                },
            )


def rollup_totals_differences():
    """Every stored outcome total that differs from the lines, as
    `TotalDifference`s ordered by project, indicator, year and bucket. Streams both
    sides in key order (server-side cursors on PostgreSQL) and merges them (memory
    independent of the data size, but for the differences)."""
    sql, params = totals_select()
    order = " ORDER BY project_id, indicator_id, year, bucket"
    table = OutcomeTotal._meta.db_table
    columns = ", ".join(KEY + FIGURES)
    stored_sql = f"SELECT {columns} FROM {table}{order}"  # noqa: S608
    differences = []
    # server-side cursors on PostgreSQL (a plain one holds the whole result in
    # the client at `execute`); SQLite steps through its results anyway
    with connection.chunked_cursor() as left, connection.chunked_cursor() as right:
        left.execute(stored_sql)
        recomputed_sql = f"SELECT * FROM ({sql}) recomputed{order}"  # noqa: S608
        right.execute(recomputed_sql, params)
        stored, recomputed = _rows(left), _rows(right)
        a, b = next(stored, None), next(recomputed, None)
        while a is not None or b is not None:
            if b is None or (a is not None and a[0] < b[0]):
                differences.append(TotalDifference(*a[0], a[1], None))
                a = next(stored, None)
            elif a is None or b[0] < a[0]:
                differences.append(TotalDifference(*b[0], None, b[1]))
                b = next(recomputed, None)
            else:
                if a[1] != b[1]:
                    differences.append(TotalDifference(*a[0], a[1], b[1]))
                a, b = next(stored, None), next(recomputed, None)
    return differences


# --- per-dimension totals (`OutcomeRollupTotal`) ------------------------------------

DIMENSION_KEY = ("dimension", "key", "indicator_id", "year", "bucket")
# Each figure of OutcomeRollupTotal: (its column, the SQL over a per-project total
# `t` that it adds up). `<figure>_count` counts the project totals that know it.
_DIMENSION_SOURCES = (
    ("value_sum", "t.value_sum"),
    ("numerator_sum", "t.numerator_sum"),
    ("denominator_sum", "t.denominator_sum"),
    ("target_sum", "t.target_sum"),
    ("target_part", "t.target_part"),
    ("target_base", "t.target_base"),
    ("value_latest", "t.value_latest"),
    ("target_latest", "t.target_latest"),
    ("value_final", "CASE WHEN t.value_is_latest THEN t.value_latest END"),
    ("target_final", "CASE WHEN t.target_is_latest THEN t.target_latest END"),
)
DIMENSION_FIGURES = ("line_count", "known_count") + tuple(
    column for name, _sql in _DIMENSION_SOURCES for column in (name, f"{name}_count")
)
DIMENSION_PLACES = {
    name: OutcomeRollupTotal._meta.get_field(name).decimal_places
    for name, _sql in _DIMENSION_SOURCES
}
ROLLUP_DIMENSIONS = ("county", "organization", "alliance", "fund")
NO_KEY = "__none__"  # projects.selectors.rollups.NO_KEY


def _id_list(column, projects):
    """(SQL, params): `column IN (…)` for a list of project ids, or true."""
    if projects is None:
        return "1 = 1", []
    projects = [int(p) for p in projects] or [0]
    return f"{column} IN ({', '.join(['%s'] * len(projects))})", projects


def dimension_keys(dimension, projects=None, *, money=False):
    """(sql, params): a SELECT of (project_id, key) — the keys of `dimension` of
    each project of `projects` (ids; all when None), as the roll-up groups them:
    the id of its pairing's county / organization / alliance as text (`NO_KEY`
    for no alliance), or each fund name it has a link to, once (`NO_KEY` for a
    project without links). With `money` a third column, `amount` (元): the
    project's budget, or by fund each link's amount (then a row per link, not
    once per fund; 0 for a project without links)."""
    project = Project._meta.db_table
    pairing = Pairing._meta.db_table
    link = FundingLink._meta.db_table
    if dimension == "fund":
        where, params = _id_list("f.project_id", projects)
        where_p, params_p = _id_list("p.id", projects)
        linked = "f.amount AS amount" if money else ""
        unlinked = "0 AS amount" if money else ""
        sql = (
            f"SELECT {'' if money else 'DISTINCT '}f.project_id AS project_id, "  # noqa: S608
            f"f.fund_name AS key{', ' + linked if money else ''} "
            f"FROM {link} f WHERE {where} "
            f"UNION ALL SELECT p.id AS project_id, '{NO_KEY}' AS key"
            f"{', ' + unlinked if money else ''} FROM {project} p "
            f"WHERE {where_p} AND NOT EXISTS "
            f"(SELECT 1 FROM {link} f2 WHERE f2.project_id = p.id)"
        )
        return sql, params + params_p
    column = {
        "county": "pa.county_id",
        "organization": "pa.organization_id",
        "alliance": "pa.alliance_id",
    }[dimension]
    where, params = _id_list("p.id", projects)
    sql = (
        f"SELECT p.id AS project_id, "  # noqa: S608
        f"COALESCE(CAST({column} AS VARCHAR(200)), '{NO_KEY}') AS key"
        f"{', p.budget AS amount' if money else ''} "
        f"FROM {project} p JOIN {pairing} pa ON pa.id = p.pairing_id WHERE {where}"
    )
    return sql, params


def dimension_select(dimension, projects=None, *, sign=1, source=None):
    """(sql, params): a SELECT of `DIMENSION_KEY` + `DIMENSION_FIGURES` — the
    per-project totals of `projects` (ids; all when None) added up per key of
    `dimension`, indicator, year and bucket, each figure times `sign` (1 or -1).
    From the stored `OutcomeTotal` rows, or from `source`, the name of a table or
    WITH query of the same columns (`verify_rollups`: the totals recomputed from
    the lines)."""
    sign = int(sign)
    keys_sql, keys_params = dimension_keys(dimension, projects)
    where, where_params = _id_list("t.project_id", projects)
    source = source or OutcomeTotal._meta.db_table
    figures = [f"{sign} * SUM(t.line_count)", f"{sign} * SUM(t.known_count)"]
    for _name, expression in _DIMENSION_SOURCES:
        figures.append(f"{sign} * COALESCE(SUM({expression}), 0)")
        figures.append(f"{sign} * COUNT({expression})")
    sql = (
        f"SELECT '{dimension}' AS dimension, k.key AS key, t.indicator_id, t.year, "  # noqa: S608
        f"t.bucket, {', '.join(figures)} "
        f"FROM {source} t JOIN ({keys_sql}) k ON k.project_id = t.project_id "
        f"WHERE {where} GROUP BY k.key, t.indicator_id, t.year, t.bucket"
    )
    return sql, [*keys_params, *where_params]


def _dimension_normal(name, value):
    if name in DIMENSION_PLACES:
        exponent = Decimal(1).scaleb(-DIMENSION_PLACES[name])
        return Decimal(str(value or 0)).quantize(exponent)
    return int(value or 0)


@dataclass(frozen=True)
class DimensionDifference:
    """A stored per-dimension total (`OutcomeRollupTotal`) that is not what the
    lines give: `stored` and `recomputed` are {column: value} (None for a row that
    is missing on that side)."""

    dimension: str
    key: str
    indicator_id: int
    year: int
    bucket: str
    stored: dict | None
    recomputed: dict | None

    def columns(self):
        """The columns that differ (all when a row is missing on one side)."""
        if self.stored is None or self.recomputed is None:
            return list(DIMENSION_FIGURES)
        return [f for f in DIMENSION_FIGURES if self.stored[f] != self.recomputed[f]]


def rollup_dimension_differences():
    """Every stored per-dimension total that differs from what the lines give, as
    `DimensionDifference`s ordered by dimension, key, indicator, year and bucket.
    Both sides come back from one statement (UNION ALL, ordered by the database,
    stored row first), so equal keys are neighbours and memory does not grow with
    the data. The per-project totals are recomputed from the lines once (a WITH
    query) and added up for every dimension."""
    table = OutcomeRollupTotal._meta.db_table
    columns = ", ".join(DIMENSION_KEY + DIMENSION_FIGURES)
    lines_sql, params = totals_select()
    parts = [f"SELECT 0 AS side, {columns} FROM {table}"]  # noqa: S608
    for dimension in ROLLUP_DIMENSIONS:
        sql, part_params = dimension_select(dimension, source="recomputed_totals")
        parts.append(f"SELECT 1 AS side, * FROM ({sql}) d{len(parts)}")  # noqa: S608
        params = [*params, *part_params]
    sql = (
        f"WITH recomputed_totals AS ({lines_sql}) "  # noqa: S608
        f"SELECT * FROM ({' UNION ALL '.join(parts)}) both_sides "
        "ORDER BY dimension, key, indicator_id, year, bucket, side"
    )
    differences = []
    pending = None  # a stored row waiting for its recomputed neighbour
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            chunk = cursor.fetchmany(2000)
            if not chunk:
                break
            for row in chunk:
                side = int(row[0])
                key = (row[1], row[2], int(row[3]), int(row[4]), row[5])
                values = {
                    name: _dimension_normal(name, value)
                    for name, value in zip(DIMENSION_FIGURES, row[6:], strict=True)
                }
                if side == 0:
                    if pending is not None:
                        differences.append(DimensionDifference(*pending, None))
                    pending = (*key, values)
                    continue
                if pending is not None and pending[:5] == key:
                    if pending[5] != values:
                        differences.append(DimensionDifference(*pending, values))
                else:
                    if pending is not None:
                        differences.append(DimensionDifference(*pending, None))
                    differences.append(DimensionDifference(*key, None, values))
                pending = None
    if pending is not None:
        differences.append(DimensionDifference(*pending, None))
    return differences


# --- projects and money per roll-up key (`RollupProjectCount`) ----------------------

# the roll-up dimensions whose project counts are stored: those of the keys,
# and the period years (`year_key`)
COUNT_DIMENSIONS = ROLLUP_DIMENSIONS + ("year",)
COUNT_KEY = ("dimension", "key")
COUNT_FIGURES = ("projects", "money")


def count_select(dimension, projects=None, *, sign=1, source=None):
    """(sql, params): a SELECT of `COUNT_KEY` + `COUNT_FIGURES` — the projects of
    `projects` (ids; all when None) counted per key of `dimension` with their
    money (元), each figure times `sign` (1 or -1): per county, organization or
    alliance (id as text, `NO_KEY` for no alliance) the projects and the sum of
    their budgets; per fund name the projects linked to it (once however many
    links) and the sum of the links' amounts, `NO_KEY` the projects without a link
    (money 0). By "year" (`year_key`): the projects with outcome lines in
    reports of each period year and bucket, and of any year per bucket (money 0),
    counted from the stored per-project totals (or from `source`, the name of a
    WITH query of the same columns: `verify_rollups`, the totals recomputed from
    the lines). Keys without projects give no row."""
    sign = int(sign)
    if dimension == "year":
        return _year_count_select(projects, sign, source)
    # the keys as `dimension_keys` has them (a fund named like `NO_KEY` shares the
    # unfunded projects' row: one row per key, which ON CONFLICT and the unique
    # key need); a project linked twice to one fund counts once
    keys_sql, params = dimension_keys(dimension, projects, money=True)
    sql = (
        f"SELECT '{dimension}' AS dimension, u.key AS key, "  # noqa: S608
        f"{sign} * COUNT(DISTINCT u.project_id), {sign} * SUM(u.amount) "
        f"FROM ({keys_sql}) u GROUP BY u.key"
    )
    return sql, params


def year_key(year, bucket):
    """The key of a year's project count: "2023:official"; `year` None: the
    projects of any year ("all:official")."""
    return f"{'all' if year is None else int(year)}:{bucket}"


def _year_count_select(projects, sign, source=None):
    totals = source or OutcomeTotal._meta.db_table
    where, params = _id_list("t.project_id", projects)
    count = f"{sign} * COUNT(DISTINCT t.project_id)"
    sql = (
        f"SELECT 'year' AS dimension, "  # noqa: S608
        f"CAST(t.year AS VARCHAR(10)) || ':' || t.bucket AS key, {count}, 0 "
        f"FROM {totals} t WHERE {where} GROUP BY t.year, t.bucket "
        f"UNION ALL SELECT 'year' AS dimension, 'all:' || t.bucket AS key, "
        f"{count}, 0 FROM {totals} t WHERE {where} GROUP BY t.bucket"
    )
    return sql, params + params


@dataclass(frozen=True)
class CountDifference:
    """A stored `RollupProjectCount` that is not what the projects give: `stored`
    and `recounted` are (projects, money 元), or None for a row missing on that
    side."""

    dimension: str
    key: str
    stored: tuple | None
    recounted: tuple | None


def _count_rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (row[0], row[1]): (int(row[2]), Decimal(str(row[3] or 0)).quantize(CENT))
            for row in cursor.fetchall()
        }


def rollup_count_differences():
    """Every stored project count per roll-up key that differs from the projects
    (by year: from the outcome lines), as `CountDifference`s ordered by dimension
    and key. Both sides are read whole:
    one row per key (counties, organizations with pairings, alliances, funds),
    never per project."""
    table = RollupProjectCount._meta.db_table
    stored = _count_rows(f"SELECT dimension, key, projects, money FROM {table}")  # noqa: S608
    recounted = {}
    for dimension in ROLLUP_DIMENSIONS:
        recounted.update(_count_rows(*count_select(dimension)))
    # the years from the per-project totals recomputed from the lines
    lines_sql, lines_params = totals_select()
    years_sql, years_params = count_select("year", source="recomputed_totals")
    recounted.update(
        _count_rows(
            f"WITH recomputed_totals AS ({lines_sql}) {years_sql}",
            [*lines_params, *years_params],
        )
    )
    differences = []
    for key in sorted(set(stored) | set(recounted)):
        if stored.get(key) != recounted.get(key):
            differences.append(
                CountDifference(*key, stored.get(key), recounted.get(key))
            )
    return differences


def pairing_province_differences():
    """The pairings whose stored flag `crosses_provinces` is not what their
    organization's region and their county give: [(pairing id, stored flag)]
    ordered by id (one query over the pairings)."""
    from django.db.models import Q

    cross = Pairing.objects.cross_province_recomputed().values("pk")
    wrong = Pairing.objects.filter(
        Q(crosses_provinces=True) & ~Q(pk__in=cross)
        | Q(crosses_provinces=False, pk__in=cross)
    )
    return list(wrong.order_by("pk").values_list("pk", "crosses_provinces"))
