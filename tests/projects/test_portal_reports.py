"""我的机构 → 成效报告: an organization user files the outcome reports of its own
projects (draft → submitted), with evidence; the coordinator approves or returns
with a reason; the organization sees the reason and resubmits. Only its own
organization's projects, reports and files; it never approves."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from core import roles
from core.models import Notification, NotificationKind
from projects.choices import ReportStatus
from projects.models import OutcomeReport
from projects.services.reports import report_approve, report_return
from tests.support.html import visible_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def _png():
    """A real (Pillow-readable) PNG: evidence photos pass the upload checks."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()
REASON = "受益人数与签到表不一致，请核对。"


@pytest.fixture
def world(make_user, make_organization, make_pairing, make_project, indicators):
    from core.models import Region
    from incubator.choices import RegistrationLevel
    from incubator.models import OrganizationMembership

    def org(name):
        return make_organization(
            name=name,
            region=Region.objects.get(code="430900"),
            registration_level=RegistrationLevel.CITY,
        )

    coordinator = make_user("coord", roles.COORDINATOR)
    own = org("益阳市阳光社工服务中心")
    other = org("常德市公益服务中心")
    lead = make_user("lead", roles.ORGANIZATION, first_name="李", last_name="")
    finance = make_user("fin", roles.ORGANIZATION)
    stranger = make_user("stranger", roles.ORGANIZATION)
    OrganizationMembership.objects.create(user=lead, organization=own)
    OrganizationMembership.objects.create(user=finance, organization=own)
    OrganizationMembership.objects.create(user=stranger, organization=other)
    project = make_project(
        pairing=make_pairing(organization=own, coordinators=[coordinator]),
        title="安化县阅读小屋项目",
    )
    other_project = make_project(
        pairing=make_pairing(organization=other, coordinators=[coordinator]),
        title="桃源县助农项目",
    )
    return {
        "coordinator": coordinator,
        "lead": lead,
        "finance": finance,
        "stranger": stranger,
        "project": project,
        "other_project": other_project,
        "indicators": indicators,
    }


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _create(client, project, year=2025, number=1):
    return client.post(
        reverse("projects_portal_report_create", args=[project.pk]),
        {"year": year, "number": number, "note": ""},
    )


def _line(indicator, **values):
    prefix = f"line-{indicator.pk}-"
    return {prefix + k: v for k, v in values.items()}


def _post(client, report, data, files=None):
    payload = {"action": "save", "note": "", "evidence-kind": "photos", **data}
    if files:
        payload.update(files)
    return client.post(reverse("projects_portal_report", args=[report.pk]), payload)


def test_the_organization_drafts_fills_and_submits_a_report(world):
    lead, project = _client(world["lead"]), world["project"]
    ind = world["indicators"]

    listing = visible_text(lead.get(reverse("projects_portal_reports")))
    assert "安化县阅读小屋项目" in listing
    assert "桃源县助农项目" not in listing  # another organization's project

    response = _create(lead, project)
    assert response.status_code == 302
    report = OutcomeReport.objects.get(project=project)
    assert (report.period_type, report.year, report.number) == ("half", 2025, 1)
    assert report.status == ReportStatus.DRAFT
    assert report.created_by == world["lead"]

    # two indicators: 受益人数 (no evidence) and 阅读小屋建成数 (photos required)
    _post(lead, report, {"add_indicator": ind["beneficiaries"].pk})
    _post(lead, report, {"add_indicator": ind["cabins_reading"].pk})
    response = _post(
        lead,
        report,
        {
            **_line(ind["beneficiaries"], target="300", actual="318"),
            **_line(ind["cabins_reading"], target="6", actual="6"),
        },
    )
    assert response.status_code == 302
    lines = {line.indicator.code: line for line in report.lines.all()}
    assert lines["beneficiaries"].actual == 318
    assert lines["cabins_reading"].target == 6

    # submitting without the required photos: the figures stay, the report waits
    response = _post(
        lead,
        report,
        {
            "action": "submit",
            **_line(ind["beneficiaries"], target="300", actual="318"),
            **_line(ind["cabins_reading"], target="6", actual="6"),
        },
    )
    page = visible_text(lead.get(response["Location"]))
    assert "草稿已保存，但未提交" in page and "阅读小屋建成数" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    photo = SimpleUploadedFile("小屋.png", PNG, content_type="image/png")
    response = _post(
        lead,
        report,
        {
            "action": "submit",
            **_line(ind["beneficiaries"], target="300", actual="318"),
            **_line(ind["cabins_reading"], target="6", actual="6"),
            "evidence-indicator": ind["cabins_reading"].pk,
            "evidence-title": "阅读小屋挂牌照片",
        },
        {"evidence-file": photo},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == world["lead"]
    evidence = report.evidence.get()
    assert evidence.title == "阅读小屋挂牌照片" and not evidence.is_public
    # history kept: created, lines and status changes are recorded
    assert report.history.filter(status=ReportStatus.SUBMITTED).exists()
    assert report.lines.first().history.exists()
    # submitted: read-only for the organization
    page = visible_text(lead.get(reverse("projects_portal_report", args=[report.pk])))
    assert "保存草稿" not in page and "阅读小屋挂牌照片" in page


def test_bad_figures_and_files_are_refused_with_reasons(world, make_report):
    lead, project = _client(world["lead"]), world["project"]
    report = make_report(
        project,
        2025,
        1,
        {"beneficiaries": "10"},
        status=ReportStatus.DRAFT,
        author=world["lead"],
    )
    ind = world["indicators"]
    response = _post(lead, report, _line(ind["beneficiaries"], actual="N/A"))
    assert response.status_code == 400
    assert "只接受数字" in visible_text(response)
    response = _post(lead, report, _line(ind["beneficiaries"], actual="-5"))
    assert response.status_code == 400
    assert "不能为负数" in visible_text(response)
    html = SimpleUploadedFile("photo.png", b"<html><script>x</script>", "image/png")
    response = _post(
        lead,
        report,
        {
            **_line(ind["beneficiaries"], actual="12"),
            "evidence-title": "照片",
        },
        {"evidence-file": html},
    )
    assert response.status_code == 400
    assert not report.evidence.exists()
    assert "文件" in visible_text(response)


def test_the_coordinator_returns_the_organization_sees_the_reason_and_resubmits(
    world, make_report, django_capture_on_commit_callbacks
):
    from projects.services.reports import report_submit

    lead, project = world["lead"], world["project"]
    report = make_report(
        project,
        2025,
        1,
        {"beneficiaries": "360"},
        status=ReportStatus.DRAFT,
        author=lead,
    )
    report_submit(report, user=lead)
    coordinator = world["coordinator"]
    review = visible_text(
        _client(coordinator).get(reverse("projects_report_review", args=[report.pk]))
    )
    assert "社会组织在线填报（益阳市阳光社工服务中心）" in review

    with django_capture_on_commit_callbacks(execute=True):
        report_return(report, user=coordinator, reason=REASON)
    told = Notification.objects.filter(kind=NotificationKind.REPORT_RETURNED)
    assert {n.recipient.username for n in told} == {"lead", "fin"}
    assert REASON in told.first().title
    assert told.first().link == reverse("projects_portal_report", args=[report.pk])

    client = _client(world["finance"])  # any user of the organization
    listing = visible_text(client.get(reverse("projects_portal_reports")))
    assert f"退回原因：{REASON}" in listing
    page = visible_text(client.get(reverse("projects_portal_report", args=[report.pk])))
    assert REASON in page
    ind = world["indicators"]
    response = _post(
        client,
        report,
        {"action": "submit", **_line(ind["beneficiaries"], actual="312")},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.lines.get().actual == 312
    assert report.submitted_by == world["finance"]

    report_approve(report, user=coordinator)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_an_organization_user_never_approves_or_returns(world, make_report):
    from django.core.exceptions import PermissionDenied

    report = make_report(
        world["project"],
        2025,
        1,
        {"beneficiaries": "10"},
        status=ReportStatus.SUBMITTED,
        author=world["coordinator"],
    )
    for decide in (
        lambda: report_approve(report, user=world["lead"]),
        lambda: report_return(report, user=world["lead"], reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            decide()
    lead = _client(world["lead"])
    response = lead.post(
        reverse("projects_report_review", args=[report.pk]), {"action": "approve"}
    )
    assert response.status_code in (302, 403)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_another_organizations_ids_answer_404(world, make_report):
    other = make_report(
        world["other_project"],
        2025,
        1,
        {"beneficiaries": "10"},
        status=ReportStatus.DRAFT,
        author=world["stranger"],
    )
    from projects.models import OutcomeEvidence

    evidence = OutcomeEvidence.objects.create(
        report=other,
        title="别人的照片",
        kind="photos",
        file=SimpleUploadedFile("p.png", PNG),
    )
    lead = _client(world["lead"])
    assert _create(lead, world["other_project"]).status_code == 404
    url = reverse("projects_portal_report", args=[other.pk])
    assert lead.get(url).status_code == 404
    assert lead.post(url, {"action": "submit"}).status_code == 404
    evidence_url = reverse("projects_portal_evidence", args=[evidence.pk])
    assert lead.get(evidence_url).status_code == 404
    assert _client(world["stranger"]).get(evidence_url).status_code == 200
    other.refresh_from_db()
    assert other.status == ReportStatus.DRAFT
    # staff without an organization get the admin's refusal (back to the dashboard)
    refused = _client(world["coordinator"]).get(reverse("projects_portal_reports"))
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")


def test_a_period_already_reported_is_refused(world, make_report):
    make_report(world["project"], 2025, 1, {"beneficiaries": "10"})
    response = _create(_client(world["lead"]), world["project"])
    assert response.status_code == 400
    assert "与已有报告" in visible_text(response)
    assert OutcomeReport.objects.filter(project=world["project"]).count() == 1
