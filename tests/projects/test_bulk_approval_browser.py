"""In headless Chromium: a coordinator selects outcome reports on the listing, opens
the bulk approval, reads which will be approved and which are refused and why,
approves, and is told the outcome (Chinese UI, desktop and phone widths)."""

import pytest
from django.test import Client

from core import roles
from projects.choices import ReportStatus
from projects.models import OutcomeReport
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,  # noqa: F811
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "bulk_approval"
S = ReportStatus.SUBMITTED


def _page_as(browser, live_server, user, width):  # noqa: F811
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN"
    )
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def test_bulk_approval_screen(
    browser,  # noqa: F811
    live_server,
    make_user,
    make_pairing,
    make_project,
    make_report,
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    zhou = make_user("zhou", roles.COORDINATOR)
    li = make_user("li", roles.COORDINATOR)
    project = make_project(
        pairing=make_pairing(coordinators=[zhou, li]), title="永顺莓茶消费帮扶"
    )
    make_report(project, 2023, 2, {"beneficiaries": 150}, S, zhou)
    make_report(project, 2024, 1, {"money_invested": 5000}, S, li)
    for width, year in ((1366, 2021), (390, 2022)):
        ready = make_report(project, year, 1, {"beneficiaries": 120}, S, li)
        page = _page_as(browser, live_server, zhou, width)
        _approve_all(page, live_server, width)
        assert OutcomeReport.objects.get(pk=ready.pk).status == ReportStatus.APPROVED


def _approve_all(page, live_server, width):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/admin/snippets/projects/outcomereport/")
    page.locator("input[data-bulk-action-select-all-checkbox]").first.check()
    # Wagtail's script shows the footer once it has counted the ticked rows; its
    # action link then carries their ids. Navigations are awaited to their commit,
    # the text with expect's retries: a slow static file must not fail the test.
    footer = page.locator("[data-bulk-action-footer]")
    expect(footer.locator("[data-bulk-action-num-objects]")).not_to_be_empty()
    with page.expect_navigation(
        url="**/bulk/projects/outcomereport/approve/**", wait_until="commit"
    ):
        footer.get_by_role("link", name="审核通过所选成效报告").click()
    expect(page.get_by_text("以下 1 份报告将审核通过")).to_be_visible()
    expect(page.get_by_text("本报告由您填报，须由他人审核通过或退回。")).to_be_visible()
    page.screenshot(path=SHOTS / f"bulk-confirm-{width}.png", full_page=True)

    with page.expect_navigation(
        url="**/snippets/projects/outcomereport/**", wait_until="commit"
    ):
        page.get_by_role("button", name="确定审核通过 1 份报告").click()
    expect(page.get_by_text("已审核通过 1 份成效报告。")).to_be_visible()
    page.screenshot(path=SHOTS / f"bulk-done-{width}.png", full_page=True)

    page.goto(live_server.url + "/admin/projects/reports/import/")
    page.screenshot(path=SHOTS / f"outcome-upload-{width}.png", full_page=True)
    page.goto(live_server.url + "/admin/projects/pairings/import/")
    page.screenshot(path=SHOTS / f"pairing-upload-{width}.png", full_page=True)
