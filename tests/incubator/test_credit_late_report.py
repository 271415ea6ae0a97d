"""Credit decisions entered after their day's 双公示 file went out (补报): every
export of a day's file is recorded; a decision dated on an exported day is not
slipped into that file after the fact (the platform already has it), it is flagged
补报 and carried by the next file not yet exported, with its real decision date
and "补报" in the 备注 column."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from incubator.models import CreditPublicationExport
from incubator.services.credit import (
    PUBLICATION_COLUMNS,
    credit_decision_record,
    credit_publication_export,
    credit_publication_publish,
)

DAY = datetime.date(2025, 11, 28)


@pytest.fixture
def world(make_organization, make_user):
    return {
        "user": make_user("registrar_late", "registrar"),
        "a": make_organization(name="益阳市助老服务中心"),
        "b": make_organization(name="益阳市青少年成长服务中心"),
    }


def _warn(world, organization, reason, on=DAY):
    return credit_decision_record(
        organization=organization,
        decision_type="warning",
        reason=reason,
        decided_on=on,
        authority="益阳市民政局",
        user=world["user"],
    )


def _rows(data):
    sheet = load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_a_decision_back_dated_onto_an_exported_day_goes_on_the_next_file(world):
    today = timezone.localdate()
    on_time = _warn(world, world["a"], "未按规定办理负责人变更登记")
    assert (on_time.listed_on, on_time.late) == (DAY, False)
    sent = _rows(credit_publication_export(day=DAY, user=world["user"]))
    assert PUBLICATION_COLUMNS[-1] == "备注" and sent[0] == PUBLICATION_COLUMNS
    assert [row[0] for row in sent[1:]] == ["益阳市助老服务中心"]
    export = CreditPublicationExport.objects.get()
    assert (export.day, export.decisions, export.exported_by) == (DAY, 1, world["user"])

    late = _warn(world, world["b"], "未按规定报送年度工作报告")
    assert (late.listed_on, late.late) == (today, True)
    # the file of 28 November stays what the platform received
    assert _rows(credit_publication_export(day=DAY, user=world["user"])) == sent
    # today's file carries it, with its real decision date, flagged 补报
    todays = _rows(credit_publication_export(day=today, user=world["user"]))
    assert todays[1:] == [
        [
            "益阳市青少年成长服务中心",
            world["b"].uscc,
            "警告",
            "未按规定报送年度工作报告",
            "2025-11-28",
            "益阳市民政局",
            "补报",
        ]
    ]


def test_when_todays_file_is_out_too_the_late_decision_waits_for_tomorrow(world):
    today = timezone.localdate()
    credit_publication_export(day=DAY, user=world["user"])
    credit_publication_export(day=today, user=world["user"])
    late = _warn(world, world["b"], "未按规定报送年度工作报告")
    assert (late.listed_on, late.late) == (today + datetime.timedelta(days=1), True)


def test_a_published_day_counts_as_sent(world):
    today = timezone.localdate()
    _warn(world, world["a"], "未按规定办理负责人变更登记")
    assert credit_publication_publish(day=DAY, user=world["user"]) == 1
    assert CreditPublicationExport.objects.filter(day=DAY).exists()
    late = _warn(world, world["b"], "未按规定报送年度工作报告")
    assert (late.listed_on, late.late) == (today, True)


def test_a_day_not_yet_exported_takes_its_back_dated_decisions(world):
    # the 27th's file never went out: a decision of that day is simply on it
    credit_publication_export(day=DAY, user=world["user"])
    earlier = _warn(world, world["a"], "另一天的决定", on=DAY - datetime.timedelta(1))
    assert (earlier.listed_on, earlier.late) == (DAY - datetime.timedelta(1), False)


def test_the_command_records_its_export(world, tmp_path):
    _warn(world, world["a"], "未按规定办理负责人变更登记")
    call_command("credit_publication_export", date="2025-11-28", output=tmp_path / "f")
    export = CreditPublicationExport.objects.get()
    assert (export.day, export.decisions, export.exported_by) == (DAY, 1, None)
