"""Attack on the stored outcome totals: after every write path, the
stored totals equal what the lines give (`verify_rollups` finds nothing)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from core import roles
from projects.choices import ReportStatus, TotalBucket
from projects.models import OutcomeTotal
from projects.selectors.rollup_totals import rollup_totals_differences

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

PENDING = TotalBucket.PENDING


def _edit_data(report, project, year, lines):
    data = {
        "project": project.pk,
        "period_type": report.period_type,
        "year": str(year),
        "number": str(report.number),
        "note": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }
    for i, (line, indicator, actual) in enumerate(lines):
        data.update(
            {
                f"lines-{i}-id": str(line.pk),
                f"lines-{i}-indicator": str(indicator.pk),
                f"lines-{i}-target": "",
                f"lines-{i}-actual": actual,
                f"lines-{i}-numerator": "",
                f"lines-{i}-denominator": "",
                f"lines-{i}-note": "",
                f"lines-{i}-ORDER": str(i + 1),
                f"lines-{i}-DELETE": "",
            }
        )
    return data


def test_admin_edit_moving_a_draft_to_another_project_rewrites_both_projects(
    client_for, make_pairing, make_project, make_report, indicators, capsys
):
    client = client_for(roles.COORDINATOR)
    pairing = make_pairing(coordinators=[client.user])
    first = make_project(pairing=pairing, title="黑茶帮扶")
    second = make_project(pairing=pairing, title="腊肉帮扶")
    report = make_report(
        first, 2024, 1, {"jobs": "12"}, status=ReportStatus.DRAFT, author=client.user
    )
    line = report.lines.get()
    edit = reverse("wagtailsnippets_projects_outcomereport:edit", args=[report.pk])

    response = client.post(
        edit, _edit_data(report, second, 2024, [(line, indicators["jobs"], "12")])
    )

    assert response.status_code == 302
    # the 12 jobs moved with the report: the first project has no total left
    assert (
        list(
            OutcomeTotal.objects.filter(project=first).values_list(
                "value_sum", flat=True
            )
        )
        == []
    )
    assert list(
        OutcomeTotal.objects.filter(project=second, bucket=PENDING).values_list(
            "value_sum", flat=True
        )
    ) == [Decimal("12.00")]
    assert rollup_totals_differences() == []
    call_command("verify_rollups")  # exits 0: nothing to report


def test_admin_edit_moving_a_draft_to_another_year_and_indicator_then_delete(
    client_for, make_pairing, make_project, make_report, indicators, capsys
):
    client = client_for(roles.COORDINATOR)
    project = make_project(pairing=make_pairing(coordinators=[client.user]))
    make_report(project, 2023, 1, {"jobs": "5"})  # approved, stays
    report = make_report(
        project, 2023, 2, {"jobs": "12"}, status=ReportStatus.DRAFT, author=client.user
    )
    line = report.lines.get()
    edit = reverse("wagtailsnippets_projects_outcomereport:edit", args=[report.pk])

    # period 2023-2 → 2024-2, and the line's indicator jobs → trainings
    response = client.post(
        edit, _edit_data(report, project, 2024, [(line, indicators["trainings"], "3")])
    )

    assert response.status_code == 302
    rows = sorted(
        OutcomeTotal.objects.filter(project=project).values_list(
            "indicator__code", "year", "bucket", "value_sum"
        )
    )
    assert rows == [
        ("jobs", 2023, "official", Decimal("5.00")),
        ("trainings", 2024, "pending", Decimal("3.00")),
    ]
    assert rollup_totals_differences() == []

    delete = reverse("wagtailsnippets_projects_outcomereport:delete", args=[report.pk])
    assert client.post(delete).status_code in (302, 403)
    call_command("verify_rollups")
    assert "Difference" not in capsys.readouterr().out


def test_a_coordinator_learns_only_the_totals_of_his_own_pairings(
    make_user, make_pairing, make_project, make_report
):
    from projects.selectors.rollups import headline, rollup

    mine, other = (
        make_user("mine", roles.COORDINATOR),
        make_user("other", roles.COORDINATOR),
    )
    manager = make_user("manager", roles.FUND_MANAGER)
    own = make_project(
        pairing=make_pairing(coordinators=[mine]), budget=Decimal("1000")
    )
    theirs = make_project(
        pairing=make_pairing(coordinators=[other]), budget=Decimal("9000")
    )
    make_report(own, 2024, 1, {"jobs": "12"})
    make_report(theirs, 2024, 1, {"jobs": "30"})
    make_report(theirs, 2024, 2, {"jobs": "7"}, status=ReportStatus.DRAFT)

    for dimension in ("county", "organization", "fund", "year"):
        assert rollup(dimension, user=mine).total["jobs"] == Decimal("12"), dimension
        assert rollup(dimension, user=mine, official=False).total.get("jobs") is None
        assert rollup(dimension, user=manager).total["jobs"] == Decimal("42")
    assert rollup("county", user=mine, year=2024).total["jobs"] == Decimal("12")
    assert headline(mine)["budget"] == Decimal("1000")
    assert headline(mine)["projects"] == 1


def _outcome_file(rows):
    from tests.support.spreadsheets import xlsx_bytes

    headers = ["项目名称", "年度", "周期类型", "期次", "指标", "目标值", "实际值"]
    return xlsx_bytes(rows, headers=headers)


def test_the_same_outcome_file_twice_and_an_import_failing_half_way(
    make_user, make_pairing, make_project, make_report, indicators, monkeypatch
):
    import io

    from core.imports import get_importer, import_validate, import_write
    from projects.imports import outcome_reports

    manager = make_user("importer", roles.FUND_MANAGER, is_superuser=True)
    project = make_project(
        pairing=make_pairing(start_date=datetime.date(2020, 1, 1)),
        title="安化黑茶消费帮扶行动",
        start_date=datetime.date(2020, 1, 1),
    )
    make_report(project, 2022, 1, {"jobs": "4"})
    data = _outcome_file(
        [
            ["安化黑茶消费帮扶行动", 2023, "半年", 1, "jobs", 10, 12],
            ["安化黑茶消费帮扶行动", 2023, "半年", 2, "jobs", 10, 7],
        ]
    )

    def run(kind, data=data):
        importer = get_importer(kind, user=manager)
        result = import_validate(importer, io.BytesIO(data), "reports.xlsx")
        assert result.errors == []
        return import_write(importer, result.records, user=manager)

    run("outcome_reports")
    run("outcome_reports")  # the same file again: the same figures, not twice
    assert sorted(
        OutcomeTotal.objects.filter(project=project).values_list(
            "year", "bucket", "value_sum", "line_count"
        )
    ) == [
        (2022, "official", Decimal("4.00"), 1),
        (2023, "pending", Decimal("19.00"), 2),
    ]

    # as approved: the second report's approval fails after the first was written
    real, calls = outcome_reports.report_approve_imported, []

    def failing(report, *, user):
        calls.append(report.number)
        if len(calls) == 2:
            raise RuntimeError("connection lost")
        return real(report, user=user)

    monkeypatch.setattr(outcome_reports, "report_approve_imported", failing)
    history = _outcome_file(
        [
            ["安化黑茶消费帮扶行动", 2021, "半年", 1, "jobs", 10, 3],
            ["安化黑茶消费帮扶行动", 2021, "半年", 2, "jobs", 10, 8],
        ]
    )
    with pytest.raises(RuntimeError):
        run("outcome_reports_approved", history)

    assert calls == [1, 2]
    assert sorted(
        OutcomeTotal.objects.filter(project=project).values_list(
            "year", "bucket", "value_sum", "line_count"
        )
    ) == [
        (2022, "official", Decimal("4.00"), 1),
        (2023, "pending", Decimal("19.00"), 2),
    ]
    assert rollup_totals_differences() == []


def test_verify_streams_both_sides_through_server_side_cursors_on_postgresql(
    make_project, make_report, monkeypatch
):
    """The check promises memory independent of the data size: on PostgreSQL a
    plain cursor holds the whole result in the client at `execute` (millions of
    totals at national scale, twice), so both sides are read through server-side
    cursors, which `pg_cursors` lists while they are read."""
    from django.db import connection

    from projects.selectors import rollup_totals as selector

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite steps through its results lazily")
    make_report(make_project(), 2024, 1, {"jobs": "12"})
    seen = []
    real = selector._rows

    def rows(cursor):
        with connection.cursor() as probe:
            probe.execute("SELECT count(*) FROM pg_cursors WHERE NOT is_binary")
            seen.append(probe.fetchone()[0])
        yield from real(cursor)

    monkeypatch.setattr(selector, "_rows", rows)

    assert selector.rollup_totals_differences() == []
    assert seen == [2, 2]
