"""The roll-up by organization in headless Chromium (Chinese UI, 1366 and 390 px),
read from the per-dimension totals and paged: page 2 shows the second
organization, the total row covers both, and the page links lead back
(screenshots in test-artifacts/rollup-paging/)."""

import pytest

from core import roles
from core.models import Region
from projects.models import Alliance
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


def _first_column(page):
    """{row label: its first figure (the projects)} of the official table."""
    rows = page.locator("#rollup-official tbody tr")
    return {
        rows.nth(i).locator("th").inner_text(): rows.nth(i)
        .locator("td")
        .nth(0)
        .inner_text()
        for i in range(rows.count())
    }


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
    monkeypatch.setattr("projects.selectors.rollups.ROWS_PER_PAGE", 1)
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


def test_an_administrator_reads_projects_per_fund_and_per_year(
    browser,  # noqa: F811
    live_server,
    make_user,
    make_organization,
    make_pairing,
    make_project,
    make_report,
):
    """The projects column and the headline come from the stored counts: per fund
    (a project with two links to one fund once; one without a link under
    未登记资金来源) and per year (projects with approved lines that year)."""
    make_user("wang_fang", roles.ADMINISTRATOR, first_name="芳", last_name="王")
    first = make_project(
        pairing=make_pairing(make_organization(name="湖南省慈善协会")),
        budget="100000",
        funds=[("企业捐赠", "10000"), ("企业捐赠", "5000")],
    )
    second = make_project(
        pairing=make_pairing(make_organization(name="湖南省扶贫基金会")),
        budget="50000",
    )
    make_report(first, 2023, 1, {"beneficiaries": "40"})
    make_report(first, 2024, 1, {"beneficiaries": "12"})
    make_report(second, 2023, 1, {"beneficiaries": "7"})
    for width in (1366, 390):
        page = _open(browser, live_server, "wang_fang", width)
        page.goto(f"{live_server.url}/admin/projects/figures/?by=fund")
        assert _first_column(page) == {"企业捐赠": "1", "未登记资金来源": "1"}
        total = page.locator("#rollup-official tfoot tr")
        assert total.locator("td").nth(0).inner_text() == "2"
        assert total.locator("td").nth(1).inner_text() == "15,000"
        headline = page.locator("#headline-title + p").inner_text()
        assert "帮扶项目 2 个，预算 15.00 万元" in headline
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"fund-{width}.png", full_page=True)
        page.locator("#rollup-official").screenshot(
            path=SHOTS / f"fund-table-{width}.png"
        )

        page.goto(f"{live_server.url}/admin/projects/figures/?by=year")
        assert _first_column(page) == {"2023": "2", "2024": "1"}
        total = page.locator("#rollup-official tfoot tr")
        assert total.locator("td").nth(0).inner_text() == "2"
        page.screenshot(path=SHOTS / f"year-{width}.png", full_page=True)
        page.locator("#rollup-official").screenshot(
            path=SHOTS / f"year-table-{width}.png"
        )
        page.context.close()


def test_an_administrator_pages_the_rollup_by_alliance(
    browser,  # noqa: F811
    live_server,
    make_user,
    make_organization,
    make_pairing,
    make_project,
    make_report,
    shaanxi_county,
    monkeypatch,
):
    """By alliance a page of alliances by name; the projects in no alliance on
    the last page; the total row over all."""
    monkeypatch.setattr("projects.selectors.rollups.ROWS_PER_PAGE", 1)
    make_user("wang_fang", roles.ADMINISTRATOR, first_name="芳", last_name="王")
    ziyang = Alliance.objects.create(name="紫阳县合力团", county=shaanxi_county)
    yongshun = Alliance.objects.create(
        name="永顺县合力团", county=Region.objects.get(code="433127")
    )
    for name, alliance, sold in (
        ("湖南省慈善协会", yongshun, "1000"),
        ("湖南省扶贫基金会", ziyang, "300"),
        ("长沙市社工服务中心", None, "20"),
    ):
        project = make_project(
            pairing=make_pairing(make_organization(name=name), alliance=alliance)
        )
        make_report(project, 2023, 1, {"produce_sold": sold})
    for width in (1366, 390):
        page = _open(browser, live_server, "wang_fang", width)
        page.goto(f"{live_server.url}/admin/projects/figures/?by=alliance&page=2")
        assert _first_column(page) == {"不在合力团中": "1", "紫阳县合力团": "1"}
        total = page.locator("#rollup-official tfoot tr")
        assert total.locator("td").nth(0).inner_text() == "3"
        pages = page.get_by_test_id("rollup-pages").first
        assert "第 2 页，共 2 页（2 个合力团" in pages.inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"alliance-page-2-{width}.png", full_page=True)
        page.locator("section", has=page.locator("#rollup-official")).screenshot(
            path=SHOTS / f"alliance-table-{width}.png"
        )
        pages.get_by_role("link").first.click()
        page.wait_for_url("**page=1**")
        assert _first_column(page) == {"永顺县合力团": "1"}
        page.context.close()
