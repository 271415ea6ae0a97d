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

The per-dimension totals (`projects.models.OutcomeRollupTotal`) move with them:
`rollup_totals_apply` subtracts the project's old totals from its keys' rows and
adds the new ones; a change of a project's keys (its pairing, a pairing's county,
organization or alliance, a funding link added, deleted or renamed, an alliance or
a project deleted) takes its whole contribution from the old keys' rows before the
write (`pre_save` / `pre_delete` receivers, `rollup_keys_leave`) and adds it to the
new keys' rows after it (`post_save` / `post_delete`, `rollup_keys_join`), all in
the writing transaction, after locking the pairing and project rows it reads (a
concurrent writer of the same project or pairing waits, then reads what was
committed). Writes that bypass the model signals (QuerySet.update,
bulk_create of links of projects that already have reports) must call
`rollup_totals_rebuild`.

The projects and money per key (`projects.models.RollupProjectCount`) move the
same way: `rollup_keys_leave` / `rollup_keys_join` take every project whose keys a
write may change out of its keys' counts and put it back (a new project joins in
`post_save`, a deleted one never comes back), `rollup_totals_apply` moves the
year rows (projects with lines per period year and bucket), and writers that
bypass the signals — the project import's `bulk_create` — call
`rollup_counts_add` themselves.

`python manage.py verify_rollups` checks the stored rows against the lines and
the projects.
"""

from django.db import connection, transaction

from projects.models import (
    OutcomeRollupTotal,
    OutcomeTotal,
    Project,
    RollupProjectCount,
)
from projects.selectors.rollup_totals import (
    COUNT_DIMENSIONS,
    COUNT_FIGURES,
    COUNT_KEY,
    DIMENSION_FIGURES,
    DIMENSION_KEY,
    FIGURES,
    KEY,
    ROLLUP_DIMENSIONS,
    count_select,
    dimension_keys,
    dimension_select,
    totals_select,
)

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
    rollup_dimensions_add(ids, sign=-1)
    rollup_counts_add(ids, sign=-1, dimensions=("year",))
    OutcomeTotal.objects.filter(project_id__in=ids).delete()
    _insert(ids)
    rollup_dimensions_add(ids, sign=1)
    rollup_counts_add(ids, sign=1, dimensions=("year",))


def _rows_add(model, key, figures, statements, projects, dimensions, order):
    """Add the rows that `statements(dimension, chunk)` selects to `model`'s table
    — (select sql, params, and for a subtraction the sql and params of a SELECT of
    the keys whose rows may have fallen to nothing, or None) — 500 projects at a
    time, one INSERT … SELECT … ON CONFLICT DO UPDATE per dimension adding every
    column of `figures` to the stored row of the same `key` columns; then the rows
    of those keys whose first figure is 0 are deleted. Rows are taken in `order`
    (positions of the selected columns), so that writers of projects sharing keys
    wait for each other rather than deadlock."""
    projects = sorted({int(p) for p in projects})
    table = model._meta.db_table
    columns = ", ".join(key + figures)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in figures)
    for start in range(0, len(projects), 500):
        chunk = projects[start : start + 500]
        for dimension in dimensions:
            sql, params, keys_sql, keys_params = statements(dimension, chunk)
            with connection.cursor() as cursor:
                cursor.execute(
                    # WHERE: SQLite reads ON CONFLICT after a bare FROM as a join
                    f"INSERT INTO {table} ({columns}) SELECT * FROM ({sql}) c "  # noqa: S608
                    f"WHERE 1 = 1 ORDER BY {order} "
                    f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}",
                    params,
                )
                if keys_sql is not None:
                    cursor.execute(
                        f"DELETE FROM {table} WHERE dimension = %s "  # noqa: S608
                        f"AND {figures[0]} = 0 "
                        f"AND key IN (SELECT key FROM ({keys_sql}) k)",
                        [dimension, *keys_params],
                    )


def rollup_dimensions_add(projects, *, sign=1, dimensions=ROLLUP_DIMENSIONS):
    """Add (`sign` 1) or subtract (-1) the stored totals of `projects` (ids) to /
    from the `OutcomeRollupTotal` rows of their present keys of each of
    `dimensions`: one INSERT … SELECT … ON CONFLICT DO UPDATE per dimension, then
    the rows of those keys left without lines are deleted. Returns nothing."""

    def statements(dimension, chunk):
        sql, params = dimension_select(dimension, chunk, sign=sign)
        keys_sql, keys_params = (
            dimension_keys(dimension, chunk) if sign < 0 else (None, None)
        )
        return sql, params, keys_sql, keys_params

    _rows_add(
        OutcomeRollupTotal,
        DIMENSION_KEY,
        DIMENSION_FIGURES,
        statements,
        projects,
        dimensions,
        "2, 3, 4, 5",
    )


def rollup_counts_add(projects, *, sign=1, dimensions=ROLLUP_DIMENSIONS):
    """Add (`sign` 1) or subtract (-1) `projects` (ids) — one each, with their
    budgets or link amounts (元) — to / from the `RollupProjectCount` rows of their
    present keys of each of `dimensions`: one INSERT … SELECT … ON CONFLICT DO
    UPDATE per dimension, then the rows of those keys left with no project are
    deleted. Returns nothing."""

    def statements(dimension, chunk):
        sql, params = count_select(dimension, chunk, sign=sign)
        return sql, params, *((sql, params) if sign < 0 else (None, None))

    _rows_add(
        RollupProjectCount,
        COUNT_KEY,
        COUNT_FIGURES,
        statements,
        projects,
        dimensions,
        "2",
    )


@transaction.atomic
def rollup_counts_rebuild():
    """Recount every `RollupProjectCount` from the projects (by year: from the
    stored per-project totals, so call it after they are rebuilt): one DELETE,
    one INSERT … SELECT … GROUP BY per dimension. Returns the number of rows
    stored."""
    table = RollupProjectCount._meta.db_table
    columns = ", ".join(COUNT_KEY + COUNT_FIGURES)
    RollupProjectCount.objects.all().delete()
    with connection.cursor() as cursor:
        for dimension in COUNT_DIMENSIONS:
            sql, params = count_select(dimension)
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608
    return RollupProjectCount.objects.count()


def rollup_totals_report_deleted(sender, instance, **kwargs):
    """`post_delete` receiver of OutcomeReport: its lines are gone (deleted before
    it, in the same transaction); rewrite its project's totals."""
    rollup_totals_apply(report=instance)


@transaction.atomic
def rollup_totals_rebuild():
    """Recompute every stored total from the outcome lines (one DELETE, one
    INSERT … SELECT … GROUP BY), the per-dimension totals from them and the
    project counts per key from the projects. Returns the number of per-project
    totals stored."""
    OutcomeTotal.objects.all().delete()
    _insert()
    rollup_dimensions_rebuild()
    rollup_counts_rebuild()
    return OutcomeTotal.objects.count()


@transaction.atomic
def rollup_dimensions_rebuild():
    """Recompute every per-dimension total (`OutcomeRollupTotal`) from the stored
    per-project totals (one DELETE, one INSERT … SELECT … GROUP BY per dimension).
    Returns the number of rows stored."""
    table = OutcomeRollupTotal._meta.db_table
    columns = ", ".join(DIMENSION_KEY + DIMENSION_FIGURES)
    OutcomeRollupTotal.objects.all().delete()
    with connection.cursor() as cursor:
        for dimension in ROLLUP_DIMENSIONS:
            sql, params = dimension_select(dimension)
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608
    return OutcomeRollupTotal.objects.count()


# --- a project's keys change: its contribution leaves the old keys, joins the new


def _key_projects(instance):
    """The ids of the projects whose roll-up keys a write of `instance` (a
    Project, Pairing, FundingLink or Alliance) may change, and the dimensions."""
    from projects.models import Alliance, FundingLink, Pairing

    if isinstance(instance, FundingLink):
        # a new link (no id yet) moves its project out of the row `NO_KEY`
        project = instance.project_id
        if project is None:
            return [], ()
        old = None
        if instance.pk is not None:
            old = (
                FundingLink.objects.filter(pk=instance.pk)
                .values_list("project_id", flat=True)
                .first()
            )
        return sorted({project, old} - {None}), ("fund",)
    if instance.pk is None:
        return [], ()
    if isinstance(instance, Project):
        return [instance.pk], ROLLUP_DIMENSIONS
    if isinstance(instance, Pairing):
        ids = Project.objects.filter(pairing_id=instance.pk).values_list(
            "pk", flat=True
        )
        return list(ids), ("county", "organization", "alliance")
    if isinstance(instance, Alliance):
        ids = Project.objects.filter(pairing__alliance_id=instance.pk).values_list(
            "pk", flat=True
        )
        return list(ids), ("alliance",)
    return [], ()


_DELETED = "deleted"  # in `_moved_out`: (project id, _DELETED) while it is deleted


def _moved_out():
    """The (project id, dimension) pairs whose contribution a delete has taken
    out and not yet put back, in this transaction: a delete of several funding
    links of one project (or of a project and its links) sends several
    `pre_delete`s before the first `post_delete`, and the contribution must leave
    and come back once. Kept on the connection with the outermost atomic block
    (Django's deletes always run in one), so a delete rolled back half-way leaves
    nothing behind for the next transaction."""
    blocks = connection.atomic_blocks
    owner = blocks[0] if blocks else None
    state = getattr(connection, "_rollup_moved_out", None)
    if state is None or state[0] is not owner:
        state = (owner, set())
        connection._rollup_moved_out = state
    return state[1]


def _lock_pairings(instance):
    """Lock the pairing rows whose county, organization and alliance a write of
    `instance` reads as its projects' keys, before they are read: a pairing's
    own row (its projects are read next), a project's pairing before and after
    (a project created or moved into a pairing whose county another transaction
    is changing waits for it). Pairings before projects, in id order."""
    from projects.models import Pairing

    if isinstance(instance, Pairing):
        pairings = {instance.pk}
    elif isinstance(instance, Project):
        old = None
        if instance.pk is not None:
            old = (
                Project.objects.filter(pk=instance.pk)
                .values_list("pairing_id", flat=True)
                .first()
            )
        pairings = {instance.pairing_id, old}
    else:
        return
    pairings -= {None}
    if pairings:
        list(
            Pairing.objects.select_for_update()
            .filter(pk__in=pairings)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def rollup_keys_leave(sender, instance, **kwargs):
    """`pre_save` / `pre_delete` receiver: lock the projects whose keys the write
    may change (in a transaction) and take them out of their present keys' rows — their counts and money
    (`RollupProjectCount`) and, for those with stored totals, their figures
    (`OutcomeRollupTotal`) — in a delete once per project and dimension until
    `rollup_keys_join` puts them back."""
    in_transaction = not connection.get_autocommit()
    if in_transaction:
        _lock_pairings(instance)
    ids, dimensions = _key_projects(instance)
    deleting = "origin" in kwargs  # pre_delete; pre_save has no origin
    instance._rollup_moving = ([], set(), (), deleting)
    if not ids:
        return
    if in_transaction:
        # the project rows locked first (as `rollup_totals_apply` does): a
        # second writer of one of them waits, then takes out what the first
        # committed — not what it read before, which it would put back twice
        list(
            Project.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    totalled = set(
        OutcomeTotal.objects.filter(project_id__in=ids)
        .values_list("project_id", flat=True)
        .distinct()
        .order_by()
    )
    out = _moved_out() if deleting else set()
    if deleting and isinstance(instance, Project):
        # deleted with it, its links send their own receivers before it goes:
        # nothing of it may come back
        out.add((instance.pk, _DELETED))
    for dimension in dimensions:
        leaving = [p for p in ids if (p, dimension) not in out]
        rollup_dimensions_add(
            [p for p in leaving if p in totalled], sign=-1, dimensions=(dimension,)
        )
        rollup_counts_add(leaving, sign=-1, dimensions=(dimension,))
        if deleting:
            out.update((p, dimension) for p in leaving)
    instance._rollup_moving = (ids, totalled, dimensions, deleting)


def rollup_keys_join(sender, instance, **kwargs):
    """`post_save` / `post_delete` receiver: put the projects `rollup_keys_leave`
    took out back into the rows of their keys now (a project created: its count
    and money; a project being deleted: nothing)."""
    ids, totalled, dimensions, deleting = getattr(
        instance, "_rollup_moving", ([], set(), (), False)
    )
    instance._rollup_moving = ([], set(), (), False)
    if isinstance(instance, Project) and kwargs.get("created"):
        ids, totalled, dimensions = [instance.pk], set(), ROLLUP_DIMENSIONS
    out = _moved_out() if deleting else None
    gone = set()
    if deleting:
        gone = {p for p in ids if (p, _DELETED) in out}
        if isinstance(instance, Project):
            out.discard((instance.pk, _DELETED))
    for dimension in dimensions:
        joining = ids if out is None else [p for p in ids if (p, dimension) in out]
        back = [p for p in joining if p not in gone]
        rollup_dimensions_add(
            [p for p in back if p in totalled], sign=1, dimensions=(dimension,)
        )
        rollup_counts_add(back, sign=1, dimensions=(dimension,))
        if out is not None:
            out.difference_update((p, dimension) for p in joining)
