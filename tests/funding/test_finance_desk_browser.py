"""Finance's day on the payments desk in headless Chromium (Debian's, through
Playwright), Chinese UI, 1366 px: the inbox line → the desk (total waiting, masked
accounts) → select three payments → the pay form (date, one 凭证号 each) → the
confirmation listing who gets what → the result. Screenshots at 1366 and 390 px
in test-artifacts/finance/."""

from decimal import Decimal

import pytest

from core import roles
from funding.models import Disbursement, PurchasePayment
from funding.models.awards import DisbursementStatus
from funding.services.disbursements import disbursement_approve, disbursement_record
from funding.services.purchases import purchase_payment_approve, purchase_payment_record
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.platform.test_inbox_browser import _inside_window, _open
from tests.support.browser import settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "finance"


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def waiting(make_award, make_purchase, make_organization, make_user):
    """Three approved payments: 60,000 + 30,000 (disbursements) + 300,000 (a
    purchase instalment) = 390,000 元 = 39.00 万元."""
    clerk = make_user("clerk", roles.FUND_MANAGER)
    chief = make_user("chief", roles.FUND_MANAGER)
    make_user("cashier", roles.FINANCE, first_name="丽", last_name="王")
    a1 = make_award(Decimal("100000"))
    org = a1.application.organization
    org.bank_name, org.bank_account = "中国工商银行益阳分行", "6222021234561234"
    org.save()
    a2 = make_award(Decimal("50000"))
    purchase = make_purchase(
        supplier=make_organization(
            bank_name="中国建设银行苏州分行", bank_account="6217001234567890123"
        )
    )
    d1 = disbursement_record(a1.tranches.first(), amount="60000", user=clerk)
    d2 = disbursement_record(a2.tranches.first(), amount="30000", user=clerk)
    p1 = purchase_payment_record(
        purchase, instalment=purchase.instalments.first(), amount="300000", user=clerk
    )
    disbursement_approve(d1, user=chief)
    disbursement_approve(d2, user=chief)
    purchase_payment_approve(p1, user=chief)
    return d1, d2, p1


def test_finance_pays_three_payments_in_one_batch(browser, live_server, waiting):  # noqa: F811
    d1, d2, p1 = waiting
    for width in (390, 1366):  # the 390 px pass only looks; the 1366 one pays
        page = _open(browser, live_server, "cashier", width)
        page.get_by_test_id("inbox-label").first.click()
        settle(page)
        assert "/admin/funding/payments/" in page.url
        total = page.get_by_test_id("desk-total").inner_text()
        assert "390,000.00 元（39.00 万元）" in total
        assert "6222 **** **** 1234" in page.content()
        assert "6222021234561234" not in page.content()
        _shot(page, f"desk-{width}")
        if width == 390:
            page.context.close()
            continue
        # every action of every row is on screen at 1366 px (none cut off)
        for action in page.locator(".finance-desk__actions .button").all():
            assert _inside_window(page, action)
        for box in page.locator('input[name="payments"]').all():
            box.check()
        button = page.get_by_test_id("batch-pay")
        assert _inside_window(page, button)
        button.click()
        settle(page)
        assert "6222 0212 3456 1234" in page.content()  # finance, paying
        for number, field in enumerate(page.locator('input[name^="voucher_"]').all()):
            field.fill(f"2026-{number + 1:04d}")
        _shot(page, f"pay-form-{width}")
        submit = page.get_by_test_id("pay-submit")
        assert _inside_window(page, submit)
        submit.click()
        settle(page)
        summary = page.get_by_test_id("confirmation-summary").inner_text()
        assert "合计：390,000.00 元（39.00 万元）" in summary
        for voucher in ("2026-0001", "2026-0002", "2026-0003"):
            assert voucher in summary
        confirm = page.get_by_test_id("confirm-button")
        assert _inside_window(page, confirm)
        _shot(page, f"confirm-{width}")
        confirm.click()
        settle(page)
        assert "3 笔已付款，合计 390,000.00 元（39.00 万元）" in page.content()
        _shot(page, f"result-{width}")
        page.context.close()
    paid = [
        Disbursement.objects.get(pk=d1.pk),
        Disbursement.objects.get(pk=d2.pk),
        PurchasePayment.objects.get(pk=p1.pk),
    ]
    assert {p.status for p in paid} == {DisbursementStatus.PAID}
    assert sorted(p.voucher_number for p in paid) == [
        "2026-0001",
        "2026-0002",
        "2026-0003",
    ]
