"""Attacks on the DELETE flush of tests/conftest.py (`_tables_emptied_by_delete_on_
postgresql`) and the DELETE of demo_snapshot.restore.

A TRUNCATE takes an ACCESS EXCLUSIVE lock on every table: it waits for any other
transaction that wrote to one of them (a live_server request still running when a
browser test ends) and then empties the table, rows that transaction committed
included. A DELETE only removes the rows its snapshot sees: a row another
connection inserted and committed while the flush ran stays for the next test, and
a row it inserted pointing at a row the flush deletes fails the flush's commit.
Both failed here; the flush now locks every table as TRUNCATE does before its
DELETEs, and `restore` defers the foreign-key checks itself."""

import threading

import pytest
from django.db import connection, connections

from core.models import Region
from tests.support.serialized_rows import (
    flush_as_after_a_transactional_test,
    row_counts,
)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second connection's transaction"
)

CODE = "990001"


def _second_connection():
    """A connection of its own to the test database (as a live_server thread has)."""
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = False
    return raw


def _flush_in_a_thread(flush):
    """Runs the flush as pytest-django does at a test's end, in another thread
    (its own Django connection); returns the thread and its outcome."""
    outcome = {}

    def run():
        try:
            flush()
        except Exception as error:  # noqa: BLE001
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _own_flush():
    """Django's own flush: allow_cascade is passed to Django's sql_flush (TRUNCATE)."""
    from django.core.management import call_command

    call_command(
        "flush",
        interactive=False,
        verbosity=0,
        reset_sequences=False,
        allow_cascade=True,
        inhibit_post_migrate=True,
    )


FLUSHES = [
    pytest.param(flush_as_after_a_transactional_test, id="suite-flush"),
    pytest.param(_own_flush, id="django-truncate"),
]


def _race(flush, sql, params):
    """A second connection writes `sql` and has not committed when the flush
    starts in another thread; it commits a second later. Returns what failed
    ({"error": …} of the flush, {"request's commit": …}); asserts the flush
    ended."""
    other = _second_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute(sql, params)
        thread, outcome = _flush_in_a_thread(flush)
        thread.join(timeout=1)
        try:
            other.commit()
        except Exception as error:  # noqa: BLE001
            outcome["request's commit"] = error
        thread.join(timeout=30)
    finally:
        other.close()
    assert not thread.is_alive()
    return outcome


def _codes():
    return sorted(Region.objects.values_list("code", flat=True))


@postgresql_only
@pytest.mark.parametrize("flush", FLUSHES)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_a_running_request_commits_does_not_outlive_the_flush(flush):
    """A request still running on the live server when the test ends inserted a
    division (not committed yet): the flush must leave core_region empty once it
    commits, as Django's TRUNCATE does (it waits for the request's transaction)."""
    assert Region.objects.exists()
    outcome = _race(
        flush,
        "INSERT INTO core_region (code, name, level, is_key_county) "
        "VALUES (%s, %s, %s, false)",
        [CODE, "请求中的市", Region.Level.CITY],
    )
    assert outcome == {}
    assert _codes() == []


@postgresql_only
@pytest.mark.parametrize("flush", FLUSHES)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_a_running_request_commits_under_a_restored_row_does_not_fail_the_flush(
    flush,
):
    """The same request's division points at a province the migrations restored
    (its foreign key checked at the request's commit): the request must commit
    and the flush leave core_region empty. Under the DELETE flush the province is
    gone when the request commits, which fails with a ForeignKeyViolation."""
    province = Region.objects.filter(level=Region.Level.PROVINCE).order_by("pk")[0]
    outcome = _race(
        flush,
        "INSERT INTO core_region (code, name, level, is_key_county, parent_id) "
        "VALUES (%s, %s, %s, false, %s)",
        [CODE, "请求中的市", Region.Level.CITY, province.pk],
    )
    assert outcome == {}
    assert _codes() == []


def _every_table_but_migrations():
    """Every table of the database (as the demo snapshot lists them: on SQLite
    without the FTS5 tables of the substring search) but django_migrations."""
    from tests.support.demo_snapshot import _tables

    return row_counts(_tables())


@pytest.mark.parametrize("flush", FLUSHES)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flush_after_pages_revisions_and_a_division_tree_leaves_nothing(
    flush, make_news, make_organization
):
    """Pages (a tree, revisions, the site, log entries), a chain of divisions of
    its own (self-referencing) under a restored province, an organization: after
    the flush every table (every one in the database, not only Django's) is empty,
    the migrations' rows come back, and new rows and pages get new ids/paths."""
    from wagtail.models import Page, Revision

    news = make_news(title="社区议事厅", slug="yishiting")
    province = Region.objects.filter(level=Region.Level.PROVINCE).order_by("pk")[0]
    city = Region.objects.create(
        code="990100", name="测试市", level=Region.Level.CITY, parent=province
    )
    county = Region.objects.create(
        code="990101", name="测试县", level=Region.Level.COUNTY, parent=city
    )
    make_organization()
    assert Revision.objects.filter(object_id=str(news.pk)).exists()
    highest_region = Region.objects.order_by("-pk").values_list("pk", flat=True)[0]
    assert highest_region == county.pk
    highest_page = Page.objects.order_by("-pk").values_list("pk", flat=True)[0]

    flush()

    assert {name: n for name, n in _every_table_but_migrations().items() if n} == {}
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    assert not Region.objects.filter(code__in=["990100", "990101"]).exists()
    assert Page.objects.filter(slug="yishiting").exists() is False
    added = Region.objects.create(code="990102", name="新市", level=Region.Level.CITY)
    assert added.pk > highest_region
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="新页", slug="xinye"))
    assert page.pk > highest_page
    assert Page.objects.get(pk=page.pk).get_parent().pk == root.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SET CONSTRAINTS")
@pytest.mark.django_db
def test_restore_when_the_transaction_checks_foreign_keys_at_once():
    """restore() used to run the pending checks, TRUNCATE and defer the checks
    again (SET CONSTRAINTS ALL IMMEDIATE / DEFERRED). A caller whose transaction
    checks them at once (SET CONSTRAINTS ALL IMMEDIATE) now gets a DELETE of a
    referenced table refused: the restore must still put the rows back."""
    from django.contrib.auth.models import Group, Permission

    from tests.support.demo_snapshot import Snapshot, _capture, restore

    group = Group.objects.create(name="快照组")
    group.permissions.add(Permission.objects.order_by("pk")[0])
    snapshot = Snapshot(tables=_capture(), folder=None)
    Group.objects.filter(pk=group.pk).update(name="改过的组")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    restore(snapshot)
    assert Group.objects.get(pk=group.pk).name == "快照组"
    assert list(group.permissions.values_list("pk", flat=True)) == [
        Permission.objects.order_by("pk")[0].pk
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's flush")
@pytest.mark.parametrize(
    ("options", "start"),
    [
        ({}, "DELETE FROM"),
        ({"reset_sequences": True}, "TRUNCATE"),
        ({"allow_cascade": True}, "TRUNCATE"),
    ],
)
def test_the_flush_sql_goes_to_django_for_sequences_and_cascade(options, start):
    """The patched sql_flush: a lock and a DELETE per table by default, Django's TRUNCATE
    (with RESTART IDENTITY or CASCADE) when either is asked for."""
    from django.core.management.color import no_style

    tables = ["core_region", "auth_group"]
    statements = connection.ops.sql_flush(no_style(), tables, **options)
    if start == "DELETE FROM":
        # the tables locked first, as TRUNCATE locks them
        assert statements == [
            'LOCK TABLE "core_region", "auth_group" IN ACCESS EXCLUSIVE MODE;',
            'DELETE FROM "core_region";',
            'DELETE FROM "auth_group";',
        ]
    else:
        assert statements[0].startswith(start)
        assert len(statements) == 1
        assert ("RESTART IDENTITY" in statements[0]) == bool(
            options.get("reset_sequences")
        )
        assert ("CASCADE" in statements[0]) == bool(options.get("allow_cascade"))
