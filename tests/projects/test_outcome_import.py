"""Importing outcome reports from Excel: every row checked, all or nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core import roles
from core.models import ImportJob
from projects.choices import ReportStatus
from projects.models import OutcomeLine, OutcomeReport
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "项目名称",
    "年度",
    "周期类型",
    "期次",
    "指标",
    "目标值",
    "实际值",
    "分子",
    "分母",
    "备注",
]


@pytest.fixture
def coordinator_project(client_for, make_pairing, make_project, indicators):
    client = client_for(roles.COORDINATOR)
    project = make_project(
        pairing=make_pairing(coordinators=[client.user]), title="安化黑茶消费帮扶行动"
    )
    return client, project


def _post(client, rows):
    data = xlsx_bytes(rows, headers=HEADERS)
    return client.post(
        reverse("projects_report_import"), {"file": upload("reports.xlsx", data)}
    )


def test_import_writes_reports_as_drafts_of_the_uploader(coordinator_project):
    client, project = coordinator_project
    rows = [
        ["安化黑茶消费帮扶行动", 2024, "半年", 1, "jobs", 10, 12, "", "", ""],
        ["安化黑茶消费帮扶行动", 2024, "半年", 1, "脱贫户覆盖率", "", "", 31, 102, ""],
        ["安化黑茶消费帮扶行动", 2024, "半年", 2, "受益人数", 800, 950, "", "", ""],
    ]

    response = _post(client, rows)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert OutcomeReport.objects.count() == 2
    first = OutcomeReport.objects.get(number=1)
    assert first.created_by == client.user
    assert first.status == ReportStatus.DRAFT
    coverage = first.lines.get(indicator__code="poor_household_coverage")
    assert coverage.actual == Decimal("30.39")  # 31 / 102


def test_text_in_number_cell_refused_and_nothing_written(coordinator_project):
    client, _project = coordinator_project
    rows = [
        ["安化黑茶消费帮扶行动", 2024, "半年", 1, "jobs", 10, 12, "", "", ""],
        ["安化黑茶消费帮扶行动", 2024, "半年", 2, "jobs", 10, "N/A", "", "", ""],
        ["不存在的项目", 2024, "半年", 1, "jobs", 10, 3, "", "", ""],
        ["安化黑茶消费帮扶行动", 2024, "季度", 1, "jobs", 10, 3, "", "", ""],
    ]

    _post(client, rows)

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert errors[(3, "实际值")] == "“N/A”不是数字。"
    assert "不是您负责的结对中的项目" in errors[(4, "项目名称")]
    assert "按半年报告" in errors[(5, "周期类型")]
    assert not OutcomeReport.objects.exists()
    assert not OutcomeLine.objects.exists()


def test_import_cannot_change_a_submitted_report(coordinator_project, make_report):
    client, project = coordinator_project
    make_report(project, 2024, 1, {"jobs": "5"}, status=ReportStatus.SUBMITTED)

    _post(
        client, [["安化黑茶消费帮扶行动", 2024, "半年", 1, "jobs", "", 99, "", "", ""]]
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert "已提交" in job.errors[0]["message"]
    assert OutcomeLine.objects.get().actual == Decimal("5")


def test_import_refuses_projects_of_other_coordinators(
    client_for, make_project, indicators
):
    client = client_for(roles.COORDINATOR)
    make_project(title="别人的项目")

    _post(client, [["别人的项目", 2024, "半年", 1, "jobs", "", 1, "", "", ""]])

    assert ImportJob.objects.get().status == ImportJob.Status.FAILED
    assert not OutcomeReport.objects.exists()


def test_duplicate_indicator_rows_refused(coordinator_project):
    client, _project = coordinator_project
    rows = [
        ["安化黑茶消费帮扶行动", 2024, "半年", 1, "jobs", "", 1, "", "", ""],
        ["安化黑茶消费帮扶行动", 2024, "半年", 1, "带动就业岗位", "", 2, "", "", ""],
    ]
    _post(client, rows)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["row"] == 3
    assert "第 2 行" in job.errors[0]["message"]
