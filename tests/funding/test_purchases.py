"""Government service purchases: payments never above the contract or an
instalment, the evaluation grade bands gating the final payment, and roll-ups
(with the share bought from social organizations)."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from core import roles
from funding.errors import FundingError
from funding.models.purchases import Grade, PurchasePayment
from funding.selectors.purchases import purchase_rollup, purchase_summary
from funding.services.purchases import (
    evaluation_record,
    grade_for,
    purchase_payment_approve,
    purchase_payment_pay,
    purchase_payment_record,
    purchase_schedule_check,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def purchase_pay(make_user):
    """A payment through its three steps: recorded by `user`, approved by another
    fund manager, paid by finance on `paid_on` — all or nothing."""
    approver = make_user("chief", roles.FUND_MANAGER)
    cashier = make_user("cashier", roles.FINANCE)

    @transaction.atomic
    def pay(purchase, *, instalment, amount, paid_on, user):
        payment = purchase_payment_record(
            purchase, instalment=instalment, amount=amount, user=user
        )
        purchase_payment_approve(payment, user=approver, on=paid_on)
        return purchase_payment_pay(
            payment, user=cashier, voucher_number=f"V{payment.pk}", paid_on=paid_on
        )

    return pay


def _message(exc):
    return " ".join(exc.value.messages)


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", Grade.EXCELLENT),
        ("90", Grade.EXCELLENT),
        ("89.99", Grade.GOOD),
        ("80", Grade.GOOD),
        ("79.99", Grade.FAIR),
        ("60", Grade.FAIR),
        ("59.99", Grade.POOR),
        ("0", Grade.POOR),
    ],
)
def test_grade_bands(score, grade):
    assert grade_for(score) == grade


@pytest.mark.parametrize("score", ["101", "-1", "优秀"])
def test_bad_scores(score):
    with pytest.raises(FundingError):
        grade_for(score)


def test_schedule_must_add_up_to_the_contract():
    purchase_schedule_check(Decimal("500000"), [(300000, False), (200000, True)])
    with pytest.raises(FundingError) as exc:
        purchase_schedule_check(Decimal("500000"), [(300000, False), (150000, True)])
    assert "付款计划合计450,000.00元，与合同金额500,000.00元不符" in _message(exc)


def test_payments_never_exceed_instalment_or_contract(
    make_purchase, manager, purchase_pay
):
    purchase = make_purchase()  # 500,000: 300,000 then final 200,000
    first, final = purchase.instalments.all()
    purchase_pay(
        purchase, instalment=first, amount="250000", paid_on=D(2023, 4, 1), user=manager
    )
    with pytest.raises(FundingError) as exc:
        purchase_pay(
            purchase,
            instalment=first,
            amount="50000.01",
            paid_on=D(2023, 4, 2),
            user=manager,
        )
    # 300,000 − 250,000 = 50,000 left on the first instalment
    assert "最多还可支付50,000.00元" in _message(exc)
    with pytest.raises(FundingError) as exc:
        purchase_pay(
            purchase,
            instalment=first,
            amount="100",
            paid_on=D(2023, 2, 1),
            user=manager,
        )
    assert "合同签订（2023-03-01）前不得付款" in _message(exc)
    for bad, expected in [("-100", "必须大于零"), ("十万", "不是以元计的金额")]:
        with pytest.raises(FundingError) as exc:
            purchase_pay(
                purchase,
                instalment=first,
                amount=bad,
                paid_on=D(2023, 4, 2),
                user=manager,
            )
        assert expected in _message(exc)
    assert PurchasePayment.objects.count() == 1
    assert purchase.paid_total == Decimal("250000")


def test_final_payment_waits_for_the_evaluation(make_purchase, manager, purchase_pay):
    purchase = make_purchase()
    first, final = purchase.instalments.all()
    purchase_pay(
        purchase, instalment=first, amount="300000", paid_on=D(2023, 4, 1), user=manager
    )
    with pytest.raises(FundingError) as exc:
        purchase_pay(
            purchase,
            instalment=final,
            amount="200000",
            paid_on=D(2024, 1, 5),
            user=manager,
        )
    assert "合同约定尾款须在绩效评价后支付" in _message(exc)

    evaluation_record(
        purchase,
        score="55",
        evaluated_on=D(2024, 1, 2),
        evaluator="苏州市社会组织评估中心",
        user=manager,
    )
    with pytest.raises(FundingError) as exc:
        purchase_pay(
            purchase,
            instalment=final,
            amount="200000",
            paid_on=D(2024, 1, 5),
            user=manager,
        )
    assert "绩效评价等次为“差”" in _message(exc)

    evaluation = evaluation_record(
        purchase,
        score="86.5",
        evaluated_on=D(2024, 1, 3),
        evaluator="苏州市社会组织评估中心",
        user=manager,
    )
    assert evaluation.grade == Grade.GOOD
    assert evaluation.history.count() == 2
    purchase_pay(
        purchase, instalment=final, amount="200000", paid_on=D(2024, 1, 5), user=manager
    )
    assert purchase.paid_total == Decimal("500000")


def test_final_payment_without_evaluation_when_the_contract_allows(
    make_purchase, manager, purchase_pay
):
    purchase = make_purchase(final_payment_needs_evaluation=False)
    first, final = purchase.instalments.all()
    purchase_pay(
        purchase, instalment=first, amount="300000", paid_on=D(2023, 4, 1), user=manager
    )
    purchase_pay(
        purchase, instalment=final, amount="200000", paid_on=D(2024, 1, 5), user=manager
    )


def test_rollups_and_social_share(
    make_purchase, make_organization, manager, purchase_pay
):
    org_a, org_b = make_organization(), make_organization()
    # Suzhou civil affairs: two purchases from social organizations, 2023 and 2024
    p1 = make_purchase(amount=Decimal("500000"), supplier=org_a)
    make_purchase(
        amount=Decimal("300000"),
        schedule=((Decimal("300000"), True),),
        supplier=org_b,
        signed_on=D(2024, 2, 1),
        procurement_method="open_tender",
    )
    # the same department buys 200,000 from an enterprise in 2024
    make_purchase(
        amount=Decimal("200000"),
        schedule=((Decimal("200000"), True),),
        supplier_kind="enterprise",
        supplier_name="某物业服务有限公司",
        signed_on=D(2024, 5, 1),
        procurement_method="open_tender",
    )
    # another department: 100,000 from org_a again
    make_purchase(
        amount=Decimal("100000"),
        schedule=((Decimal("100000"), True),),
        supplier=org_a,
        purchasing_department="苏州市姑苏区民政局",
        service_category="social_governance",
    )
    purchase_pay(
        p1,
        instalment=p1.instalments.first(),
        amount="300000",
        paid_on=D(2023, 4, 1),
        user=manager,
    )

    rows, total = purchase_rollup("department")
    by = {r.key: r for r in rows}
    city = by["苏州市民政局"]
    assert (city.purchases, city.contract_total, city.paid_total) == (
        3,
        Decimal("1000000"),
        Decimal("300000"),
    )
    # (500,000 + 300,000) ÷ 1,000,000 = 80%
    assert city.social_total == Decimal("800000")
    assert city.social_share == Decimal("80.00")
    assert city.social_suppliers == 2
    # total: 900,000 of 1,100,000 from social organizations = 81.82%
    assert total.contract_total == Decimal("1100000")
    assert total.social_share == Decimal("81.82")
    assert total.social_suppliers == 2  # org_a counted once

    rows, _total = purchase_rollup("year")
    assert {r.key: r.contract_total for r in rows} == {
        2023: Decimal("600000"),
        2024: Decimal("500000"),
    }
    # 2024: 300,000 of 500,000 from social organizations = 60%
    assert {r.key: r.social_share for r in rows}[2024] == Decimal("60.00")

    rows, _total = purchase_rollup("method", year=2024)
    assert [(r.label, r.contract_total) for r in rows] == [
        ("公开招标", Decimal("500000"))
    ]

    summary = purchase_summary()
    assert summary["contract_total"] == Decimal("1100000")
    assert (summary["first_year"], summary["last_year"], summary["years"]) == (
        2023,
        2024,
        2,
    )
    assert summary["suppliers"] == 2
    assert summary["social_share"] == Decimal("81.82")
