"""Numbers and dates in headless Chromium (Chinese UI): a date typed as 2024年3月5日
into Wagtail's date picker is read as that day, 2024-03-05, and saved so (the
picker alone turned it into 2024-01-01: core/static/core/js/date-input.js), and the fund manager's desks
show money to the fen with separators and the call's total in 万元. Screenshots at
1366 px and 390 px in test-artifacts/numbers/."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from funding.models import Call
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.fixtures.users import PASSWORD
from tests.support.browser import settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "numbers"


def _login(browser, base, username, width):  # noqa: F811
    context = browser.new_context(
        viewport={"width": width, "height": 768 if width > 500 else 844},
        locale="zh-CN",
    )
    page = context.new_page()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator('form button[type="submit"]').click()
    page.wait_for_url(base + "/admin/")
    return context, page


def test_typed_chinese_date_through_the_picker_and_the_desks(
    browser,  # noqa: F811
    live_server,
    manager,
    call,
    make_award,
):
    award = make_award(amount=Decimal("61800"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url

    context, page = _login(browser, base, manager.username, 1366)
    page.goto(base + reverse("wagtailsnippets_funding_call:edit", args=[call.pk]))
    settle(page)
    opens = page.locator("#id_opens_on")
    opens.fill("")
    opens.type("2024年3月5日")
    page.keyboard.press("Tab")
    # read as the same day (the picker alone turned it into 2024-01-01)
    assert opens.input_value() == "2024-03-05"
    page.screenshot(path=SHOTS / "call-edit-date-1366.png")
    closes = page.locator("#id_closes_on")
    closes.fill("")
    closes.type("2024/3/31")
    page.keyboard.press("Tab")
    assert closes.input_value() == "2024-03-31"
    page.keyboard.press("Escape")
    page.get_by_role("button", name="保存", exact=True).click()
    settle(page)
    page.screenshot(path=SHOTS / "call-saved-1366.png")
    call.refresh_from_db()
    assert call.opens_on == datetime.date(2024, 3, 5)
    assert call.closes_on == datetime.date(2024, 3, 31)

    for width in (1366, 390):
        if width != 1366:
            context.close()
            context, page = _login(browser, base, manager.username, width)
        page.goto(base + reverse("funding_call_desk", args=[call.pk]))
        settle(page)
        page.screenshot(path=SHOTS / f"call-desk-{width}.png")
        assert "总预算 750.00 万元" in page.inner_text("main")
        page.goto(base + reverse("funding_award_desk", args=[award.pk]))
        settle(page)
        page.screenshot(path=SHOTS / f"award-desk-{width}.png", full_page=True)
        assert "61,800.00" in page.inner_text("main")
        page.goto(base + reverse("wagtailsnippets_funding_call:list"))
        settle(page)
        page.screenshot(path=SHOTS / f"call-listing-{width}.png")
    context.close()
    assert Call.objects.get(pk=call.pk).total_budget == Decimal("7500000")


def test_summaries_in_wan_yuan_and_head_counts_with_their_unit(
    browser,  # noqa: F811
    live_server,
    make_award,
    manager,
    make_user,
    make_pairing,
    make_project,
    make_report,
    make_organization,
):
    """Finance's inbox total in 万元; the coordinator's report with 2,150 人 and
    the roll-up's budget in 万元, at 1366 px and 390 px."""
    from core import roles
    from funding.models import Disbursement
    from funding.models.awards import DisbursementStatus

    award = make_award(amount=Decimal("7500000"))
    clerk = make_user("clerk_li", roles.FUND_MANAGER)
    for tranche, amount in zip(
        award.tranches.order_by("pk"), ("4500000", "3000000"), strict=True
    ):
        Disbursement.objects.create(
            tranche=tranche,
            amount=Decimal(amount),
            status=DisbursementStatus.APPROVED,
            recorded_by=clerk,
            approved_by=manager,
        )
    make_user("cashier", roles.FINANCE)
    coordinator = make_user("coordinator_zhou", roles.COORDINATOR)
    pairing = make_pairing(make_organization(), coordinators=[coordinator])
    project = make_project(pairing=pairing, budget=Decimal("600000"))
    report = make_report(project, 2024, 1, {"beneficiaries": "2150"})
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    for width in (1366, 390):
        context, page = _login(browser, base, "cashier", width)
        page.screenshot(path=SHOTS / f"finance-inbox-{width}.png")
        assert "合计 750.00 万元" in page.get_by_test_id("inbox").inner_text()
        context.close()
        context, page = _login(browser, base, "coordinator_zhou", width)
        # goto waits for the page's load; the text is awaited with expect's retries
        # (a quiet network, which a stray request held off past 30 s on a loaded
        # machine, is not what the coordinator reads)
        page.goto(base + reverse("projects_report_review", args=[report.pk]))
        expect(page.locator("main")).to_contain_text("2,150 人")
        page.screenshot(path=SHOTS / f"report-review-{width}.png", full_page=True)
        page.goto(base + reverse("projects_rollup") + "?year=2024")
        expect(page.locator("main")).to_contain_text("预算 60.00 万元")
        page.screenshot(path=SHOTS / f"rollup-{width}.png", full_page=True)
        context.close()
