"""Outcome reports: draft → submitted → returned / approved, approved by someone other
than the author, evidence required, numbers only."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import roles
from projects.choices import ReportStatus
from projects.errors import ProjectsError
from projects.models import OutcomeEvidence, OutcomeReport
from projects.services.reports import report_approve, report_return, report_submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


@pytest.fixture
def team(make_user, make_pairing, make_project):
    author = make_user("author", roles.COORDINATOR)
    checker = make_user("checker", roles.COORDINATOR)
    outsider = make_user("outsider", roles.COORDINATOR)
    pairing = make_pairing(coordinators=[author, checker])
    project = make_project(pairing=pairing)
    return author, checker, outsider, project


def _draft(make_report, project, author, lines=None):
    return make_report(
        project,
        2024,
        1,
        lines or {"jobs": "12"},
        status=ReportStatus.DRAFT,
        author=author,
    )


def test_submit_then_approve_by_someone_else(team, make_report):
    author, checker, _outsider, project = team
    report = _draft(make_report, project, author)

    report_submit(report, user=author)
    report_approve(report, user=checker)

    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.created_by == author  # the author never changes
    assert report.decided_by == checker
    assert report.decided_at is not None
    statuses = [h.status for h in report.history.order_by("history_date")]
    assert statuses == ["draft", "submitted", "approved"]  # every step is kept


def test_author_cannot_approve_own_report(team, make_report):
    author, _checker, _outsider, project = team
    report = _draft(make_report, project, author)
    report_submit(report, user=author)

    with pytest.raises(ProjectsError) as exc:
        report_approve(report, user=author)

    assert "someone else" in str(exc.value) or "他人" in " ".join(exc.value.messages)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_return_needs_reason_and_allows_resubmission(team, make_report):
    author, checker, _outsider, project = team
    report = _draft(make_report, project, author)
    report_submit(report, user=author)

    with pytest.raises(ProjectsError):
        report_return(report, user=checker, reason="  ")
    report_return(report, user=checker, reason="请补充销售票据")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == "请补充销售票据"

    report_submit(report, user=author)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_approved_report_cannot_move_again(team, make_report):
    author, checker, _outsider, project = team
    report = _draft(make_report, project, author)
    report_submit(report, user=author)
    report_approve(report, user=checker)

    with pytest.raises(ProjectsError):
        report_submit(report, user=author)
    with pytest.raises(ProjectsError):
        report_return(report, user=checker, reason="改")


def test_draft_cannot_be_approved_directly(team, make_report):
    author, checker, _outsider, project = team
    report = _draft(make_report, project, author)
    with pytest.raises(ProjectsError):
        report_approve(report, user=checker)


def test_outsider_coordinator_cannot_touch_report(team, make_report):
    author, _checker, outsider, project = team
    report = _draft(make_report, project, author)
    report_submit(report, user=author)
    with pytest.raises(PermissionDenied):
        report_approve(report, user=outsider)


def test_submit_refused_without_required_evidence(team, make_report, indicators):
    author, _checker, _outsider, project = team
    report = _draft(make_report, project, author, {"produce_sold": "230000"})

    with pytest.raises(ProjectsError) as exc:
        report_submit(report, user=author)
    assert "销售农产品金额" in " ".join(exc.value.messages)
    assert OutcomeReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT

    OutcomeEvidence.objects.create(
        report=report,
        indicator=indicators["produce_sold"],
        title="销售票据",
        kind="receipts",
        file=SimpleUploadedFile("receipts.txt", b"receipt"),
    )
    report_submit(report, user=author)
    assert OutcomeReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_submit_refused_without_any_actual(team, make_report, indicators):
    author, _checker, _outsider, project = team
    report = OutcomeReport.objects.create(
        project=project, period_type="half", year=2024, number=1, created_by=author
    )
    report.lines.create(indicator=indicators["jobs"], target=Decimal("10"))
    with pytest.raises(ProjectsError):
        report_submit(report, user=author)


def test_ratio_line_derives_percentage(team, make_report):
    author, _checker, _outsider, project = team
    report = _draft(
        make_report, project, author, {"poor_household_coverage": ("31", "102")}
    )
    line = report.lines.get()
    assert line.actual == Decimal("30.39")


def test_period_type_must_match_project(team, indicators):
    from django.core.exceptions import ValidationError

    _author, _checker, _outsider, project = team
    report = OutcomeReport(project=project, period_type="quarter", year=2024, number=1)
    with pytest.raises(ValidationError) as exc:
        report.full_clean(exclude=["start_date", "end_date"])
    assert "period_type" in exc.value.message_dict


# --- through the admin -------------------------------------------------------------


def _report_form(project, indicator, actual, prefix_total=1, **extra):
    data = {
        "project": project.pk,
        "period_type": "half",
        "year": "2024",
        "number": "1",
        "note": "",
        "lines-TOTAL_FORMS": str(prefix_total),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-indicator": indicator.pk,
        "lines-0-target": "10",
        "lines-0-actual": actual,
        "lines-0-numerator": "",
        "lines-0-denominator": "",
        "lines-0-note": "",
        "lines-0-ORDER": "1",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_admin_refuses_text_in_a_number_field(
    client_for, make_pairing, make_project, indicators
):
    client = client_for(roles.COORDINATOR)
    project = make_project(pairing=make_pairing(coordinators=[client.user]))
    url = reverse("wagtailsnippets_projects_outcomereport:add")

    response = client.post(url, _report_form(project, indicators["jobs"], "N/A"))

    assert response.status_code == 200
    assert "只接受数字" in response.content.decode()
    assert not OutcomeReport.objects.exists()


def test_admin_create_records_author_and_draft(
    client_for, make_pairing, make_project, indicators
):
    client = client_for(roles.COORDINATOR)
    project = make_project(pairing=make_pairing(coordinators=[client.user]))
    url = reverse("wagtailsnippets_projects_outcomereport:add")

    response = client.post(url, _report_form(project, indicators["jobs"], "12"))

    assert response.status_code == 302
    report = OutcomeReport.objects.get()
    assert report.created_by == client.user
    assert report.status == ReportStatus.DRAFT
    assert report.lines.get().actual == Decimal("12")


def test_admin_cannot_create_report_for_someone_elses_project(
    client_for, make_project, indicators
):
    client = client_for(roles.COORDINATOR)
    project = make_project()  # not coordinated by this user
    url = reverse("wagtailsnippets_projects_outcomereport:add")

    response = client.post(url, _report_form(project, indicators["jobs"], "12"))

    assert response.status_code == 200
    assert not OutcomeReport.objects.exists()


def test_review_screen_submit_and_approve(
    client_for, make_pairing, make_project, make_report
):
    author = client_for(roles.COORDINATOR, "author")
    checker = client_for(roles.COORDINATOR, "checker")
    project = make_project(
        pairing=make_pairing(coordinators=[author.user, checker.user])
    )
    report = make_report(
        project, 2024, 1, {"jobs": "12"}, status=ReportStatus.DRAFT, author=author.user
    )
    url = reverse("projects_report_review", args=[report.pk])

    author.post(url, {"action": "submit"})
    page = author.get(url).content.decode()
    assert "已提交" in page
    # the author is told someone else must decide, and has no approve button
    assert 'value="approve"' not in page
    author.post(url, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    assert 'value="approve"' in checker.get(url).content.decode()
    checker.post(url, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    # an approved report can no longer be edited: the edit screen sends to review
    edit = author.get(
        reverse("wagtailsnippets_projects_outcomereport:edit", args=[report.pk])
    )
    assert edit.status_code == 302


def test_evidence_file_only_for_users_who_see_the_report(
    client_for, make_pairing, make_project, make_report, indicators
):
    mine = client_for(roles.COORDINATOR, "mine")
    other = client_for(roles.COORDINATOR, "other")
    project = make_project(pairing=make_pairing(coordinators=[mine.user]))
    report = make_report(project, 2024, 1, {"produce_sold": "1"}, author=mine.user)
    evidence = OutcomeEvidence.objects.create(
        report=report,
        indicator=indicators["produce_sold"],
        title="票据",
        kind="receipts",
        file=SimpleUploadedFile("receipt.txt", b"secret receipt"),
    )
    url = reverse("projects_evidence_file", args=[evidence.pk])

    assert b"".join(mine.get(url).streaming_content) == b"secret receipt"
    # another coordinator: 404 (outside their pairings); the editor, who may not
    # see reports at all: Wagtail's redirect to the dashboard. No file is served.
    assert other.get(url).status_code == 404
    response = client_for(roles.EDITOR).get(url)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_public_sees_only_evidence_marked_public(
    client, make_project, make_report, indicators
):
    report = make_report(make_project(), 2024, 1, {"cabins_baby": "3"})
    # Evidence is public only once its report is approved
    # (tests/core/test_uploads.py covers the draft report).
    OutcomeReport.objects.filter(pk=report.pk).update(status="approved")
    private = OutcomeEvidence.objects.create(
        report=report,
        indicator=indicators["cabins_baby"],
        title="室内照片（含儿童面部）",
        file=SimpleUploadedFile("private.jpg", b"faces"),
    )
    public = OutcomeEvidence.objects.create(
        report=report,
        indicator=indicators["cabins_baby"],
        title="挂牌照片",
        file=SimpleUploadedFile("public.jpg", b"plaque"),
        is_public=True,
    )

    assert (
        client.get(reverse("projects_public_evidence", args=[private.pk])).status_code
        == 404
    )
    response = client.get(reverse("projects_public_evidence", args=[public.pk]))
    assert b"".join(response.streaming_content) == b"plaque"
    # and the admin download refuses anonymous users
    admin_url = reverse("projects_evidence_file", args=[private.pk])
    assert client.get(admin_url).status_code == 302


def test_dashboard_lists_reports_waiting_for_decision(
    client_for, make_user, make_pairing, make_project, make_report
):
    author = make_user("author", roles.COORDINATOR)
    checker = client_for(roles.COORDINATOR, "checker")
    project = make_project(
        pairing=make_pairing(coordinators=[author, checker.user]), title="阅读小屋"
    )
    report = make_report(
        project, 2024, 1, {"jobs": "1"}, status=ReportStatus.SUBMITTED, author=author
    )

    page = checker.get(reverse("wagtailadmin_home")).content.decode()

    # the task inbox (core.inbox; projects.selectors.inbox) links to the report
    assert "待审核的成效报告" in page
    assert reverse("projects_report_review", args=[report.pk]) in page


def test_report_history_shows_line_changes(client_for, make_project, make_report):
    client = client_for(roles.ADMINISTRATOR)
    report = make_report(
        make_project(), 2024, 1, {"jobs": "12"}, status=ReportStatus.DRAFT
    )
    line = report.lines.get()
    line.actual = Decimal("15")
    line.save()

    page = client.get(
        reverse("wagtailsnippets_projects_outcomereport:history", args=[report.pk])
    ).content.decode()

    assert "12.00" in page and "15" in page
    assert "实际值" in page


def test_fund_manager_sees_but_cannot_approve(
    client_for, make_user, make_pairing, make_project, make_report
):
    author = make_user("author", roles.COORDINATOR)
    fund = client_for(roles.FUND_MANAGER)
    project = make_project(pairing=make_pairing(coordinators=[author]))
    report = make_report(
        project, 2024, 1, {"jobs": "1"}, status=ReportStatus.SUBMITTED, author=author
    )
    url = reverse("projects_report_review", args=[report.pk])

    page = fund.get(url).content.decode()
    assert 'value="approve"' not in page
    fund.post(url, {"action": "approve"})

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        report_approve(report, user=fund.user)
