"""Funding notifications, done through the services: a review assigned tells its
reviewer; a deadline near reminds once per review and deadline; a payment recorded
tells the fund managers who may approve it, approved tells finance who may pay it
(never whoever already had a hand in it); an objection tells the fund managers."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.models import Notification, NotificationKind
from funding.choices import ApplicationStatus as S
from funding.choices import ReviewStatus
from funding.models import Review
from funding.services.assignment import review_assign
from funding.services.disbursements import disbursement_approve, disbursement_record
from funding.services.notices import notice_publish, objection_record
from funding.services.purchases import purchase_payment_approve, purchase_payment_record
from tests.fixtures.funding import NOTICE_START

pytestmark = pytest.mark.django_db


def _told(kind):
    """{username: [titles]} of the notifications of `kind`, shown in the admin."""
    told = {}
    for n in Notification.objects.filter(kind=kind, in_admin=True).order_by("pk"):
        told.setdefault(n.recipient.username, []).append(n.title)
    return told


def test_assigning_a_review_tells_its_reviewer_only(
    call, make_application, make_reviewer, manager, django_capture_on_commit_callbacks
):
    app = make_application(status=S.ELIGIBLE)
    expert = make_reviewer("zhoumin")
    make_reviewer("wangli")
    with django_capture_on_commit_callbacks(execute=True):
        review = review_assign(app, expert, user=manager)
    assert _told(NotificationKind.REVIEW_ASSIGNED) == {
        "zhoumin": ["新的评审任务：留守儿童关爱服务项目（2023年度福彩公益金资助项目）"]
    }
    row = Notification.objects.get()
    assert row.link == reverse("funding_review_score", args=[review.pk])
    assert [m.to for m in mail.outbox] == [["zhoumin@example.org"]]
    assert mail.outbox[0].subject.endswith(
        "新的评审任务：留守儿童关爱服务项目（2023年度福彩公益金资助项目）"
    )


def test_a_blind_call_names_the_application_by_its_number(
    make_call, make_application, make_reviewer, manager
):
    blind = make_call(blind_review=True, identifying_fields=["title"])
    app = make_application(status=S.ELIGIBLE, call=blind)
    expert = make_reviewer("zhoumin")
    review_assign(app, expert, user=manager)
    title = Notification.objects.get(recipient=expert).title
    assert str(app.reference) in title
    assert "留守儿童" not in title


def test_deadline_reminder_once_per_review_and_deadline(
    make_call, make_application, make_reviewer, manager
):
    today = timezone.localdate()
    soon = make_call(
        name="2024年度公益创投", review_due_on=today + datetime.timedelta(2)
    )
    later = make_call(
        name="2025年度公益创投", review_due_on=today + datetime.timedelta(10)
    )
    expert = make_reviewer("zhoumin")
    done = make_reviewer("wangli")
    pending = review_assign(
        make_application(status=S.ELIGIBLE, call=soon), expert, user=manager
    )
    submitted = review_assign(
        make_application(status=S.ELIGIBLE, call=soon), done, user=manager
    )
    Review.objects.filter(pk=submitted.pk).update(status=ReviewStatus.SUBMITTED)
    review_assign(make_application(status=S.ELIGIBLE, call=later), expert, user=manager)

    call_command("notify_review_deadlines")
    call_command("notify_review_deadlines")  # cron ran twice: nobody told twice
    due = (today + datetime.timedelta(2)).isoformat()
    assert _told(NotificationKind.REVIEW_DEADLINE) == {
        "zhoumin": [f"评审将于 {due} 截止：留守儿童关爱服务项目（2024年度公益创投）"]
    }
    assert Notification.objects.get(kind=NotificationKind.REVIEW_DEADLINE).link == (
        reverse("funding_review_score", args=[pending.pk])
    )

    # the deadline moves: one more reminder for the new date
    soon.review_due_on = today + datetime.timedelta(1)
    soon.save()
    call_command("notify_review_deadlines")
    assert len(_told(NotificationKind.REVIEW_DEADLINE)["zhoumin"]) == 2


def test_a_disbursement_goes_to_the_approver_then_to_finance(
    make_award, make_user, manager, finance, django_capture_on_commit_callbacks
):
    award = make_award(amount=Decimal("100000"))
    clerk = make_user("clerk", roles.FUND_MANAGER)
    make_user("zhoumin", roles.REVIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        d = disbursement_record(award.tranches.first(), amount="60000", user=clerk)
    title = f"待审批款项：{award}，60,000.00 元"
    assert _told(NotificationKind.PAYMENT_WAITING) == {"fundmanager": [title]}
    assert [m.to for m in mail.outbox] == [["fundmanager@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        disbursement_approve(d, user=manager)
    assert _told(NotificationKind.PAYMENT_WAITING) == {
        "fundmanager": [title],
        "finance1": [f"待支付款项：{award}，60,000.00 元"],
    }
    row = Notification.objects.get(recipient=finance)
    assert row.link == reverse("funding_award_desk", args=[award.pk])
    assert [m.to for m in mail.outbox][-1] == ["finance1@example.org"]


def test_a_purchase_payment_goes_to_the_approver_then_to_finance(
    make_purchase, make_user, manager, finance
):
    purchase = make_purchase()
    clerk = make_user("clerk", roles.FUND_MANAGER)
    payment = purchase_payment_record(
        purchase,
        instalment=purchase.instalments.first(),
        amount="300000",
        user=clerk,
    )
    assert _told(NotificationKind.PAYMENT_WAITING) == {
        "fundmanager": [f"待审批款项：{purchase}，300,000.00 元"]
    }
    purchase_payment_approve(payment, user=manager)
    assert _told(NotificationKind.PAYMENT_WAITING)["finance1"] == [
        f"待支付款项：{purchase}，300,000.00 元"
    ]
    assert set(_told(NotificationKind.PAYMENT_WAITING)) == {"fundmanager", "finance1"}


def test_an_objection_tells_the_fund_managers(
    approved_application, make_user, manager, finance
):
    app = approved_application()
    notice_publish(
        app.call,
        title="立项公示",
        starts_on=NOTICE_START,
        working_days=5,
        objection_contact="0731-00000000",
        user=manager,
    )
    colleague = make_user("fm2", roles.FUND_MANAGER)
    app.refresh_from_db()
    objection_record(
        app.award,
        received_on=datetime.date(2023, 6, 8),
        objector="某社区居民",
        content="服务对象人数虚报",
        user=manager,
    )
    assert _told(NotificationKind.OBJECTION_RECEIVED) == {
        "fm2": [f"收到某社区居民的异议：{app.award}"]
    }
    assert Notification.objects.get(recipient=colleague).link == reverse(
        "funding_award_desk", args=[app.award.pk]
    )
