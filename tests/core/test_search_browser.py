"""Search in headless Chromium, Chinese UI, 1366 px and 390 px: the sidebar's box
finds "益阳" across kinds; the region chooser of the organization form finds
湖南省益阳市 by name and steps into a province (screenshots in
test-artifacts/search/)."""

import pytest

from core import roles
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.fixtures.users import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "search"


def _open(chromium, live_server, username, width):
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


def test_fund_managers_search(browser, live_server, make_user, make_organization):  # noqa: F811
    make_user("zhou_min", roles.FUND_MANAGER, first_name="敏", last_name="周")
    make_user("li_na", roles.OPERATOR, first_name="娜", last_name="李")
    make_organization(name="湖南省益阳社工服务中心")
    make_organization(name="长沙市雨花区同心社工服务中心")

    for width in (1366, 390):
        page = _open(browser, live_server, "zhou_min", width)
        if width > 500:
            box = page.get_by_placeholder("搜索")
            box.first.fill("益阳")
            box.first.press("Enter")
        else:
            page.goto(live_server.url + "/admin/search/?q=益阳")
        page.wait_for_url("**/admin/search/**")
        organizations = page.get_by_test_id("search-section-organizations")
        assert "湖南省益阳社工服务中心" in organizations.inner_text()
        assert "同心社工" not in organizations.inner_text()
        _shot(page, f"admin-search-{width}")
        page.context.close()

        page = _open(browser, live_server, "li_na", width)
        page.goto(live_server.url + "/admin/snippets/incubator/organization/add/")
        page.locator("#id_region-chooser .chooser__choose-button").click()
        modal = page.locator(".modal-content")
        modal.get_by_placeholder("名称或区划代码").fill("益阳")
        modal.get_by_text("共有 7 个符合").wait_for()
        assert "湖南省益阳市" in modal.inner_text()
        _shot(page, f"region-chooser-search-{width}")

        modal.get_by_placeholder("名称或区划代码").fill("")
        modal.get_by_label("所在省份").select_option(label="湖南省")
        modal.get_by_label("级别").select_option("2")
        modal.get_by_text("共有 14 个符合").wait_for()
        _shot(page, f"region-chooser-steps-{width}")
        page.context.close()
