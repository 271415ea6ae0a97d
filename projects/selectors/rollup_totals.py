"""The stored outcome totals worked out again from the outcome lines: the one SQL
statement that `projects.services.rollup_totals` writes from, and the check of
`python manage.py verify_rollups` (every stored row against the lines)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from projects.choices import ReportStatus, TotalBucket
from projects.models import OutcomeLine, OutcomeReport, OutcomeTotal

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
