"""Every money and number input refuses values beyond its field,
NaN, ±Infinity, 1e400 and 1e-400 with a clear Chinese error naming the limit —
never a server error, nothing stored. Full-width digits are read as typed.

The fuzz tests (tests/platform/test_fuzz_forms.py) missed the 500: their odd numbers drew
one of many actions and values per example (40 examples), and the largest integer
in the list (23 digits) still fit Decimal's 28-digit context, so the overflow in
`money()` was never reached. Here every odd number goes through each path,
deterministically; the fuzz list now carries these values too."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import roles
from core.numbers import parse_decimal
from funding.errors import FundingError
from funding.models.awards import Disbursement
from funding.models.purchases import PurchasePayment, ServicePurchase
from funding.services import disbursements as disbursement_services
from funding.services.purchases import evaluation_record
from tests.support.fuzz_strategies import ODD_NUMBERS

pytestmark = pytest.mark.django_db

HUGE = "999999999999999999999999999999"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (HUGE, "金额不能超过999,999,999,999.99元。"),
        ("1000000000000", "金额不能超过999,999,999,999.99元。"),
        ("1e400", "金额不能超过999,999,999,999.99元。"),
        ("-1e400", "金额不能超过999,999,999,999.99元。"),
        ("NaN", "“NaN”不是以元计的金额。"),
        ("Infinity", "“Infinity”不是以元计的金额。"),
        ("-Infinity", "“-Infinity”不是以元计的金额。"),
        ("1e-400", "金额以元计，最多两位小数。"),
    ],
)
def test_disbursement_amount_refused_on_the_desk(
    client_for, make_award, value, message
):
    award = make_award()
    manager = client_for(roles.FUND_MANAGER)
    response = manager.post(
        reverse("funding_award_desk", args=[award.pk]),
        {"action": "disburse", "tranche": award.tranches.first().pk, "amount": value},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Disbursement.objects.exists()


def test_full_width_digits_are_read_as_typed(make_award, manager):
    award = make_award()
    d = disbursement_services.disbursement_record(
        award.tranches.first(), amount="６００００", user=manager
    )
    assert d.amount == Decimal("60000")


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_every_odd_number_on_the_desk_is_answered(client_for, make_award, value):
    award = make_award()
    response = client_for(roles.FUND_MANAGER).post(
        reverse("funding_award_desk", args=[award.pk]),
        {"action": "disburse", "tranche": award.tranches.first().pk, "amount": value},
    )
    assert response.status_code in (200, 302)
    assert Disbursement.objects.filter(amount__gt=Decimal("60000")).count() == 0


def test_purchase_form_names_the_limit(client_for, make_organization):
    manager = client_for(roles.FUND_MANAGER)
    response = manager.post(
        reverse("wagtailsnippets_funding_servicepurchase:add"),
        {
            "title": "养老服务",
            "purchasing_department": "苏州市民政局",
            "service_category": "basic_public",
            "procurement_method": "consultation",
            "contract_number": "SZ-1",
            "contract_amount": "1e400",
            "signed_on": "2023-03-01",
            "starts_on": "2023-03-01",
            "ends_on": "2023-12-31",
            "supplier_kind": "social_org",
            "supplier": make_organization().pk,
            "final_payment_needs_evaluation": "on",
            "deliverables-TOTAL_FORMS": "0",
            "deliverables-INITIAL_FORMS": "0",
            "deliverables-MIN_NUM_FORMS": "0",
            "deliverables-MAX_NUM_FORMS": "1000",
            "instalments-TOTAL_FORMS": "1",
            "instalments-INITIAL_FORMS": "0",
            "instalments-MIN_NUM_FORMS": "1",
            "instalments-MAX_NUM_FORMS": "1000",
            "instalments-0-label": "全款",
            "instalments-0-amount": HUGE,
            "instalments-0-is_final": "on",
            "instalments-0-ORDER": "1",
        },
    )
    assert response.status_code == 200
    assert "金额不能超过999,999,999,999.99元。" in response.content.decode()
    assert not ServicePurchase.objects.exists()


def test_purchase_payment_form_names_the_limit(client_for, make_purchase):
    purchase = make_purchase()
    response = client_for(roles.FUND_MANAGER).post(
        reverse("wagtailsnippets_funding_purchasepayment:add"),
        {
            "purchase": purchase.pk,
            "instalment": purchase.instalments.first().pk,
            "amount": HUGE,
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "金额不能超过999,999,999,999.99元。" in response.content.decode()
    assert not PurchasePayment.objects.exists()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e400", "1e-400", HUGE])
def test_evaluation_score_refused(make_purchase, manager, value):
    with pytest.raises(FundingError):
        evaluation_record(
            make_purchase(),
            score=value,
            evaluated_on=datetime.date(2024, 1, 5),
            evaluator="第三方评估机构",
            user=manager,
        )


def test_parse_decimal_limits():
    assert parse_decimal("１２", max_digits=5, decimal_places=2) == Decimal("12")
    assert parse_decimal("1,234.5", max_digits=14, decimal_places=2) == Decimal(
        "1234.5"
    )
    with pytest.raises(ValidationError) as exc:
        parse_decimal("1000", max_digits=3, decimal_places=0)
    assert exc.value.messages == ["数值不能超过999。"]
    with pytest.raises(ValidationError) as exc:
        parse_decimal("1.5", max_digits=3, decimal_places=0)
    assert exc.value.messages == ["请填写整数。"]
