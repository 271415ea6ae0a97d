"""`manage.py import_outcomes`, and historical figures imported as approved (by a
user allowed to approve, recorded as such in history) from the command and from
the upload screen."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import roles
from core.models import ImportJob
from projects.choices import ReportStatus
from projects.models import OutcomeReport
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["项目名称", "年度", "周期类型", "期次", "指标", "实际值"]


def write(tmp_path, rows):
    path = tmp_path / "outcomes.xlsx"
    path.write_bytes(xlsx_bytes(rows, headers=HEADERS))
    return path


@pytest.fixture
def coordinator(make_user):
    return make_user("hunan_coordinator", roles.COORDINATOR)


@pytest.fixture
def project(make_project, make_pairing, coordinator, indicators):
    return make_project(
        pairing=make_pairing(coordinators=[coordinator]), title="永顺莓茶消费帮扶"
    )


ROWS_2023 = [
    ["永顺莓茶消费帮扶", 2023, "半年", 1, "受益人数", 120],
    ["永顺莓茶消费帮扶", 2023, "半年", 1, "带动就业岗位", 8],
    ["永顺莓茶消费帮扶", 2023, "半年", 2, "受益人数", 150],
]


def test_command_imports_drafts(tmp_path, project, capsys):
    call_command("import_outcomes", str(write(tmp_path, ROWS_2023)))

    assert "已导入 3 项成效数据" in capsys.readouterr().out
    reports = OutcomeReport.objects.order_by("number")
    assert [(r.number, r.status, r.created_by) for r in reports] == [
        (1, ReportStatus.DRAFT, None),
        (2, ReportStatus.DRAFT, None),
    ]
    assert reports[0].lines.get(indicator__code="jobs").actual == 8


def test_command_dry_run_writes_nothing(tmp_path, project, capsys):
    call_command("import_outcomes", str(write(tmp_path, ROWS_2023)), "--dry-run")
    assert "2 份成效报告全部有效" in capsys.readouterr().out  # 3 rows, 2 periods
    assert not OutcomeReport.objects.exists()


def test_command_approves_historical_figures_by_the_named_user(
    tmp_path, project, coordinator, client_for, capsys
):
    call_command(
        "import_outcomes",
        str(write(tmp_path, ROWS_2023)),
        "--user",
        coordinator.username,
        "--approve",
    )

    reports = OutcomeReport.objects.all()
    assert {(r.status, r.created_by, r.decided_by) for r in reports} == {
        (ReportStatus.APPROVED, coordinator, coordinator)
    }
    # The history of the report says it was approved on import, and by whom.
    client = client_for(roles.ADMINISTRATOR)
    history = client.get(
        reverse(
            "wagtailsnippets_projects_outcomereport:history",
            args=[reports.get(number=1).pk],
        )
    ).content.decode()
    assert "成效报告作为已审核数据导入（历史数据）" in history
    assert coordinator.username in history


def test_approve_needs_a_user_who_may_approve(tmp_path, project, make_user):
    path = write(tmp_path, ROWS_2023)
    with pytest.raises(CommandError, match="--user"):
        call_command("import_outcomes", str(path), "--approve")
    make_user("fund", roles.FUND_MANAGER)
    with pytest.raises(CommandError, match="无权审核"):
        call_command("import_outcomes", str(path), "--approve", "--user", "fund")
    assert not OutcomeReport.objects.exists()


def test_a_period_not_yet_ended_is_not_imported_as_approved(
    tmp_path, project, coordinator, capsys
):
    path = write(
        tmp_path, [*ROWS_2023, ["永顺莓茶消费帮扶", 2100, "半年", 1, "受益人数", 9]]
    )
    with pytest.raises(CommandError):
        call_command(
            "import_outcomes", str(path), "--user", coordinator.username, "--approve"
        )
    assert capsys.readouterr().err.strip().splitlines() == [
        "第 5 行，“年度”列：只有已结束期次的数据才能作为已审核数据导入；"
        "请将本期作为草稿导入，再提交审核。"
    ]
    assert not OutcomeReport.objects.exists()


def test_bad_rows_are_each_reported_and_nothing_is_written(tmp_path, project, capsys):
    path = write(
        tmp_path,
        [
            ["永顺莓茶消费帮扶", 2023, "半年", 1, "受益人数", 120],  # good
            ["不存在的项目", 2023, "半年", 1, "受益人数", 1],  # unknown project
            ["永顺莓茶消费帮扶", 2023, "半年", 1, "受益人数", 130],  # duplicate key
            ["永顺莓茶消费帮扶", "二〇二三", "半年", 1, "受益人数", 1],  # wrong year
            ["永顺莓茶消费帮扶", 2023, "半年", 2, "", 1],  # empty required cell
            [
                "永顺莓茶消费帮扶",
                2023,
                "半年",
                2,
                "带动就业岗位",
                "N/A",
            ],  # not a number
            ["永顺莓茶消费帮扶", 2023, "半年", 2, "不存在的指标", 1],  # unknown code
        ],
    )

    with pytest.raises(CommandError, match="6"):
        call_command("import_outcomes", str(path), "--language", "en")

    assert capsys.readouterr().err.strip().splitlines() == [
        "row 3, column project: “不存在的项目” is not a project of your pairings.",
        "row 4, column indicator: This indicator for this project and period is "
        "already in row 2.",
        "row 5, column year: “二〇二三” is not a number.",
        "row 6, column indicator: This cell is required.",
        "row 7, column actual: “N/A” is not a number.",
        "row 8, column indicator: “不存在的指标” is not in the indicator catalogue.",
    ]
    assert not OutcomeReport.objects.exists()


def test_upload_screen_imports_as_approved_when_ticked(project, coordinator, make_user):
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    screen = client.get(reverse("projects_report_import")).content.decode()
    assert "作为已审核数据导入（历史数据）" in screen

    client.post(
        reverse("projects_report_import"),
        {
            "file": upload("o.xlsx", xlsx_bytes(ROWS_2023, headers=HEADERS)),
            "approve": "on",
        },
    )

    job = ImportJob.objects.get()
    assert (job.kind, job.status) == (
        "outcome_reports_approved",
        ImportJob.Status.SUCCEEDED,
    ), job.errors
    assert set(OutcomeReport.objects.values_list("status", "decided_by")) == {
        (ReportStatus.APPROVED, coordinator.pk)
    }


def test_upload_without_the_box_imports_drafts(project, coordinator):
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    client.post(
        reverse("projects_report_import"),
        {"file": upload("o.xlsx", xlsx_bytes(ROWS_2023, headers=HEADERS))},
    )
    assert set(OutcomeReport.objects.values_list("status", flat=True)) == {
        ReportStatus.DRAFT
    }
