"""The fund manager returns an organization's report with a reason: the reason is
kept (with history), the organization is told and sees it, edits and submits again;
only a submitted report is approved or returned."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Notification, NotificationKind
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.models.awards import ReportKind, ReportStatus
from funding.services import award_portal
from funding.services.awards import award_report_approve, award_report_return

pytestmark = pytest.mark.django_db

REASON = "未附资金使用明细，请补充支出明细表后重新提交。"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def submitted(portal_award, make_org_user):
    lead = make_org_user(portal_award.application.organization, "lead")
    report = award_portal.award_report_draft_save(
        portal_award, kind=ReportKind.MIDTERM, user=lead, summary="已服务86户。"
    )
    award_portal.award_report_send(report, user=lead)
    report.refresh_from_db()
    return report, lead


def test_return_keeps_the_reason_and_tells_the_organization(submitted, manager):
    report, lead = submitted
    award_report_return(report, user=manager, reason=REASON)
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == REASON
    assert report.returned_by == manager
    statuses = [h.status for h in report.history.order_by("history_date")]
    assert statuses == ["draft", "submitted", "returned"]
    told = Notification.objects.get(
        recipient=lead, kind=NotificationKind.REPORT_RETURNED
    )
    assert REASON in told.title


def test_a_return_needs_a_reason(submitted, manager):
    report, _lead = submitted
    with pytest.raises(FundingError) as exc:
        award_report_return(report, user=manager, reason="  ")
    assert "reason" in exc.value.message_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_organization_sees_the_reason_and_resubmits(submitted, manager):
    report, lead = submitted
    award_report_return(report, user=manager, reason=REASON)
    client = _client(lead)
    award = report.award
    page = client.get(reverse("funding_portal_award", args=[award.pk])).content
    assert REASON in page.decode()
    assert "修改后重新提交" in page.decode()
    form = client.get(
        reverse("funding_portal_award_report", args=[award.pk, "midterm"])
    )
    assert REASON in form.content.decode()
    award_portal.award_report_draft_save(
        award, kind=ReportKind.MIDTERM, user=lead, summary="已服务86户，附支出明细。"
    )
    award_portal.award_report_send(report, user=lead)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.summary == "已服务86户，附支出明细。"
    # one report of the kind, edited — not a second one
    assert award.reports.filter(kind=ReportKind.MIDTERM).count() == 1
    award_report_approve(report, user=manager)
    report.refresh_from_db()
    award.application.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert award.application.status == S.MIDTERM_CHECKED


def test_only_a_submitted_report_is_approved_or_returned(
    portal_award, make_org_user, manager
):
    lead = make_org_user(portal_award.application.organization, "lead")
    draft = award_portal.award_report_draft_save(
        portal_award, kind=ReportKind.FINAL, user=lead, summary="草稿"
    )
    with pytest.raises(FundingError):
        award_report_approve(draft, user=manager)
    with pytest.raises(FundingError):
        award_report_return(draft, user=manager, reason=REASON)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_the_desk_marks_the_organizations_report_and_returns_it(submitted, manager):
    report, _lead = submitted
    client = _client(manager)
    desk = reverse("funding_award_desk", args=[report.award.pk])
    html = client.get(desk).content.decode()
    assert "由社会组织提交" in html
    response = client.post(
        desk, {"action": "return_report", "pk": report.pk, "reason": ""}
    )
    assert response.status_code == 200  # refused: the reason is missing
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.post(desk, {"action": "return_report", "pk": report.pk, "reason": REASON})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == REASON


def test_another_organization_cannot_report_on_the_award(
    portal_award, make_org_user, make_organization
):
    stranger = make_org_user(make_organization(), "stranger")
    with pytest.raises(FundingError):
        award_portal.award_report_draft_save(
            portal_award, kind=ReportKind.MIDTERM, user=stranger, summary="越权"
        )
    assert not portal_award.reports.exists()
