"""Updating outcome reports by their key (project and period): a stored draft is
previewed line by line (indicator · column: old → new) and written on confirmation;
a submitted or approved report passes unchanged and is refused only if the file
changes it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import ImportJob
from projects.choices import ReportStatus
from projects.models import OutcomeLine
from tests.projects.test_outcome_import import _post, coordinator_project  # noqa: F401

pytestmark = pytest.mark.django_db

TITLE = "安化黑茶消费帮扶行动"


def test_a_changed_figure_of_a_draft_is_previewed_then_written(
    coordinator_project,  # noqa: F811
    make_report,
):
    client, project = coordinator_project
    report = make_report(
        project, 2024, 1, {"jobs": "10"}, status=ReportStatus.DRAFT, author=client.user
    )
    _post(client, [[TITLE, 2024, "半年", 1, "jobs", "", 12, "", "", ""]])

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.AWAITING, job.errors
    assert (job.preview["new"], job.preview["changed"]) == (0, 1)
    [item] = job.preview["changes"]
    assert item["changes"] == [["带动就业岗位 · 实际值", "10", "12"]]
    assert OutcomeLine.objects.get().actual == Decimal("10")

    client.post(reverse("core_import_job", args=[job.pk]), {"action": "confirm"})
    job.refresh_from_db()
    assert (job.status, job.updated_count) == ("succeeded", 1)
    line = OutcomeLine.objects.get(report=report)
    assert line.actual == Decimal("12")
    assert line.history.latest().history_user == client.user


def test_an_approved_report_imported_back_unchanged_is_no_error(
    coordinator_project,  # noqa: F811
    make_report,
):
    client, project = coordinator_project
    make_report(project, 2024, 1, {"jobs": "10"}, status=ReportStatus.APPROVED)
    _post(client, [[TITLE, 2024, "半年", 1, "jobs", "", "10.00", "", "", ""]])
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.AWAITING, job.errors
    assert (job.preview["changed"], job.preview["unchanged"]) == (0, 1)


def test_an_approved_report_the_file_changes_is_refused(
    coordinator_project,  # noqa: F811
    make_report,
):
    client, project = coordinator_project
    make_report(project, 2024, 1, {"jobs": "10"}, status=ReportStatus.APPROVED)
    _post(client, [[TITLE, 2024, "半年", 1, "jobs", "", 11, "", "", ""]])
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert (job.errors[0]["row"], job.errors[0]["column"]) == (2, "项目名称")
    assert "已审核通过" in job.errors[0]["message"]
    assert OutcomeLine.objects.get().actual == Decimal("10")
