"""Attack on the rural-revitalization screens after the reorganisation,
opened with the other coordinator's ids, replayed, and fed an import naming the
other coordinator's project (the permission matrix's world)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from core import roles
from core.models import ImportJob
from projects.models import OutcomeReport
from tests.support.attack_world import (  # noqa: F401 - fixtures
    _attack_world_once,
    as_user,
    attack_world_fixture,
)
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

CO = roles.COORDINATOR


def test_another_coordinators_records_answer_404_everywhere(attack_world):
    w = attack_world
    client = as_user(w, CO)
    screens = [
        ("wagtailsnippets_projects_pairing", w.pairing_b),
        ("wagtailsnippets_projects_project", w.project_b),
        ("wagtailsnippets_projects_outcomereport", w.report_b),
    ]
    for prefix, obj in screens:
        for view in [
            "edit",
            "delete",
            "usage",
            "inspect",
            "history",
            "history_results",
        ]:
            try:
                url = reverse(f"{prefix}:{view}", args=[obj.pk])
            except NoReverseMatch:
                continue  # the screen is not enabled for this model
            assert client.get(url).status_code == 404, (prefix, view)
    for model, obj in [("pairing", w.pairing_b), ("project", w.project_b)]:
        url = reverse(f"wagtailsnippetchoosers_projects_{model}:chosen", args=[obj.pk])
        assert client.get(url).status_code == 404, model
    assert (
        client.get(reverse("projects_report_review", args=[w.report_b.pk])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("projects_evidence_file", args=[w.evidence_private.pk])
        ).status_code
        == 404
    )
    private = reverse("projects_private_file", args=[w.evidence_private.file.name])
    assert client.get(private).status_code == 404
    status = OutcomeReport.objects.get(pk=w.report_b.pk).status
    for action in ["approve", "return", "submit"]:
        response = client.post(
            reverse("projects_report_review", args=[w.report_b.pk]),
            {"action": action, "reason": "攻击"},
        )
        assert response.status_code == 404, action
    assert OutcomeReport.objects.get(pk=w.report_b.pk).status == status


def test_import_naming_another_coordinators_project_writes_nothing(attack_world):
    w = attack_world
    before = OutcomeReport.objects.count()
    rows = [[w.project_b.title, 2024, "年度", 1, w.indicator.name, 10, 5]]
    headers = ["项目名称", "年度", "周期", "期次", "指标名称", "目标", "实际"]
    as_user(w, CO).post(
        reverse("projects_report_import"),
        {"file": upload("reports.xlsx", xlsx_bytes(rows, headers))},
    )
    job = ImportJob.objects.get(created_by=w.users[CO])
    assert job.status == ImportJob.Status.FAILED
    assert any(w.project_b.title in e["message"] for e in job.errors), job.errors
    assert OutcomeReport.objects.count() == before


def test_a_replayed_approval_decides_once(attack_world):
    w = attack_world
    report = w.report_b
    OutcomeReport.objects.filter(pk=report.pk).update(status="submitted")
    admin = as_user(w, roles.ADMINISTRATOR)
    url = reverse("projects_report_review", args=[report.pk])
    for _attempt in range(2):
        assert admin.post(url, {"action": "approve"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "approved"
    from wagtail.models import ModelLogEntry

    approvals = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(OutcomeReport),
        object_id=str(report.pk),
        action__contains="approve",
    )
    assert approvals.count() <= 1
