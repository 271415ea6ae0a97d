"""The import preview in headless Chromium at 390 px (Chinese UI): each changed
date reads on one line ("2021-01-05 → 2021-02-05", not "2021-01-" over "05"), and
the changes table scrolls inside its box while the confirm button stays in the
window. Screenshot in test-artifacts/import-preview/."""

import pytest

from core.models import ImportJob
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


def test_changed_dates_read_on_one_line_on_a_phone(
    browser,  # noqa: F811
    live_server,
    make_user,
):
    from core import roles

    user = make_user("operator1", roles.OPERATOR)
    job = ImportJob.objects.create(
        kind="organizations",
        original_name="orgs_changed.xlsx",
        status=ImportJob.Status.AWAITING,
        created_by=user,
        preview={
            "new": 0,
            "changed": 1,
            "unchanged": 5,
            "notices": [],
            "changes": [
                {
                    "row": 2,
                    "record": "平江县志愿者协会",
                    "changes": [["成立日期", "2021-01-05", "2021-02-05"]],
                }
            ],
        },
    )
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "operator1")
    page.fill("#id_password", PASSWORD)
    page.locator('form button[type="submit"]').click()
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(f"{live_server.url}/admin/imports/{job.pk}/")
    settle(page)
    (ARTIFACTS / "import-preview").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "import-preview" / "390.png", full_page=True)

    table = page.get_by_test_id("import-changes")
    old = table.locator("del")
    new = table.locator("ins")
    assert old.inner_text() == "2021-01-05"
    assert new.inner_text() == "2021-02-05"
    # one line each: a wrapped inline element has one box per line
    assert old.evaluate("e => e.getClientRects().length") == 1
    assert new.evaluate("e => e.getClientRects().length") == 1
    # the page itself does not widen; the confirm button is inside the window
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button = page.get_by_test_id("import-confirm").bounding_box()
    assert button["x"] >= 0 and button["x"] + button["width"] <= 390
    context.close()
