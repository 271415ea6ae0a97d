"""A transactional test's tables are emptied when it ends (on PostgreSQL by a
DELETE of each table, tests/conftest.py) and the migrations' rows put back: the
next test sees every table empty but for them, and a row it adds gets a new id."""

import pytest
from django.db import connection

from core.models import Region
from incubator.models import Organization
from tests.support.serialized_rows import (
    flush_as_after_a_transactional_test,
    row_counts,
    serialized_rows,
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flush_empties_every_table_whatever_refers_to_what(
    make_organization, make_base
):
    from incubator.models import Residency
    from incubator.services.residencies import residency_admit

    residency_admit(organization=make_organization(), base=make_base(), enter=True)
    assert Organization.objects.count() == 1
    assert Residency.objects.count() == 1
    flush_as_after_a_transactional_test()
    counts = row_counts()
    assert len(counts) > 200
    assert {table: n for table, n in counts.items() if n} == {}
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    assert serialized_rows() == serialized_rows(connection._test_serialized_contents)
    highest = Region.objects.order_by("-pk").values_list("pk", flat=True)[0]
    added = Region.objects.create(code="990002", name="测试市", level=Region.Level.CITY)
    assert added.pk > highest


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's schema")
@pytest.mark.django_db
def test_every_foreign_key_is_checked_at_commit():
    """The DELETE flush relies on it: a foreign key checked at once would refuse
    to delete a row another table's row still points to."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE contype = 'f' AND NOT (condeferrable AND condeferred)"
        )
        assert cursor.fetchall() == []
        cursor.execute("SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f'")
        assert cursor.fetchone()[0] > 300
