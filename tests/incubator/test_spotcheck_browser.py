"""Spot checks and credit publication in headless Chromium (Debian's, through
Playwright), Chinese UI, as the registration officer at 1366 px and 390 px: the
menu 监督管理, the draw behind its confirmation, the campaign page with its
verification, a result entered on screen, the credit publication screen and the
public list (screenshots in test-artifacts/spotchecks/)."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from incubator.services.credit import credit_decision_record
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.incubator.test_spotcheck_draw import province_scope  # noqa: F401
from tests.platform.test_inbox_browser import _open
from tests.support.browser import settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "spotchecks"


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_the_registrar_draws_records_and_publishes(
    browser,  # noqa: F811
    live_server,
    province_scope,  # noqa: F811
):
    campaign, orgs, user = province_scope
    credit_decision_record(
        organization=orgs[5],
        decision_type="warning",
        reason="未按规定办理负责人变更登记",
        decided_on=datetime.date(2025, 11, 28),
        authority="湖南省民政厅",
        user=user,
    )
    base = live_server.url
    campaign_url = base + reverse("incubator_spotcheck_campaign", args=[campaign.pk])
    for width in (1366, 390):
        page = _open(browser, live_server, user.username, width)
        if width == 1366:
            # the menu group 监督管理 holds the four screens
            page.get_by_role("button", name="监督管理").click()
            # the sidebar draws the opened group after the click: wait for it
            for label in ("双随机抽查", "检查人员名录", "信用决定", "信用双公示"):
                expect(page.get_by_role("link", name=label)).to_have_count(1)
            page.get_by_role("link", name="双随机抽查").click()
            settle(page)
            assert campaign.name in page.content()
            _shot(page, f"campaigns-{width}")
            # the draw: a confirmation first
            page.goto(base + reverse("incubator_spotcheck_draw", args=[campaign.pk]))
            assert "共 12 家已登记社会组织" in page.content()
            _shot(page, f"draw-confirm-{width}")
            assert _fits(page)
            page.locator("form button[type=submit]").last.click()
            page.wait_for_url(campaign_url)
        page.goto(campaign_url)
        settle(page)
        assert "一致" in page.get_by_test_id("verification").inner_text()
        assert _fits(page)
        _shot(page, f"campaign-{width}")
        # a result entered on screen
        page.get_by_role("link", name="录入结果").first.click()
        settle(page)
        page.select_option("#id_result", "passed")
        assert _fits(page)
        _shot(page, f"result-{width}")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(campaign_url)
        assert "合格" in page.get_by_test_id("checks").inner_text()
        # the credit publication screen of the latest day
        page.goto(base + reverse("incubator_credit_publication"))
        assert "未按规定办理负责人变更登记" in page.content()
        assert _fits(page)
        _shot(page, f"credit-{width}")
        # the public list
        page.goto(base + reverse("incubator_public_spotchecks", args=[campaign.pk]))
        assert "检查员" not in page.content()
        assert _fits(page)
        _shot(page, f"public-{width}")
        page.context.close()
