"""Writes of the stored outcome totals (`projects.models.OutcomeTotal`), always in
the transaction of the write that changes what counts — never a queued job that
could lag or drift:

- `rollup_totals_apply(report=…)` after a report is approved, returned, submitted,
  imported, edited (its lines changed or deleted) or deleted. Call sites:
  `projects.services.reports` (submit, approve, return, approve on import),
  `projects.services.organization_reports` (draft create, lines save),
  `projects.imports.outcome_reports` (`write`), the admin report create and edit
  views (`projects.views.reports`), and every report deletion (a `post_delete`
  receiver connected in `projects.apps`).
- `rollup_totals_rebuild()` after bulk writes that bypass the services
  (`bench_generate`, `seed_demo`) and to repair.

`python manage.py verify_rollups` checks the stored rows against the lines.
"""

from django.db import connection, transaction

from projects.models import OutcomeTotal, Project
from projects.selectors.rollup_totals import FIGURES, KEY, totals_select

_COLUMNS = ", ".join(KEY + FIGURES)


def _insert(projects=None):
    sql, params = totals_select(projects)
    table = OutcomeTotal._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({_COLUMNS}) {sql}", params)


@transaction.atomic
def rollup_totals_apply(*, report, projects=()):
    """Rewrite the stored totals of `report`'s project (and of `projects`, ids of
    other projects whose reports moved) from their lines: every year and bucket,
    since a report that changes bucket or year moves figures between rows, and the
    latest year of a cumulative indicator spans years. Set-based (one DELETE, one
    INSERT … SELECT). `report` may be deleted already (its `project_id` is read).
    The project rows are locked first (select_for_update) so that two writers of
    one project rewrite its totals one after the other. Returns nothing."""
    ids = sorted({report.project_id, *projects} - {None})
    if not ids:
        return
    list(
        Project.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    OutcomeTotal.objects.filter(project_id__in=ids).delete()
    _insert(ids)


def rollup_totals_report_deleted(sender, instance, **kwargs):
    """`post_delete` receiver of OutcomeReport: its lines are gone (deleted before
    it, in the same transaction); rewrite its project's totals."""
    rollup_totals_apply(report=instance)


@transaction.atomic
def rollup_totals_rebuild():
    """Recompute every stored total from the outcome lines (one DELETE, one
    INSERT … SELECT … GROUP BY). Returns the number of rows stored."""
    OutcomeTotal.objects.all().delete()
    _insert()
    return OutcomeTotal.objects.count()
