"""Applying online in headless Chromium, Chinese UI: the organization user opens
我的申报 → 在线申报, saves a draft, submits; the fund manager asks for more
information on the submission record; the organization edits and resubmits; the
fund manager sees what changed. Screenshots at 1366 and 390 px in
test-artifacts/portal/; at 390 px no page is wider than the window."""

import pytest
from django.urls import reverse

from core import roles
from funding.choices import ApplicationStatus
from funding.models import Application
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.platform.test_inbox_browser import _inside_window, _open
from tests.support.browser import settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "portal"


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _fits(page):
    width = page.viewport_size["width"]
    return page.evaluate("document.documentElement.scrollWidth") <= width


def _go(page, live_server, url):
    page.set_default_timeout(90_000)  # a loaded CI machine
    page.goto(live_server.url + url)
    settle(page)


def _fill_application(page, *, amount, lines, count):
    page.fill("#id_app-title", "益阳市留守儿童护苗关爱项目")
    page.fill("#id_app-summary", "为留守儿童提供课后陪伴与心理支持。")
    page.fill("#id_app-requested_amount", amount)
    for i, (item, value) in enumerate(lines):
        page.fill(f"#id_budget-{i}-item", item)
        page.fill(f"#id_budget-{i}-amount", value)
    page.get_by_label("服务人次").fill(count)
    page.get_by_label("服务领域").select_option("儿童")


def test_draft_submit_more_information_resubmit(
    browser,  # noqa: F811
    live_server,
    online_call,
    org_member,
    make_user,
):
    member = org_member(username="org_lead")
    make_user("fm_li", roles.FUND_MANAGER)

    # --- the organization: 我的申报 → 在线申报 → draft → submit (1366 px) -------
    page = _open(browser, live_server, "org_lead", 1366)
    _go(page, live_server, reverse("funding_portal_applications"))
    assert "我的申报" in page.content()
    _shot(page, "list-empty-1366")
    page.get_by_role("link", name="在线申报").click()
    settle(page)
    assert "23:59:59（北京时间）" in page.get_by_test_id("deadline").inner_text()
    _fill_application(
        page,
        amount="100000",
        lines=[("社工人员费用", "60000"), ("活动物资", "40000")],
        count="120",
    )
    _shot(page, "form-1366")
    page.get_by_role("button", name="保存草稿").click()
    settle(page)
    assert "草稿已保存" in page.content()
    application = Application.objects.get(
        organization=member.organization_membership.organization
    )
    assert application.status == ApplicationStatus.DRAFT
    submit = page.get_by_test_id("submit")
    assert _inside_window(page, submit)
    page.once("dialog", lambda dialog: dialog.accept())  # 现在提交申报吗？
    submit.click()
    settle(page)
    assert "申报已提交" in page.content()
    assert page.get_by_test_id("status").inner_text() == "已提交"
    _shot(page, "submitted-1366")
    page.context.close()

    # --- the fund manager asks for more information -------------------------------
    staff = _open(browser, live_server, "fm_li", 1366)
    record = reverse("funding_application_record", args=[application.pk])
    _go(staff, live_server, record)
    assert staff.get_by_test_id("online-badge").inner_text() == "机构在线提交"
    staff.fill("#id_note", "请补充服务人次的测算依据。")
    staff.get_by_role("button", name="要求补充材料").click()
    settle(staff)
    assert staff.get_by_test_id("status").inner_text() == "需补充材料"
    staff.context.close()

    # --- the organization edits and resubmits --------------------------------------
    page = _open(browser, live_server, "org_lead", 1366)
    _go(page, live_server, reverse("funding_portal_application", args=[application.pk]))
    assert (
        "请补充服务人次的测算依据。" in page.get_by_test_id("info-request").inner_text()
    )
    _shot(page, "more-info-1366")
    page.get_by_role("link", name="修改").click()
    settle(page)
    page.fill("#id_app-requested_amount", "90000")
    page.fill("#id_budget-1-amount", "30000")
    page.get_by_label("服务人次").fill("150")
    page.once("dialog", lambda dialog: dialog.accept())  # 现在提交申报吗？
    page.get_by_test_id("submit").click()
    settle(page)
    assert page.get_by_test_id("status").inner_text() == "已提交"
    page.context.close()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submissions.count() == 2

    # --- the fund manager sees what changed ----------------------------------------
    staff = _open(browser, live_server, "fm_li", 1366)
    _go(staff, live_server, record)
    changes = staff.get_by_test_id("changes").first.inner_text()
    assert "100,000.00" in changes and "90,000.00" in changes
    assert "120人次" in changes and "150人次" in changes
    _shot(staff, "record-1366")
    staff.context.close()

    # --- 390 px: every screen fits the phone's width -------------------------------
    page = _open(browser, live_server, "org_lead", 390)
    for name, url in [
        ("list", reverse("funding_portal_applications")),
        ("detail", reverse("funding_portal_application", args=[application.pk])),
        ("record-org", record),
    ]:
        _go(page, live_server, url)
        _shot(page, f"{name}-390")
        assert _fits(page), name
    page.context.close()
    staff = _open(browser, live_server, "fm_li", 390)
    _go(staff, live_server, record)
    _shot(staff, "record-390")
    assert _fits(staff)
    staff.context.close()
