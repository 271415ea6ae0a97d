"""The demo (`seed_demo`) seeded once per test process and copied in where a test
only reads it.

Seeding the demo costs 20–45 s on SQLite and more on PostgreSQL, and a handful of
modules need the demo's data without testing the seeding itself. The first of them
in a process seeds it (in a transaction rolled back at once) and keeps every
table's rows in memory — a binary COPY per table on PostgreSQL, the rows as SQLite
returns them on SQLite; each user then puts those rows back inside its own
transaction (every table emptied, the rows copied in), which pytest-django or
`rolled_back` rolls back afterwards, so no other test sees them. The copy is the
database as `seed_demo` left it: the same ids, the pages' tree, the history rows.

What stays out of the copy: Django's migration records and, on SQLite, the FTS5
tables of the substring search (their triggers fill them as the rows go back in).
The ids are safe for later inserts: PostgreSQL's sequences never go back with a
rollback, and SQLite moves its AUTOINCREMENT counter past an id written by hand.
The demo's stored files go under one folder per process (`files_on_disk`), which
the users of the copy read too."""

from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation

from tests.support.shared_data import files_on_disk, rolled_back

SKIPPED = {"django_migrations"}


@dataclass
class Snapshot:
    """The rows of every table after `seed_demo` ({table: data}: a binary COPY
    on PostgreSQL, (columns, rows) on SQLite) and the folder of its files."""

    tables: dict
    folder: Path


_snapshot = None


def _sqlite_tables():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        found = cursor.fetchall()
    virtual = [
        name
        for name, sql in found
        if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")
    ]
    return [
        name
        for name, _sql in found
        if name not in SKIPPED
        and not name.startswith("sqlite_")
        and not any(name == v or name.startswith(f"{v}_") for v in virtual)
    ]


def _tables():
    if connection.vendor == "sqlite":
        return _sqlite_tables()
    return [
        name
        for name in connection.introspection.table_names(include_views=False)
        if name not in SKIPPED
    ]


def _capture():
    tables = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(
                    f"COPY {quote(table)} TO STDOUT (FORMAT binary)"
                ) as copy:
                    tables[table] = b"".join(bytes(block) for block in copy)
            else:
                cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
                columns = [column[0] for column in cursor.description]
                tables[table] = (columns, cursor.fetchall())
    return tables


def lock_tables_sql(operations, tables):
    """PostgreSQL: the statement locking `tables` (names) as TRUNCATE locks them
    (ACCESS EXCLUSIVE: it waits for every transaction using them, and they wait
    for its commit)."""
    names = ", ".join(operations.quote_name(table) for table in tables)
    return f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE;"


def restore(snapshot):
    """Every table emptied and filled with the snapshot's rows, in one
    transaction (a savepoint of the caller's, which is then rolled back after
    its tests; a transactional test commits it, and Django empties the tables
    when the test ends); the cache emptied, since it may hold facts of the rows
    replaced (the site's root paths)."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the checks at the end, whatever the caller's transaction set; and
            # every table locked as TRUNCATE locks it (tests/conftest.py)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(lock_tables_sql(connection.ops, snapshot.tables))
        for table in snapshot.tables:
            # a DELETE, not a TRUNCATE: every foreign key is checked at the
            # commit, and on PostgreSQL TRUNCATE makes a new file per table
            # and index (1–2 s for all of them; tests/conftest.py)
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
        if connection.vendor == "postgresql":
            for table, data in snapshot.tables.items():
                with cursor.cursor.copy(
                    f"COPY {quote(table)} FROM STDIN (FORMAT binary)"
                ) as copy:
                    copy.write(data)
        else:
            for table, (columns, rows) in snapshot.tables.items():
                if not rows:
                    continue
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
    cache.clear()


def demo_snapshot(django_db_blocker, tmp_path_factory):
    """This process's snapshot of the seeded demo, seeding it the first time
    (in zh-hans, its files under a folder of the process's own)."""
    global _snapshot
    if _snapshot is None:
        folder = tmp_path_factory.mktemp("demo-snapshot-files")

        def seed_and_copy():
            with translation.override("zh-hans"):
                call_command("seed_demo", stdout=StringIO())
            return _capture()

        with (
            files_on_disk(folder),
            rolled_back(django_db_blocker, seed_and_copy) as tables,
        ):
            pass
        cache.clear()
        _snapshot = Snapshot(tables=tables, folder=folder)
    return _snapshot


@contextmanager
def demo_for_module(django_db_blocker, tmp_path_factory):
    """The demo's rows in the database for the length of the block (a module
    fixture's life), rolled back at its end; each test runs in a savepoint on
    top (`db`). The demo's files are readable meanwhile."""
    snapshot = demo_snapshot(django_db_blocker, tmp_path_factory)
    with (
        files_on_disk(snapshot.folder),
        rolled_back(django_db_blocker, lambda: restore(snapshot)),
    ):
        yield
    cache.clear()


@contextmanager
def demo_for_test(django_db_blocker, tmp_path_factory):
    """The demo's rows in the database of the running test (its transaction, or
    committed in a transactional test), the demo's files readable meanwhile."""
    snapshot = demo_snapshot(django_db_blocker, tmp_path_factory)
    with files_on_disk(snapshot.folder):
        restore(snapshot)
        yield
    cache.clear()
