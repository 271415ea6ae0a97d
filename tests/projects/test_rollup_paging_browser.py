"""The roll-up by organization in headless Chromium (Chinese UI, 1366 and 390 px),
read from the per-dimension totals and paged: page 2 shows the second
organization, the total row covers both, and the page links lead back
(screenshots in test-artifacts/rollup-paging/)."""

import pytest

from core import roles
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.core.test_search_browser import _open

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("private_files"),
]

SHOTS = ARTIFACTS / "rollup-paging"


def test_an_administrator_pages_the_rollup_by_organization(
    browser,  # noqa: F811
    live_server,
    make_user,
    make_organization,
    make_pairing,
    make_project,
    make_report,
    monkeypatch,
):
    monkeypatch.setattr("projects.selectors.rollups.ORGANIZATIONS_PER_PAGE", 1)
    make_user("wang_fang", roles.ADMINISTRATOR, first_name="芳", last_name="王")
    first = make_project(
        pairing=make_pairing(make_organization(name="湖南省慈善协会")),
        funds=[("企业捐赠", "10000")],
    )
    second = make_project(
        pairing=make_pairing(make_organization(name="湖南省扶贫基金会")),
        funds=[("福彩公益金", "5000")],
    )
    make_report(first, 2023, 1, {"produce_sold": "1000", "beneficiaries": "40"})
    make_report(second, 2023, 1, {"produce_sold": "300", "beneficiaries": "7"})
    for width in (1366, 390):
        page = _open(browser, live_server, "wang_fang", width)
        page.goto(f"{live_server.url}/admin/projects/figures/?by=organization&page=2")
        official = page.locator("#rollup-official")
        text = official.inner_text()
        assert "湖南省扶贫基金会" in text
        assert "湖南省慈善协会" not in text
        assert "合计" in text
        pages = page.get_by_test_id("rollup-pages")
        assert "第 2 页" in pages.first.inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"organization-page-2-{width}.png", full_page=True)
        pages.first.get_by_role("link").first.click()
        assert "湖南省慈善协会" in page.locator("#rollup-official").inner_text()
        page.context.close()
