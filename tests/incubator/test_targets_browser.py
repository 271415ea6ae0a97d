"""The targets board in headless Chromium, Chinese UI, as a registration officer
at 1366 px and 390 px: every target with its value, the trend chart and table fit
the window (screenshots in test-artifacts/targets/)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core import roles
from incubator.models import Target
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.platform.test_inbox_browser import _inside_window, _open

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "targets"


def test_the_registrar_reads_the_targets_board(
    browser,  # noqa: F811
    live_server,
    make_user,
    make_organization,
):
    make_user("registrar_li", roles.REGISTRAR)
    make_organization(rating="5A", rated_on=datetime.date(2022, 6, 1))
    make_organization(rating="2A", rated_on=datetime.date(2023, 5, 1))
    Target.objects.create(
        name="3A及以上社会组织占已评估社会组织比例",
        department="内蒙古自治区民政厅",
        metric="rated_3a",
        threshold=Decimal("80"),
        deadline=datetime.date(2025, 12, 31),
        from_year=2022,
    )
    url = live_server.url + reverse("incubator_targets_board")
    for width in (1366, 390):
        page = _open(browser, live_server, "registrar_li", width)
        page.goto(url)
        # The chart's canvas is drawn by the page's script once it has run; waiting
        # for it (not for a quiet network, which a stray request can hold off past
        # the timeout on a loaded machine) is waiting for what the officer reads.
        expect(page.locator(".incubator-chart canvas")).to_have_count(1)
        body = page.locator("main").inner_text()
        assert "工作目标" in body
        assert "未达成" in body  # 1 of 2 = 50.00% < 80%
        trend = page.get_by_test_id("trend")
        assert "50.00" in trend.inner_text()
        chart = page.locator(".incubator-chart canvas")
        assert chart.count() == 1
        assert _inside_window(page, page.locator(".incubator-chart"))
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"targets-{width}.png", full_page=True)
        page.context.close()
