"""Attacks on the organization's side of an award: texts the report form does not
check (the view hands the raw POST to the service) must be refused by the service
with a Chinese error, and nothing stored is lost."""

import pytest
from django.test import Client
from django.urls import reverse

from funding.errors import FundingError
from funding.models import AwardReport
from funding.models.awards import ReportKind
from funding.services import award_portal

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(portal_award, make_org_user):
    return make_org_user(portal_award.application.organization, "lead")


def test_a_null_character_in_the_report_text_is_refused_in_chinese(portal_award, lead):
    client = Client()
    client.force_login(lead)
    url = reverse("funding_portal_award_report", args=[portal_award.pk, "midterm"])
    response = client.post(url, {"summary": "中期报告\x00正文"})
    assert response.status_code == 200
    assert "空字符" in response.content.decode()
    assert not AwardReport.objects.exists()


def test_a_huge_report_text_is_refused_and_the_saved_draft_kept(portal_award, lead):
    report = award_portal.award_report_draft_save(
        portal_award,
        kind=ReportKind.MIDTERM,
        user=lead,
        summary="上半年开展活动 12 场。",
    )
    with pytest.raises(FundingError) as caught:
        award_portal.award_report_draft_save(
            portal_award,
            kind=ReportKind.MIDTERM,
            user=lead,
            summary="字" * (award_portal.REPORT_SUMMARY_MAX + 1),
        )
    assert "最多 20,000 个字" in " ".join(caught.value.messages)
    report.refresh_from_db()
    assert report.summary == "上半年开展活动 12 场。"
