"""The suite's restore of the migrations' rows after a transactional test
(tests/conftest.py: rows inserted in bulk instead of saved one by one) puts back
exactly what the migrations wrote: every row, its fields and its many-to-many
links, whether the tables were emptied or still hold the rows."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from core.models import Region
from tests.support.serialized_rows import (
    flush_as_after_a_transactional_test,
    serialized_rows,
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_emptied_database_gets_back_every_row_of_the_migrations():
    stored = connection._test_serialized_contents
    expected = serialized_rows(stored)
    regions = Region.objects.count()
    permissions = {g.name: g.permissions.count() for g in Group.objects.all()}
    flush_as_after_a_transactional_test()
    assert Region.objects.count() == 0
    assert Group.objects.count() == 0

    connection.creation.deserialize_db_from_string(stored)

    assert serialized_rows() == expected
    assert Region.objects.count() == regions > 0
    assert {g.name: g.permissions.count() for g in Group.objects.all()} == permissions
    assert sum(permissions.values()) > 0
    # a row written after the restore gets an id above the restored ones
    highest = Region.objects.order_by("-pk").values_list("pk", flat=True)[0]
    added = Region.objects.create(
        code="990001", name="测试省", level=Region.Level.PROVINCE
    )
    assert added.pk > highest
    # the content types are those the process has cached: a lookup finds the row
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.get_for_model(Region).model == "region"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restoring_over_rows_still_there_changes_nothing():
    stored = connection._test_serialized_contents
    before = serialized_rows()
    connection.creation.deserialize_db_from_string(stored)
    assert serialized_rows() == before
