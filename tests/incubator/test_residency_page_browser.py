"""The residency page in headless Chromium (Debian's, through Playwright), Chinese
UI, as the base's operator at 1366 px and 390 px: the timeline, the milestone bar
and the assessments fit the window (screenshots in test-artifacts/residency/)."""

import pytest
from django.urls import reverse

from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.incubator.test_residency_page import resident  # noqa: F401 - fixture
from tests.platform.test_inbox_browser import _inside_window, _open
from tests.support.browser import settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "residency"


def test_the_operator_reads_the_residency_page(
    browser,  # noqa: F811
    live_server,
    two_bases,
    resident,  # noqa: F811
):
    residency, *_ = resident
    url = live_server.url + reverse("incubator_residency_page", args=[residency.pk])
    for width in (1366, 390):
        page = _open(browser, live_server, "operator_a", width)
        page.goto(url)
        settle(page)
        timeline = page.get_by_test_id("timeline")
        assert "评估中" in timeline.inner_text()
        assert _inside_window(page, page.locator(".milestone-bar"))
        assert _inside_window(page, timeline)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"residency-{width}.png", full_page=True)
        page.context.close()
