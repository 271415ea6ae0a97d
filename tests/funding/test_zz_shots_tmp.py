"""Temporary: screenshots of two confirmation pages (not committed)."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from core import roles
from funding.choices import ApplicationStatus as S
from funding.choices import ReviewStatus
from funding.models import Review
from funding.services.disbursements import disbursement_approve, disbursement_record
from tests.cms.test_public_site_browser import (  # noqa: F401
    _fresh_content_type_cache,
    browser,
)
from tests.fixtures.users import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]
OUT = Path("/work/wt/shots/confirm")


def _login(browser, base, username, width):
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


def test_shots(live_server, browser, make_call, make_application, make_reviewer,
               make_user, make_award, manager):  # noqa: F811
    call = make_call()
    experts = [make_reviewer(first_name="敏", last_name="周") for _ in range(3)]
    for n, last in enumerate([ReviewStatus.ASSIGNED, ReviewStatus.DRAFT, None]):
        app = make_application(call=call, title=f"留守儿童关爱服务项目{n + 1}",
                               status=S.IN_REVIEW)
        for i, expert in enumerate(experts):
            status = last if (i == 2 and last) else ReviewStatus.SUBMITTED
            Review.objects.create(application=app, reviewer=expert, status=status,
                                  total=D(80))
    award = make_award()
    clerk = make_user("clerk", roles.FUND_MANAGER)
    d = disbursement_record(award.tranches.first(), amount="60000", user=clerk)
    disbursement_approve(d, user=manager)
    make_user("manager9", roles.FUND_MANAGER)
    make_user("finance9", roles.FINANCE)
    base = live_server.url
    for width in (1366, 390):
        context, page = _login(browser, base, "manager9", width)
        page.goto(base + f"/admin/funding/calls/{call.pk}/")
        page.locator("button:has-text('结束评审')").first.click()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=OUT / f"close-review-{width}.png", full_page=True)
        context.close()
        context, page = _login(browser, base, "finance9", width)
        page.goto(base + f"/admin/funding/disbursements/{d.pk}/pay/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=OUT / f"pay-{width}.png", full_page=True)
        context.close()
