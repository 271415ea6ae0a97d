"""Suite-wide hooks and autouse settings; fixtures live in tests/fixtures/ (plugins)."""

import pytest
from django.utils import translation

pytest_plugins = [
    "tests.fixtures.users",
    "tests.fixtures.incubation",
    "tests.fixtures.funding",
    "tests.fixtures.projects",
    "tests.fixtures.cms",
    "tests.fixtures.supervision",
    "tests.fixtures.demo",
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test lists the requests its pages had not finished (the
    `browser` fixture tracks them): a page that hung on one names it."""
    outcome = yield
    report = outcome.get_result()
    contexts = getattr(item, "browser_contexts", None)
    if report.failed and contexts:
        from tests.support.browser import unfinished

        text = "\n".join(filter(None, map(unfinished, contexts)))
        report.sections.append(
            ("requests not finished at the failure", text or "(none)")
        )


def pytest_collection_modifyitems(items):
    """A transactional test empties every table when it ends, and the migrations' data
    (regions, roles) with it: such tests must restore it with serialized_rollback."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the product's default language."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _migration_rows_restored_in_bulk():
    """How a transactional test's serialized rollback reloads the migrations' rows
    (about 4,300: regions, permissions, content types, groups, Wagtail's root)
    once it has emptied every table.

    Django saves them one at a time, an UPDATE then an INSERT each, with their
    signals: about 2 s a test on SQLite and 3 s on PostgreSQL. Here each run of
    rows of one model is inserted in bulk (a model with a parent table, such as a
    page type, and a row still in its table are saved as Django does), the
    many-to-many rows after them, and
    the constraints are checked at the end as Django checks them; the cache is
    emptied, as the signals of the old rows' saves did.

    Content types are restored first: a row saved before them whose post_save
    handler looked up a content type the process no longer had cached inserted it
    under a new id, and the serialized row then collided with it ("UNIQUE
    constraint failed: django_content_type…")."""
    import itertools
    import json

    from django.core import serializers
    from django.core.cache import caches
    from django.db import transaction
    from django.db.backends.base.creation import BaseDatabaseCreation

    original = BaseDatabaseCreation.deserialize_db_from_string

    def restore(self, data):
        rows = json.loads(data)
        rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
        alias = self.connection.alias
        objects = serializers.deserialize("python", rows, using=alias)
        table_names = set()
        with transaction.atomic(using=alias):
            with self.connection.constraint_checks_disabled():
                for model, run in itertools.groupby(objects, lambda o: type(o.object)):
                    run = list(run)
                    table_names.add(model._meta.db_table)
                    # The first transactional test of a worker restores over the
                    # rows still there: those are saved as Django does.
                    manager = model._base_manager.using(alias)
                    if model._meta.parents:
                        saved, fresh = run, []
                    else:
                        present = set(
                            manager.filter(
                                pk__in=[item.object.pk for item in run]
                            ).values_list("pk", flat=True)
                        )
                        saved = [i for i in run if i.object.pk in present]
                        fresh = [i for i in run if i.object.pk not in present]
                    for item in saved:
                        item.save()
                    if fresh:
                        manager.bulk_create([i.object for i in fresh], batch_size=500)
                    for item in fresh:
                        for name, ids in (item.m2m_data or {}).items():
                            field = model._meta.get_field(name)
                            through = field.remote_field.through
                            table_names.add(through._meta.db_table)
                            source = field.m2m_field_name()
                            target = field.m2m_reverse_field_name()
                            through._base_manager.using(alias).bulk_create(
                                [
                                    through(
                                        **{
                                            f"{source}_id": item.object.pk,
                                            f"{target}_id": pk,
                                        }
                                    )
                                    for pk in ids
                                ]
                            )
            self.connection.check_constraints(table_names=table_names)
        for cache in caches.all():
            cache.clear()

    BaseDatabaseCreation.deserialize_db_from_string = restore
    yield
    BaseDatabaseCreation.deserialize_db_from_string = original


@pytest.fixture(scope="session", autouse=True)
def _tables_emptied_by_delete_on_postgresql():
    """How a transactional test's tables are emptied when it ends on PostgreSQL.

    Django's `flush` empties them with one TRUNCATE of every table (213): on
    PostgreSQL that gives each table and index a new file, 1.0–1.7 s a test on
    the quiet 2-core CI machine (1.5–2.6 s under load). Locking them as TRUNCATE
    does and deleting each table's rows in one transaction takes 47–57 ms at the
    few rows a test leaves. The lock makes a transaction still writing (a
    request on the live server when a browser test ends) finish before the rows
    are deleted, and the next wait for the commit. The order of the DELETEs does
    not matter: every foreign key is DEFERRABLE INITIALLY DEFERRED (Django
    creates them so; `tests/platform/test_flush.py` checks the schema), so they
    are checked once, at the commit, when every table is empty. The id sequences
    go on, as with Django's `reset_sequences=False`; a flush that asks for them
    to restart, or for CASCADE, is Django's own. SQLite's flush is a DELETE
    already."""
    from django.db import connection

    from tests.support.demo_snapshot import lock_tables_sql

    if connection.vendor != "postgresql":
        yield
        return
    operations = type(connection.ops)
    original = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return original(
                self,
                style,
                tables,
                reset_sequences=reset_sequences,
                allow_cascade=allow_cascade,
            )
        if not tables:
            return []
        return [
            # as TRUNCATE does: wait for a transaction still writing to these
            # tables (a request on the live server when a browser test ends)
            # and keep the next one out until the commit
            lock_tables_sql(self, tables),
            *(
                "%s %s %s;"
                % (
                    style.SQL_KEYWORD("DELETE"),
                    style.SQL_KEYWORD("FROM"),
                    style.SQL_FIELD(self.quote_name(table)),
                )
                for table in tables
            ),
        ]

    operations.sql_flush = sql_flush
    yield
    operations.sql_flush = original
