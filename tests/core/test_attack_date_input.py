"""Attacks on the date picker (Chinese UI, headless Chromium): a date that does
not exist, typed as people write it (2024年13月45日, 2023/2/29), stays as typed so
that the server refuses it with its message; it never becomes another day the
user did not type (the picker rolls 2024-13-45 over to a day of 2025)."""

import pytest
from django.urls import reverse

from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.core.test_numbers_browser import _login
from tests.support.browser import settle

SHOTS = ARTIFACTS / "attack"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_impossible_date_is_never_turned_into_another_day(
    browser,  # noqa: F811
    live_server,
    manager,
    call,
):
    base = live_server.url
    context, page = _login(browser, base, manager.username, 1366)
    page.goto(base + reverse("wagtailsnippets_funding_call:edit", args=[call.pk]))
    settle(page)
    seen = []
    for typed in ("2024年13月45日", "2023/2/29", "２０２４年３月５日"):
        opens = page.locator("#id_opens_on")
        opens.fill("")
        opens.type(typed)
        page.keyboard.press("Tab")
        seen.append(opens.input_value())
        page.keyboard.press("Escape")
    assert seen == ["2024年13月45日", "2023/2/29", "2024-03-05"]
    # saved as typed, the server refuses it on its field; nothing changes
    opens = page.locator("#id_opens_on")
    opens.fill("")
    opens.type("2024年13月45日")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    before = call.opens_on
    page.get_by_role("button", name="保存", exact=True).click()
    settle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "impossible-date-1366.png", full_page=True)
    assert page.locator("#id_opens_on").input_value() == "2024年13月45日"
    assert "输入一个有效的日期" in page.content()
    call.refresh_from_db()
    assert call.opens_on == before
    context.close()
