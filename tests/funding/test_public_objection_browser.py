"""In headless Chromium, as any visitor (Chinese UI, 1366 and 390 px): open a
running public notice (公示), follow 在线提出异议, fill the form and send it; the
receipt is shown, the objection stored, and the contact appears nowhere public."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,  # noqa: F811
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "objection"
CONTACT = "13800001111"


def test_a_visitor_sends_an_objection(
    browser,  # noqa: F811
    live_server,
    cms_site,
    approved_application,
    manager,
):
    from cms.models import AwardNoticePage
    from funding.models import Objection
    from funding.services.notices import notice_publish

    SHOTS.mkdir(parents=True, exist_ok=True)
    app = approved_application(Decimal("80000"), title="社区养老服务项目")
    notice = notice_publish(
        app.call,
        title="2026年度福彩公益金资助项目立项公示",
        starts_on=timezone.localdate(),
        working_days=5,
        objection_contact="省民政厅社会组织管理局 0731-00000000",
        user=manager,
    )
    page_model = AwardNoticePage(title=notice.title, slug="notice-b", notice=notice)
    cms_site["home"].add_child(instance=page_model)
    page_model.save_revision().publish()

    for n, width in enumerate((1366, 390)):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="zh-CN"
        )
        page = context.new_page()
        page.goto(live_server.url + page_model.url)
        page.get_by_role("link", name="在线提出异议").click()
        page.wait_for_load_state()
        page.get_by_label("异议针对的项目").select_option(index=1)
        page.get_by_label("您的真实姓名").fill("张三")
        page.get_by_label("回复用的电话或地址").fill(CONTACT)
        page.get_by_label("异议内容及理由").fill(
            "该机构去年的项目未按协议完成，服务对象名单有重复，请核查。"
        )
        page.screenshot(path=str(SHOTS / f"objection-form-{width}.png"), full_page=True)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"
        ), width
        page.get_by_role("button", name="提交异议").click()
        page.wait_for_load_state()
        assert "您的异议已收到" in page.content()
        page.screenshot(path=str(SHOTS / f"objection-sent-{width}.png"), full_page=True)
        assert Objection.objects.count() == n + 1
        page.goto(live_server.url + page_model.url)
        assert CONTACT not in page.content()
        context.close()
