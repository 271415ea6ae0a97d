"""core.bulk: new rows written with plain INSERTs, keys, dates and history as
`bulk_create_with_history` writes them."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import connection

from core.bulk import (
    ids_reserve,
    instances_insert,
    rows_copy,
    rows_executemany,
    values_insert,
)
from core.models import Region
from incubator.models import Organization
from incubator.uscc import uscc_make

pytestmark = pytest.mark.django_db


def organization(n, **extra):
    return Organization(
        name=f"长沙市雨花区第{n}社会工作服务中心",
        uscc=uscc_make("2", "430111", 7000 + n),
        org_type="social_service",
        registration_level="county",
        region=Region.objects.get(code="430111"),
        founded_on=datetime.date(2018, 5, 16),
        **extra,
    )


def test_rows_keys_dates_and_history_named_for_the_user():
    officer = get_user_model().objects.create_user("import-officer")
    first = organization(1)
    first.save()  # a key is already taken: the new ones come after it
    made = instances_insert([organization(2), organization(3)], history_user=officer)
    assert [o.pk for o in made] == [first.pk + 1, first.pk + 2]
    stored = Organization.objects.get(pk=made[1].pk)
    assert stored.name == "长沙市雨花区第3社会工作服务中心"
    assert stored.founded_on == datetime.date(2018, 5, 16)
    assert stored.region.code == "430111"
    assert stored.created_at is not None and stored.updated_at is not None
    (history,) = stored.history.all()
    assert history.history_type == "+"
    assert history.history_user == officer
    assert history.name == stored.name and history.uscc == stored.uscc
    # Saved normally afterwards: an update, one more history row.
    stored.contact_name = "王芳"
    stored.save()
    assert stored.history.count() == 2


def test_keys_reserved_after_the_largest_used():
    organization(1).save()
    top = Organization.objects.order_by("-pk").first().pk
    assert ids_reserve(Organization, 3) == [top + 1, top + 2, top + 3]
    assert ids_reserve(Organization, 0) == []


def test_values_insert_writes_tuples_with_defaults_dates_and_history():
    officer = get_user_model().objects.create_user("import-officer")
    region = Region.objects.get(code="430111")
    ids = values_insert(
        Organization,
        ("name", "uscc", "org_type", "registration_level", "region_id", "founded_on"),
        [
            (
                "雨花区甲社工中心",
                uscc_make("2", "430111", 7101),
                "social_service",
                "county",
                region.pk,
                datetime.date(2019, 3, 1),
            ),
            (
                "雨花区乙社工中心",
                uscc_make("2", "430111", 7102),
                "social_service",
                "county",
                region.pk,
                None,
            ),
        ],
        history_user=officer,
    )
    first, second = (Organization.objects.get(pk=pk) for pk in ids)
    assert (first.name, first.founded_on) == (
        "雨花区甲社工中心",
        datetime.date(2019, 3, 1),
    )
    assert second.founded_on is None
    # Fields not named: the model's default; the two dates: one now for all rows.
    assert first.registration_status == "active"
    assert first.created_at == second.created_at == first.updated_at
    assert [h.history_type for h in second.history.all()] == ["+"]
    assert second.history.get().history_user == officer


def test_values_insert_refuses_a_name_that_is_not_a_field():
    with pytest.raises(FieldDoesNotExist):
        values_insert(Organization, ("name", "nickname"), [("甲", "乙")])
    assert values_insert(Organization, ("name",), []) == []


def test_text_that_copy_escapes_is_stored_as_written():
    # On PostgreSQL the rows go through COPY's text format, where a tab, a line
    # break, a backslash and "\N" are markup: each must come back as written, and
    # an empty text must stay empty (not NULL), None NULL — in the history too.
    region = Region.objects.get(code="430111")
    awkward = "甲\t乙\n丙\\丁\\N戊\r己"
    ids = values_insert(
        Organization,
        ("name", "uscc", "org_type", "registration_level", "region_id"),
        [
            (
                awkward,
                uscc_make("2", "430111", 7201),
                "social_service",
                "county",
                region.pk,
            ),
            ("\\N", None, "social_service", "county", region.pk),
        ],
    )
    first, second = (Organization.objects.get(pk=pk) for pk in ids)
    assert first.name == "甲\t乙\n丙\\丁\\N戊\r己"
    assert second.name == "\\N"
    assert second.uscc is None
    assert first.business_supervisor == ""
    assert first.history.get().name == "甲\t乙\n丙\\丁\\N戊\r己"
    assert second.history.get().uscc is None


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's (SQLite: INSERT)"
)
def test_copy_stores_what_executemany_stores():
    # The same organization rows — awkward text, dates, a timestamp, NULLs — sent
    # once through COPY and once through INSERTs are stored alike, column by column.
    region = Region.objects.get(code="430111")
    fields = [f for f in Organization._meta.concrete_fields if not f.primary_key]
    columns = ["id"] + [f.column for f in fields]
    when = datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.UTC)
    values = {
        "name": "甲\t乙\n丙\\丁\\N",
        "org_type": "social_service",
        "registration_level": "county",
        "region_id": region.pk,
        "founded_on": datetime.date(2019, 3, 1),
        "business_supervisor": "",
        "created_at": when,
        "updated_at": when,
    }

    def row(pk, serial):
        def value(field):
            if field.attname == "uscc":
                return uscc_make("2", "430111", serial)
            if field.attname in values:
                return values[field.attname]
            return field.get_db_prep_save(field.get_default(), connection)

        return (pk, *(value(f) for f in fields))

    copied, inserted = ids_reserve(Organization, 2)
    assert rows_copy(Organization, columns, [row(copied, 7301)]) == 1
    assert rows_executemany(Organization, columns, [row(inserted, 7302)]) == 1
    stored = {
        o["id"]: o
        for o in Organization.objects.filter(pk__in=[copied, inserted]).values()
    }
    first, second = stored[copied], stored[inserted]
    assert first["name"] == "甲\t乙\n丙\\丁\\N"
    assert first["created_at"] == when
    assert first["uscc"] == uscc_make("2", "430111", 7301)
    assert {k: v for k, v in first.items() if k not in ("id", "uscc")} == {
        k: v for k, v in second.items() if k not in ("id", "uscc")
    }
