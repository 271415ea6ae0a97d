"""我的机构 → 我的资助: an organization user follows its own awards (tranche schedule,
letter and agreement, reports submitted online) and is told of award, payment and
report deadlines; another organization's ids answer 404."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model

from core.models import Notification, NotificationKind
from funding.errors import FundingError
from funding.models import AwardReport, DocumentKind
from funding.models.awards import ReportKind, ReportStatus
from funding.services import award_portal
from funding.services.disbursements import (
    disbursement_approve,
    disbursement_pay,
    disbursement_record,
)
from funding.services.documents import document_number_issue
from funding.services.notifications import report_deadline_reminders_send

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def story(portal_award, make_org_user, make_user, manager, make_award):
    """The organization's award of 128,500.00 元 with its first tranche
    (40 % = 51,400.00 元) paid on 2023-07-03; another organization's award."""
    award = portal_award
    organization = award.application.organization
    clerk = make_user("clerk", "fund_manager")
    finance = make_user("payer", "finance")
    first = award.tranches.order_by("sort_order").first()
    payment = disbursement_record(first, amount=first.amount, user=clerk)
    disbursement_approve(payment, user=manager, on=datetime.date(2023, 7, 1))
    disbursement_pay(
        payment,
        user=finance,
        voucher_number="FC-2023-0001",
        paid_on=datetime.date(2023, 7, 3),
    )
    lead = make_org_user(organization, "lead")
    other_award = make_award(amount=Decimal("90000"))
    return {
        "award": award,
        "organization": organization,
        "lead": lead,
        "other": other_award,
        "manager": manager,
        "finance": finance,
        "clerk": clerk,
    }


def test_the_schedule_in_yuan_with_what_is_paid_and_what_is_open(story):
    page = _client(story["lead"]).get(
        reverse("funding_portal_award", args=[story["award"].pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    # 128,500 × 40 % = 51,400.00; × 30 % = 38,550.00; the rest 38,550.00
    assert "128,500.00" in html
    assert html.count("38,550.00") >= 2
    assert "51,400.00" in html
    assert "已拨付" in html
    assert "2023年7月3日" in html
    # paid 51,400.00 of 128,500.00: 77,100.00 still to be paid
    assert "77,100.00" in html
    # the mid-term tranche waits for the mid-term report
    assert "中期报告尚未批准" in html
    assert "未拨付" in html


def test_the_list_shows_only_its_own_awards(story):
    html = _client(story["lead"]).get(reverse("funding_portal_awards")).content.decode()
    assert story["award"].application.title in html
    assert story["other"].application.organization.name not in html
    assert reverse("funding_portal_award", args=[story["other"].pk]) not in html


def test_another_organizations_ids_answer_404(story):
    client = _client(story["lead"])
    other = story["other"]
    report = AwardReport.objects.create(
        award=other, kind=ReportKind.MIDTERM, status=ReportStatus.SUBMITTED
    )
    for url in [
        reverse("funding_portal_award", args=[other.pk]),
        reverse("funding_portal_award_agreement", args=[other.pk]),
        reverse("funding_portal_award_report", args=[other.pk, "midterm"]),
        reverse("funding_portal_award_report_submit", args=[other.pk, "midterm"]),
        reverse("funding_portal_report_document", args=[report.pk]),
        reverse("funding_award_letter_pdf", args=[other.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("funding_portal_award_report", args=[other.pk, "midterm"]),
            {"summary": "越权"},
        ).status_code
        == 404
    )
    assert not AwardReport.objects.filter(award=other, summary="越权").exists()


def test_staff_without_an_organization_are_refused(story, client_for):
    client = client_for("fund_manager", username="fm2")
    response = client.get(reverse("funding_portal_awards"))
    # the admin's one refusal: back to the dashboard with "no permission"
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_letter_once_issued_and_agreement_download(story, fund):
    award = story["award"]
    client = _client(story["lead"])
    letter = reverse("funding_award_letter_pdf", args=[award.pk])
    # not issued by the department yet: back to the award page, nothing numbered
    response = client.get(letter)
    assert response.status_code == 302
    assert response["Location"] == reverse("funding_portal_award", args=[award.pk])
    fund.document_prefix = "湘民福彩"
    fund.save()
    document_number_issue(
        kind=DocumentKind.AWARD_LETTER,
        record=award,
        fund=fund,
        user=story["manager"],
    )
    assert client.get(letter)["Content-Type"] == "application/pdf"
    # the agreement: none attached → 404; attached → a download of the file
    agreement_url = reverse("funding_portal_award_agreement", args=[award.pk])
    assert client.get(agreement_url).status_code == 404
    document = get_document_model().objects.create(
        title="资助协议", file=ContentFile(PDF, name="agreement.pdf")
    )
    award.agreement_document = document
    award.save()
    response = client.get(agreement_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_draft_then_submit_after_confirmation(story):
    award, lead, manager = story["award"], story["lead"], story["manager"]
    client = _client(lead)
    url = reverse("funding_portal_award_report", args=[award.pk, "midterm"])
    upload = SimpleUploadedFile("中期报告.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"summary": "已服务86户。", "document": upload})
    assert response.status_code == 302
    report = AwardReport.objects.get(award=award)
    assert report.status == ReportStatus.DRAFT
    assert report.document is not None
    assert report.summary == "已服务86户。"
    # "save and submit" asks for confirmation first; nothing is sent yet
    submit = reverse("funding_portal_award_report_submit", args=[award.pk, "midterm"])
    page = client.post(url, {"summary": "已服务86户。", "then": "submit"}, follow=True)
    assert "提交报告" in page.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    token = page.context["confirmation"].token
    done = client.post(submit, {"confirm_token": token})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.from_organization
    assert report.submitted_by == lead
    assert report.submitted_on == timezone.localdate()
    assert Notification.objects.filter(
        recipient=manager, kind=NotificationKind.AWARD_REPORT_SUBMITTED
    ).exists()
    # a double submit is refused and changes nothing
    with pytest.raises(FundingError, match="已提交"):
        award_portal.award_report_send(report, user=lead)
    # the submitted report can no longer be edited through the form
    client.post(url, {"summary": "改动"})
    report.refresh_from_db()
    assert report.summary == "已服务86户。"


def test_a_file_of_the_wrong_type_is_refused_and_nothing_stored(story):
    client = _client(story["lead"])
    url = reverse("funding_portal_award_report", args=[story["award"].pk, "final"])
    fake = SimpleUploadedFile("报告.pdf", b"<html><script>x</script></html>")
    response = client.post(url, {"summary": "结项报告", "document": fake})
    assert response.status_code == 200
    assert "不接受" in response.content.decode() or "类型" in response.content.decode()
    assert not AwardReport.objects.exists()


def test_an_empty_report_cannot_be_submitted(story):
    report = award_portal.award_report_draft_save(
        story["award"], kind=ReportKind.MIDTERM, user=story["lead"]
    )
    with pytest.raises(FundingError):
        award_portal.award_report_send(report, user=story["lead"])


def test_a_tranche_paid_is_told_to_the_organization(story):
    lead, award = story["lead"], story["award"]
    second = award.tranches.order_by("sort_order")[1]
    AwardReport.objects.create(
        award=award,
        kind=ReportKind.MIDTERM,
        status=ReportStatus.APPROVED,
        approved_on=datetime.date(2023, 9, 1),
    )
    payment = disbursement_record(second, amount=Decimal("38550"), user=story["clerk"])
    disbursement_approve(payment, user=story["manager"])
    disbursement_pay(
        payment,
        user=story["finance"],
        voucher_number="FC-2023-0002",
        paid_on=timezone.localdate(),
    )
    told = Notification.objects.get(recipient=lead, kind=NotificationKind.TRANCHE_PAID)
    assert "38,550.00" in told.title
    assert told.link == reverse("funding_portal_award", args=[award.pk])


def test_award_made_tells_the_organization(
    make_org_user, approved_application, manager
):
    from funding.services.notices import notice_close, notice_publish

    app = approved_application(Decimal("80000"))
    lead = make_org_user(app.organization, "lead2")
    notice = notice_publish(
        app.call,
        title="立项公示",
        starts_on=datetime.date(2023, 6, 5),
        working_days=5,
        objection_contact="0731-00000000",
        user=manager,
    )
    notice_close(notice, user=manager, on=datetime.date(2023, 6, 12))
    told = Notification.objects.get(recipient=lead, kind=NotificationKind.AWARD_MADE)
    assert "80,000.00" in told.title


def test_report_due_in_14_days_is_told_once(story):
    award, lead = story["award"], story["lead"]
    today = datetime.date(2024, 3, 1)
    award.midterm_due_on = today + datetime.timedelta(days=14)
    award.final_due_on = today + datetime.timedelta(days=15)  # too far yet
    award.save()
    assert report_deadline_reminders_send(today=today) == 1
    assert report_deadline_reminders_send(today=today) == 0  # once per due date
    told = Notification.objects.get(recipient=lead, kind=NotificationKind.REPORT_DUE)
    assert "2024-03-15" in told.title
    # the next day the final report is within 14 days too
    assert report_deadline_reminders_send(today=today + datetime.timedelta(days=1)) == 1


def test_a_submitted_report_is_not_reminded(story):
    award, lead = story["award"], story["lead"]
    award.midterm_due_on = timezone.localdate() + datetime.timedelta(days=3)
    award.save()
    report = award_portal.award_report_draft_save(
        award, kind=ReportKind.MIDTERM, user=lead, summary="中期进展"
    )
    award_portal.award_report_send(report, user=lead)
    call_command("notify_report_deadlines", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Notification.objects.filter(kind=NotificationKind.REPORT_DUE).exists()
