"""Separation of duties (DESIGN.md): whoever records a payment, whoever approves it and
whoever pays it are three different people — award disbursements and government
purchase payments alike, administrators and superusers included. The screens show
the reason instead of the button; the server refuses a raw POST all the same."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core import roles
from funding.models.awards import Disbursement, DisbursementStatus
from funding.models.purchases import PurchasePayment
from funding.services import purchases as purchase_services
from tests.support.confirm import post_confirmed
from tests.support.payments import pay_through_desk

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser(
        "root", "root@example.org", "x-Password-1"
    )


def test_disbursement_admin_cannot_record_approve_and_pay(client, make_award, root):
    award = make_award()
    tranche = award.tranches.first()
    c = _client(client, root)
    desk = reverse("funding_award_desk", args=[award.pk])
    assert (
        c.post(
            desk, {"action": "disburse", "tranche": tranche.pk, "amount": "60000"}
        ).status_code
        == 302
    )
    d = Disbursement.objects.get()
    assert d.recorded_by == root

    # the desk shows the reason, not the button
    page = c.get(desk).content.decode()
    assert "这笔款项由您登记，须由他人批准" in page
    approve = reverse("funding_disbursement_action", args=[d.pk, "approve"])
    assert f'action="{approve}"' not in page

    # a raw POST is refused by the server
    response = c.post(approve, follow=True)
    assert "这笔款项由您登记，须由他人批准" in response.content.decode()
    d.refresh_from_db()
    assert (d.status, d.approved_by) == (DisbursementStatus.RECORDED, None)


def test_disbursement_approver_cannot_pay(client, make_award, make_user, root):
    award = make_award()
    clerk = make_user("clerk", roles.FUND_MANAGER)
    from funding.services.disbursements import disbursement_record

    d = disbursement_record(award.tranches.first(), amount="60000", user=clerk)
    c = _client(client, root)
    post_confirmed(c, reverse("funding_disbursement_action", args=[d.pk, "approve"]))
    d.refresh_from_db()
    assert (d.status, d.approved_by) == (DisbursementStatus.APPROVED, root)

    pay = reverse("funding_disbursement_action", args=[d.pk, "pay"])
    confirm = c.get(pay).content.decode()
    assert "这笔款项由您批准，须由第三人支付" in confirm
    assert 'type="submit"' not in confirm.split("</header>")[-1].split("<footer")[0]
    c.post(pay)
    d.refresh_from_db()
    assert (d.status, d.paid_by) == (DisbursementStatus.APPROVED, None)

    # the recorder cannot pay either, even with finance's permission
    clerk.groups.add(roles.role_group(roles.FINANCE))
    _client(client, clerk).post(pay)
    d.refresh_from_db()
    assert d.status == DisbursementStatus.APPROVED

    finance = make_user("cashier", roles.FINANCE)
    pay_through_desk(_client(client, finance), pay, "2023-0001")
    d.refresh_from_db()
    assert (d.status, d.recorded_by, d.approved_by, d.paid_by) == (
        DisbursementStatus.PAID,
        clerk,
        root,
        finance,
    )


def test_purchase_payment_record_approve_pay(client, make_purchase, make_user):
    purchase = make_purchase()  # 300,000 then final 200,000
    first = purchase.instalments.first()
    clerk = make_user("clerk", roles.FUND_MANAGER)
    chief = make_user("chief", roles.FUND_MANAGER)
    cashier = make_user("cashier", roles.FINANCE)

    # recorded through the admin form: recorded, not paid
    response = _client(client, clerk).post(
        reverse("wagtailsnippets_funding_purchasepayment:add"),
        {
            "purchase": purchase.pk,
            "instalment": first.pk,
            "amount": "300000",
            "note": "",
        },
    )
    assert response.status_code == 302
    payment = PurchasePayment.objects.get()
    assert (payment.status, payment.recorded_by, payment.paid_on) == (
        DisbursementStatus.RECORDED,
        clerk,
        None,
    )
    assert purchase.paid_total == Decimal("0")

    approve = reverse("funding_purchase_payment_action", args=[payment.pk, "approve"])
    pay = reverse("funding_purchase_payment_action", args=[payment.pk, "pay"])
    # the recorder may not approve; finance may not approve
    listing = _client(client, clerk).get(
        reverse("wagtailsnippets_funding_purchasepayment:list")
    )
    assert "这笔款项由您登记，须由他人批准" in listing.content.decode()
    client.post(approve)
    assert _client(client, cashier).post(approve).status_code in (302, 403)
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.RECORDED

    post_confirmed(_client(client, chief), approve)
    payment.refresh_from_db()
    assert (payment.status, payment.approved_by) == (
        DisbursementStatus.APPROVED,
        chief,
    )
    # the approver may not pay (even holding finance's permission)
    chief.groups.add(roles.role_group(roles.FINANCE))
    _client(client, chief).post(pay)
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.APPROVED

    page = _client(client, cashier).get(
        reverse("wagtailsnippets_funding_purchasepayment:list")
    )
    assert pay in page.content.decode()
    pay_through_desk(_client(client, cashier), pay, "2023-0002")
    payment.refresh_from_db()
    assert (payment.status, payment.paid_by, payment.paid_on) == (
        DisbursementStatus.PAID,
        cashier,
        datetime.date.today(),
    )
    assert purchase.paid_total == Decimal("300000")


def test_purchase_payment_superuser_not_exempt(make_purchase, root):
    from funding.errors import FundingError

    purchase = make_purchase()
    payment = purchase_services.purchase_payment_record(
        purchase,
        instalment=purchase.instalments.first(),
        amount="1000",
        user=root,
    )
    with pytest.raises(FundingError) as refused:
        purchase_services.purchase_payment_approve(payment, user=root)
    assert "三个不同的人" in " ".join(refused.value.messages)


def test_a_payment_not_yet_paid_is_rejected_with_a_reason_and_frees_its_money(
    make_award, make_purchase, make_user
):
    """Award disbursements and purchase payments are rejected by one rule
    (`funding.services.payments.payment_mark_rejected`): only while recorded or
    approved, only with a reason; a paid one stays paid."""
    from funding.errors import FundingError
    from funding.services.disbursements import disbursement_record, disbursement_reject

    clerk = make_user("clerk", roles.FUND_MANAGER)
    chief = make_user("chief", roles.FUND_MANAGER)

    award = make_award()
    d = disbursement_record(award.tranches.first(), amount="60000", user=clerk)
    with pytest.raises(FundingError):
        disbursement_reject(d, user=chief, reason="  ")
    disbursement_reject(d, user=chief, reason="金额与协议不符")
    d.refresh_from_db()
    assert (d.status, d.rejection_reason) == (
        DisbursementStatus.REJECTED,
        "金额与协议不符",
    )
    with pytest.raises(FundingError):
        disbursement_reject(d, user=chief, reason="再次驳回")

    purchase = make_purchase()
    payment = purchase_services.purchase_payment_record(
        purchase, instalment=purchase.instalments.first(), amount="300000", user=clerk
    )
    purchase_services.purchase_payment_reject(payment, user=chief, reason="发票缺失")
    payment.refresh_from_db()
    assert (payment.status, payment.rejection_reason) == (
        DisbursementStatus.REJECTED,
        "发票缺失",
    )
    with pytest.raises(FundingError):
        purchase_services.purchase_payment_reject(payment, user=chief, reason="x")
