"""The suite's restore of the migrations' rows after a transactional test
(tests/conftest.py: rows inserted in bulk instead of saved one by one) puts back
exactly what the migrations wrote: every row, its fields and its many-to-many
links, whether the tables were emptied or still hold the rows."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from core.models import Region


def _rows():
    """The database as Django serializes it, one entry per (model, pk)."""
    rows = json.loads(connection.creation.serialize_db_to_string())
    return {(row["model"], str(row["pk"])): row["fields"] for row in rows}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_emptied_database_gets_back_every_row_of_the_migrations():
    stored = connection._test_serialized_contents
    expected = {
        (row["model"], str(row["pk"])): row["fields"] for row in json.loads(stored)
    }
    regions = Region.objects.count()
    permissions = {g.name: g.permissions.count() for g in Group.objects.all()}
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert Region.objects.count() == 0
    assert Group.objects.count() == 0

    connection.creation.deserialize_db_from_string(stored)

    assert _rows() == expected
    assert Region.objects.count() == regions > 0
    assert {g.name: g.permissions.count() for g in Group.objects.all()} == permissions
    assert sum(permissions.values()) > 0
    # the content types are those the process has cached: a lookup finds the row
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.get_for_model(Region).model == "region"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restoring_over_rows_still_there_changes_nothing():
    stored = connection._test_serialized_contents
    before = _rows()
    connection.creation.deserialize_db_from_string(stored)
    assert _rows() == before
