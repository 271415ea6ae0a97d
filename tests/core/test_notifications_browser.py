"""The notification list and settings in headless Chromium (Chinese UI) at 1366 and
390 px, as a reviewer: unread in bold, mark one read, nothing wider than a phone.
Screenshots in test-artifacts/notifications/."""

import pytest

from core.models import NotificationKind
from core.notifications import notify
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


@pytest.mark.parametrize("width", [1366, 390])
def test_list_and_settings_as_a_reviewer(browser, live_server, make_user, width):  # noqa: F811
    from core import roles

    user = make_user("zhoumin", roles.REVIEWER, last_name="周", first_name="敏")
    for title in [
        "新的评审任务：留守儿童关爱服务项目（2023年度福彩公益金资助项目）",
        "新的评审任务：社区居家养老服务项目（2023年度福彩公益金资助项目）",
        "评审将于 2023-06-30 截止：留守儿童关爱服务项目（2023年度福彩公益金资助项目）",
    ]:
        notify(
            NotificationKind.REVIEW_ASSIGNED,
            [user],
            title=title,
            link="/admin/funding/my-reviews/",
        )
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "zhoumin")
    page.fill("#id_password", PASSWORD)
    page.locator('form button[type="submit"]').click()
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/notifications/")
    settle(page)
    shots = ARTIFACTS / "notifications"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / f"list-{width}.png", full_page=True)
    assert page.get_by_test_id("unread-count").inner_text() == "3 条未读"
    assert page.locator(".notification strong").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_test_id("notification").first.get_by_role(
        "button", name="标为已读"
    ).click()
    settle(page)
    assert page.get_by_test_id("unread-count").inner_text() == "2 条未读"
    assert page.locator(".notification strong").count() == 2
    page.screenshot(path=shots / f"list-after-read-{width}.png", full_page=True)

    page.get_by_role("link", name="通知设置").first.click()
    settle(page)
    page.screenshot(path=shots / f"settings-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_label("邮件通知").first.uncheck()
    page.get_by_role("button", name="保存").click()
    settle(page)
    assert "通知设置已保存。" in page.content()
    context.close()
