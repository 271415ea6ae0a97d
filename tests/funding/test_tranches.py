"""Tranches keep the order they were entered in, numbered by
position; purchase instalments are paid in order; a performance evaluation is not
dated before the service period ends."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core import roles
from funding.errors import FundingError
from funding.models.purchases import PerformanceEvaluation, PurchasePayment
from funding.services import purchases as purchase_services

pytestmark = pytest.mark.django_db


def _award_form(award, rows, order=True):
    """The award edit form as the browser posts it: existing rows first, a new row
    appended at the end with the next ORDER (Wagtail's InlinePanel numbering)."""
    existing = list(award.tranches.all())
    data = {
        "agreement_number": "HNFC-2023-001",
        "agreement_signed_on": "",
        "agreement_document": "",
        "tranches-TOTAL_FORMS": str(len(rows)),
        "tranches-INITIAL_FORMS": str(len(existing)),
        "tranches-MIN_NUM_FORMS": "1",
        "tranches-MAX_NUM_FORMS": "1000",
    }
    for i, (percentage, condition) in enumerate(rows):
        data.update(
            {
                f"tranches-{i}-id": existing[i].pk if i < len(existing) else "",
                f"tranches-{i}-percentage": percentage,
                f"tranches-{i}-condition": condition,
                f"tranches-{i}-note": "",
                f"tranches-{i}-ORDER": str(i + 1) if order else "",
            }
        )
    return data


def _desk_tranche_rows(response):
    html = response.content.decode()
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>.*?</td><td>(.*?)</td>", table)
    return rows


@pytest.mark.parametrize("order", [True, False], ids=["with-ORDER", "raw-post"])
def test_tranches_keep_the_order_entered(client_for, make_award, order):
    award = make_award(sign=False)  # 60% 签订协议, 40% 结项
    manager = client_for(roles.FUND_MANAGER)
    url = reverse("wagtailsnippets_funding_award:edit", args=[award.pk])
    response = manager.post(
        url,
        _award_form(
            award,
            [("50", "signing"), ("30", "midterm"), ("20", "final")],
            order=order,
        ),
    )
    assert response.status_code == 302
    assert list(
        award.tranches.values_list("sort_order", "percentage", "condition", "amount")
    ) == [
        (0, Decimal("50.00"), "signing", Decimal("50000.00")),
        (1, Decimal("30.00"), "midterm", Decimal("30000.00")),
        (2, Decimal("20.00"), "final", Decimal("20000.00")),
    ]
    desk = manager.get(reverse("funding_award_desk", args=[award.pk]))
    assert _desk_tranche_rows(desk) == [
        ("第1期（50%）", "签订协议"),
        ("第2期（30%）", "中期报告通过"),
        ("第3期（20%）", "结项报告通过（验收）"),
    ]

    # editing again (no change) keeps the numbering
    award.refresh_from_db()
    rows = [("50", "signing"), ("30", "midterm"), ("20", "final")]
    assert manager.post(url, _award_form(award, rows, order=order)).status_code == 302
    assert list(award.tranches.values_list("sort_order", "condition")) == [
        (0, "signing"),
        (1, "midterm"),
        (2, "final"),
    ]


def _record_and_pay(purchase, instalment, amount, users, paid_on):
    payment = purchase_services.purchase_payment_record(
        purchase, instalment=instalment, amount=amount, user=users[0]
    )
    purchase_services.purchase_payment_approve(payment, user=users[1], on=paid_on)
    return purchase_services.purchase_payment_pay(
        payment, user=users[2], voucher_number=f"V{payment.pk}", paid_on=paid_on
    )


def test_purchase_instalments_are_paid_in_order(make_purchase, make_user):
    purchase = make_purchase(
        schedule=(
            (Decimal("200000"), False),
            (Decimal("100000"), False),
            (Decimal("200000"), True),
        ),
        final_payment_needs_evaluation=False,
    )
    first, second, _final = purchase.instalments.all()
    users = (
        make_user("clerk", roles.FUND_MANAGER),
        make_user("chief", roles.FUND_MANAGER),
        make_user("cashier", roles.FINANCE),
    )
    with pytest.raises(FundingError) as refused:
        purchase_services.purchase_payment_record(
            purchase, instalment=second, amount="100000", user=users[0]
        )
    assert "“第1期”尚未付清（200,000.00元中已付0.00元）" in " ".join(
        refused.value.messages
    )
    assert not PurchasePayment.objects.exists()

    # half of the first instalment paid: the second still waits
    _record_and_pay(purchase, first, "150000", users, datetime.date(2023, 4, 1))
    with pytest.raises(FundingError) as refused:
        purchase_services.purchase_payment_record(
            purchase, instalment=second, amount="100000", user=users[0]
        )
    assert "“第1期”尚未付清（200,000.00元中已付150,000.00元）" in " ".join(
        refused.value.messages
    )
    _record_and_pay(purchase, first, "50000", users, datetime.date(2023, 5, 1))
    paid = _record_and_pay(purchase, second, "100000", users, datetime.date(2023, 6, 1))
    assert paid.status == "paid"
    assert purchase.paid_total == Decimal("300000")


def test_evaluation_not_dated_before_the_service_ends(make_purchase, make_user):
    purchase = make_purchase()  # service 2023-03-01 to 2023-12-31
    manager = make_user("fm", roles.FUND_MANAGER)
    with pytest.raises(FundingError) as refused:
        purchase_services.evaluation_record(
            purchase,
            score="88",
            evaluated_on=datetime.date(2023, 12, 30),
            evaluator="第三方评估机构",
            user=manager,
        )
    assert "服务期至2023-12-31结束" in " ".join(refused.value.messages)
    assert not PerformanceEvaluation.objects.exists()
    evaluation = purchase_services.evaluation_record(
        purchase,
        score="88",
        evaluated_on=datetime.date(2023, 12, 31),
        evaluator="第三方评估机构",
        user=manager,
    )
    assert evaluation.grade == "good"


def test_evaluation_form_says_why(client_for, make_purchase):
    purchase = make_purchase()
    manager = client_for(roles.FUND_MANAGER)
    response = manager.post(
        reverse("wagtailsnippets_funding_performanceevaluation:add"),
        {
            "purchase": purchase.pk,
            "evaluated_on": "2023-06-30",
            "evaluator": "第三方评估机构",
            "score": "91",
            "comment": "",
        },
    )
    assert response.status_code == 200
    assert "服务期至2023-12-31结束" in response.content.decode()
    assert not PerformanceEvaluation.objects.exists()
