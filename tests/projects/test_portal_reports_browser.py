"""In headless Chromium, as an organization user (Chinese UI, 1366 and 390 px): open
我的机构 → 成效报告, create a draft for a period, add an indicator, fill target and
actual, save the draft, then submit; the report shows as submitted and read-only."""

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

SHOTS = ARTIFACTS / "portal_reports"


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


def _no_overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def test_organization_drafts_and_submits_a_report(
    browser,  # noqa: F811
    live_server,
    make_user,
    make_organization,
    make_pairing,
    make_project,
):
    from core.models import Region
    from incubator.choices import RegistrationLevel
    from incubator.models import OrganizationMembership
    from projects.services.indicators import indicators_ensure

    SHOTS.mkdir(parents=True, exist_ok=True)
    indicators_ensure()
    coordinator = make_user("coord", roles.COORDINATOR)
    lead = make_user("lead", roles.ORGANIZATION)
    own = make_organization(
        name="益阳市阳光社工服务中心",
        region=Region.objects.get(code="430900"),
        registration_level=RegistrationLevel.CITY,
    )
    OrganizationMembership.objects.create(user=lead, organization=own)
    project = make_project(
        pairing=make_pairing(organization=own, coordinators=[coordinator]),
        title="安化县留守儿童关爱项目",
    )
    for width, year in ((1366, 2024), (390, 2025)):
        page = _page_as(browser, live_server, lead, width)
        page.goto(f"{live_server.url}/admin/portal/outcome-reports/")
        assert "成效报告" in page.title()
        assert "安化县留守儿童关爱项目" in page.content()
        page.screenshot(path=str(SHOTS / f"portal-list-{width}.png"), full_page=True)
        assert _no_overflow(page), width
        page.get_by_role("link", name="新建报告").click()
        page.get_by_label("年度").fill(str(year))
        page.get_by_label("周期").fill("1")
        page.get_by_role("button", name="创建草稿").click()
        page.wait_for_load_state()
        if width == 1366:
            # a later report starts with the indicators of the project's last one
            page.get_by_label("添加指标").select_option(label="受益人数（人）")
            page.get_by_role("button", name="保存草稿").click()
            page.wait_for_load_state()
            assert "草稿已保存" in page.content()
        page.get_by_label("目标值").fill("300")
        page.get_by_label("实际值").fill("318")
        page.screenshot(path=str(SHOTS / f"portal-draft-{width}.png"), full_page=True)
        assert _no_overflow(page), width
        page.get_by_role("button", name="提交审核").click()
        page.wait_for_load_state()
        assert "报告已提交" in page.content()
        page.screenshot(
            path=str(SHOTS / f"portal-submitted-{width}.png"), full_page=True
        )
        assert _no_overflow(page), width
        report = OutcomeReport.objects.get(project=project, year=year)
        assert report.status == ReportStatus.SUBMITTED
        assert report.lines.get().actual == 318
        page.context.close()
