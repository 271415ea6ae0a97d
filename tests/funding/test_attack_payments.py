"""Attacks on the payments desk and the award desk's inputs: a 凭证号 typed in
full-width characters is the same voucher as its half-width form (never a second
voucher with the same number), and a text longer than its column (a 10,000-character
rejection reason, note or objector) is refused with its limit, nothing stored and
nothing cut off."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from core import roles
from funding.errors import FundingError
from funding.models import Disbursement, PurchasePayment
from funding.models.awards import DisbursementStatus
from funding.services.disbursements import (
    disbursement_approve,
    disbursement_record,
    disbursement_reject,
)
from funding.services.purchases import (
    purchase_payment_approve,
    purchase_payment_pay,
    purchase_payment_record,
)
from tests.support.confirm import confirmation_token

pytestmark = pytest.mark.django_db

D = datetime.date
DESK = "/admin/funding/payments/"


@pytest.fixture
def staff(make_user):
    return (
        make_user("clerk", roles.FUND_MANAGER),
        make_user("chief", roles.FUND_MANAGER),
        make_user("cashier", roles.FINANCE),
    )


def _approved_payment(make_purchase, staff, title):
    clerk, chief, _cashier = staff
    purchase = make_purchase(title=title)
    payment = purchase_payment_record(
        purchase, instalment=purchase.instalments.first(), amount="1000", user=clerk
    )
    purchase_payment_approve(payment, user=chief, on=D(2023, 5, 1))
    return payment


def test_a_full_width_voucher_is_the_same_voucher_as_its_half_width_form(
    make_purchase, staff
):
    cashier = staff[2]
    first = _approved_payment(make_purchase, staff, "居家养老服务")
    purchase_payment_pay(
        first, user=cashier, voucher_number="2023-0099", paid_on=D(2023, 5, 2)
    )
    second = _approved_payment(make_purchase, staff, "社区矫正服务")
    with pytest.raises(FundingError) as refused:
        purchase_payment_pay(
            second,
            user=cashier,
            voucher_number="２０２３－００９９",
            paid_on=D(2023, 5, 3),
        )
    assert refused.value.message_dict["voucher_number"] == [
        "凭证号2023-0099在2023年已使用。"
    ]
    assert (
        PurchasePayment.objects.get(pk=second.pk).status == DisbursementStatus.APPROVED
    )
    # a new full-width number is stored as people compare it: half-width
    purchase_payment_pay(
        second,
        user=cashier,
        voucher_number="ＰＺ２０２３－０１００",
        paid_on=D(2023, 5, 3),
    )
    assert PurchasePayment.objects.get(pk=second.pk).voucher_number == "PZ2023-0100"


def test_the_batch_refuses_one_voucher_typed_in_two_widths(
    make_purchase, staff, client_for
):
    one = _approved_payment(make_purchase, staff, "居家养老服务")
    two = _approved_payment(make_purchase, staff, "社区矫正服务")
    finance = Client()
    finance.force_login(staff[2])
    keys = [f"purchase-{one.pk}", f"purchase-{two.pk}"]
    page = finance.post(
        f"{DESK}pay/",
        {
            "keys": ",".join(keys),
            "stage": "form",
            "paid_on": "2023-05-03",
            f"voucher_{keys[0]}": "V1",
            f"voucher_{keys[1]}": "Ｖ１",
        },
    )
    assert page.status_code == 200
    assert "凭证号V1在本批中重复" in page.content.decode()
    assert confirmation_token(page) is None
    assert not PurchasePayment.objects.filter(status=DisbursementStatus.PAID).exists()


def test_a_rejection_reason_longer_than_its_column_is_refused_not_cut(
    make_award, staff, make_user
):
    clerk, chief, cashier = staff
    award = make_award()
    payment = disbursement_record(award.tranches.first(), amount="1000", user=clerk)
    disbursement_approve(payment, user=chief)
    with pytest.raises(FundingError) as refused:
        disbursement_reject(payment, user=cashier, reason="账户不符" * 100)
    assert refused.value.message_dict["reason"] == ["最多 255 个字，现为 400 个字。"]
    stored = Disbursement.objects.get(pk=payment.pk)
    assert (stored.status, stored.rejection_reason) == (DisbursementStatus.APPROVED, "")
    reason = "账" * 255  # at the limit: stored whole
    disbursement_reject(payment, user=cashier, reason=reason)
    assert Disbursement.objects.get(pk=payment.pk).rejection_reason == reason


def test_finance_rejecting_with_a_10k_reason_is_told_and_nothing_changes(
    make_award, staff
):
    clerk, chief, cashier = staff
    award = make_award()
    payment = disbursement_record(award.tranches.first(), amount="1000", user=clerk)
    disbursement_approve(payment, user=chief)
    finance = Client()
    finance.force_login(cashier)
    url = reverse("funding_disbursement_action", args=[payment.pk, "reject"])
    token = confirmation_token(finance.post(url, {"reason": ""}))
    done = finance.post(
        url, {"reason": "x" * 10_000, "confirm_token": token}, follow=True
    )
    assert done.status_code == 200
    assert "最多 255 个字，现为 10,000 个字。" in done.content.decode()
    stored = Disbursement.objects.get(pk=payment.pk)
    assert (stored.status, stored.rejection_reason) == (DisbursementStatus.APPROVED, "")


def _post_desk(award, manager, data):
    client = Client()
    client.force_login(manager)
    page = client.post(reverse("funding_award_desk", args=[award.pk]), data)
    return page.content.decode()


def test_a_disbursement_note_longer_than_its_column_is_refused_in_its_field(
    make_award, manager
):
    award = make_award()
    html = _post_desk(
        award,
        manager,
        {
            "action": "disburse",
            "tranche": award.tranches.first().pk,
            "amount": "1000",
            "note": "备" * 201,
        },
    )
    assert "最多 200 个字，现为 201 个字。" in html
    assert 'value="1000"' in html  # what was typed is kept
    assert Disbursement.objects.filter(tranche__award=award).count() == 0


def test_an_objector_of_5000_characters_is_refused_in_its_field(
    award_on_notice, manager
):
    html = _post_desk(
        award_on_notice,
        manager,
        {
            "action": "objection",
            "received_on": "2023-06-06",
            "objector": "李" * 5000,
            "content": "资助对象不符合申报条件",
        },
    )
    assert "最多 200 个字，现为 5,000 个字。" in html
    assert "资助对象不符合申报条件" in html  # what was typed is kept
    assert award_on_notice.objections.count() == 0


def test_a_voucher_with_an_invisible_character_is_the_same_voucher(
    make_purchase, staff
):
    cashier = staff[2]
    first = _approved_payment(make_purchase, staff, "居家养老服务")
    purchase_payment_pay(
        first, user=cashier, voucher_number="2023-0099", paid_on=D(2023, 5, 2)
    )
    second = _approved_payment(make_purchase, staff, "社区矫正服务")
    for pasted in ("2023-0099\u200b", "2023\x00-0099", "\ufeff2023-0099"):
        with pytest.raises(FundingError) as refused:
            purchase_payment_pay(
                second, user=cashier, voucher_number=pasted, paid_on=D(2023, 5, 3)
            )
        assert refused.value.message_dict["voucher_number"] == [
            "凭证号2023-0099在2023年已使用。"
        ]


def test_a_nul_character_in_a_desk_text_is_refused_not_sent_to_the_database(
    award_on_notice, manager
):
    html = _post_desk(
        award_on_notice,
        manager,
        {
            "action": "objection",
            "received_on": "2023-06-06",
            "objector": "李某\x00",
            "content": "资助对象不符合申报条件",
        },
    )
    assert "文字中含有空字符（NUL），无法保存。" in html
    assert award_on_notice.objections.count() == 0


@pytest.mark.parametrize(
    "keys", ["award-²", "award-①", "purchase-٣", "award-1e3", "award--1", "award-"]
)
def test_a_malformed_payment_key_answers_404_not_an_error(staff, keys):
    finance = Client()
    finance.force_login(staff[2])
    assert finance.get(f"{DESK}pay/?payments={keys}").status_code == 404
    posted = finance.post(f"{DESK}pay/", {"keys": keys, "stage": "form"})
    assert posted.status_code == 404
