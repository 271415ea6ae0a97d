"""The database as Django's test runner serializes it (the migrations' rows a
transactional test restores), keyed for comparison."""

import json

from django.apps import apps
from django.db import connection


def serialized_rows(text=None):
    """`{(model label, pk as str): fields}` of `text` (Django's serialized JSON), or of
    the database now when `text` is None.

    A many-to-many field's ids are sorted: the serializer lists them in the order
    the database returns the link rows, which no query fixes (PostgreSQL returns
    rows inserted in bulk in another order than rows added one by one)."""
    if text is None:
        text = connection.creation.serialize_db_to_string()
    rows = {}
    for row in json.loads(text):
        fields = dict(row["fields"])
        model = apps.get_model(row["model"])
        for field in model._meta.many_to_many:
            if isinstance(fields.get(field.name), list):
                fields[field.name] = sorted(fields[field.name], key=str)
        rows[(row["model"], str(row["pk"]))] = fields
    return rows


def flush_as_after_a_transactional_test():
    """Every table emptied as Django empties them when a transactional test with
    serialized rollback ends: the id sequences go on (a flush that restarts them
    would hand the next test's rows the ids of the restored ones) and no
    post_migrate handler runs."""
    from django.core.management import call_command

    call_command(
        "flush",
        interactive=False,
        verbosity=0,
        reset_sequences=False,
        inhibit_post_migrate=True,
    )


def row_counts(tables=None):
    """{table: rows} of `tables` (names), by default every table Django knows."""
    quote = connection.ops.quote_name
    if tables is None:
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts
