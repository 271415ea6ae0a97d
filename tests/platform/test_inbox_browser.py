"""The inbox in headless Chromium (Debian's, through Playwright), in the Chinese UI:
the reviewer's and the finance officer's day — log in, see what waits, click the
line, land on the screen that does the work — and every role's dashboard at
1366 px and 390 px (screenshots in test-artifacts/inbox/)."""

import datetime
from decimal import Decimal

import pytest

from core import roles
from funding.choices import ReviewStatus
from funding.models import Disbursement, Review
from funding.models.awards import DisbursementStatus
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.fixtures.users import PASSWORD
from tests.platform.test_inbox_queries import world  # noqa: F401 - fixture
from tests.support.browser import settle
from tests.support.dates import today

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "inbox"
DAY = datetime.timedelta(days=1)


def _open(chromium, live_server, username, width=1366):
    """A signed-in browser page on the dashboard."""
    context = chromium.new_context(
        viewport={"width": width, "height": 768 if width > 500 else 844},
        locale="zh-CN",
    )
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator('form button[type="submit"]').click()
    page.wait_for_url(live_server.url + "/admin/")
    return page


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _inside_window(page, locator):
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_reviewers_day(
    browser,  # noqa: F811
    live_server,
    make_user,
    make_call,
    make_application,
):
    call = make_call(name="2026年度福彩公益金项目", review_due_on=today() + 5 * DAY)
    expert = make_user("expert_zhou", roles.REVIEWER)
    for i, status in enumerate(
        [ReviewStatus.SUBMITTED, ReviewStatus.ASSIGNED, ReviewStatus.ASSIGNED]
    ):
        Review.objects.create(
            application=make_application(call=call, title=f"留守儿童关爱项目{i}"),
            reviewer=expert,
            status=status,
        )
    for width in (1366, 390):
        page = _open(browser, live_server, "expert_zhou", width)
        line = page.get_by_test_id("inbox-label")
        assert line.inner_text().split() == ["待评审", "2"]
        assert _inside_window(page, line)
        task = page.get_by_test_id("inbox-task")
        assert "已评 1/3" in task.inner_text()
        assert "还剩 5 天" in task.inner_text()
        _shot(page, f"reviewer-{width}")
        line.click()
        settle(page)
        assert page.url.endswith("/admin/funding/my-reviews/")
        summary = page.get_by_test_id("my-reviews-summary").inner_text()
        assert summary.startswith("待评审 2 份")
        first = page.locator('[data-testid="my-reviews"] tbody tr').first
        assert first.locator("td").first.inner_text() == "留守儿童关爱项目1"
        _shot(page, f"reviewer-list-{width}")
        first.locator("a").first.click()
        settle(page)
        assert page.url.rstrip("/").split("/")[-1].isdigit()  # the scoring screen
        page.context.close()


def test_finance_officers_day(browser, live_server, make_user, make_award):  # noqa: F811
    award = make_award(amount=Decimal("3000000"))
    first, second = award.tranches.all()
    clerk = make_user("clerk", roles.FUND_MANAGER)
    approver = make_user("approver", roles.FUND_MANAGER)
    make_user("cashier", roles.FINANCE)
    for tranche, amount in [(first, "1800000"), (second, "500000")]:
        Disbursement.objects.create(
            tranche=tranche,
            amount=Decimal(amount),
            status=DisbursementStatus.APPROVED,
            recorded_by=clerk,
            approved_by=approver,
        )
    for width in (1366, 390):
        page = _open(browser, live_server, "cashier", width)
        task = page.get_by_test_id("inbox-task")
        assert page.get_by_test_id("inbox-label").inner_text().split() == [
            "待支付的拨付",
            "2",
        ]
        assert "合计 230.00 万元" in task.inner_text()
        _shot(page, f"finance-{width}")
        page.get_by_test_id("inbox-label").click()
        settle(page)
        assert "/admin/funding/payments/" in page.url  # the payments desk
        pay = page.get_by_role("link", name="付款", exact=True)
        assert pay.count() == 2
        _shot(page, f"finance-list-{width}")
        page.context.close()


def test_every_roles_dashboard(browser, live_server, world):  # noqa: F811
    people, add = world
    add(2)
    for role in people:
        for width in (1366, 390):
            page = _open(browser, live_server, f"inbox_{role}", width)
            assert page.get_by_test_id("inbox-task").count() >= 1
            _shot(page, f"dashboard-{role}-{width}")
            page.context.close()
