"""Supervision in headless Chromium (Debian's, through Playwright), Chinese UI, as
the registration officer at 1366 px and 390 px: the inbox names the missing reports
and the cases waiting, the campaign page shows the rate tables inside the window,
a revocation is confirmed on its summary page first, and the public page lists the
results (screenshots in test-artifacts/supervision/)."""

import datetime

import pytest
from django.urls import reverse

from core import roles
from incubator.models import DormantCase
from incubator.services.dormant import dormant_campaign_open, dormant_cases_list
from incubator.services.inspections import (
    inspection_campaign_close,
    inspection_campaign_open,
    inspection_record,
)
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.platform.test_inbox_browser import _inside_window, _open

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "supervision"


@pytest.fixture
def supervision(make_organization, make_user):
    """Three organizations: 甲 reports every year, 乙 stopped two years ago (dormant),
    丙 has not reported for 2024 yet; 2022 and 2023 closed, 2024 open."""
    registrar = make_user("registrar_li", roles.REGISTRAR)
    jia = make_organization(name="益阳市赫山区阳光社工服务中心")
    yi = make_organization(name="长沙市雨花区民俗文化研究会")
    bing = make_organization(name="长沙市雨花区助老服务中心")
    for year in (2022, 2023, 2024):
        campaign = inspection_campaign_open(
            year=year, user=registrar, deadline=datetime.date(year + 1, 12, 31)
        )
        for org in (jia, bing) if year < 2024 else (jia,):
            inspection_record(
                inspection=campaign.inspections.get(organization=org),
                user=registrar,
                submitted=True,
                submitted_on=datetime.date(year + 1, 3, 10),
                result="passed",
            )
        if year < 2024:
            inspection_campaign_close(campaign=campaign, user=registrar)
    cleanup = dormant_campaign_open(
        title="2025年僵尸型社会组织专项清理", user=registrar
    )
    dormant_cases_list(campaign=cleanup, user=registrar)
    return campaign, yi


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_registrar_runs_inspections_and_a_dormant_case(
    browser,  # noqa: F811
    live_server,
    supervision,
):
    campaign, yi = supervision
    case = DormantCase.objects.get(organization=yi)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page = _open(browser, live_server, "registrar_li", width)
        inbox = page.locator("body").inner_text()
        assert "尚未报送的年报" in inbox
        assert "待处置的僵尸型社会组织" in inbox
        page.screenshot(path=SHOTS / f"inbox-{width}.png", full_page=True)

        page.goto(
            live_server.url
            + reverse("incubator_inspection_campaign", args=[campaign.pk])
        )
        rate = page.get_by_test_id("campaign-rate").inner_text()
        # 2024: 1 of the 3 organizations due has reported: 33.3 %
        assert "33.3%" in rate
        assert _fits(page), "the campaign page overflows"
        assert _inside_window(page, page.get_by_test_id("campaign-rate"))
        page.screenshot(path=SHOTS / f"campaign-{width}.png", full_page=True)

        page.goto(
            live_server.url + reverse("wagtailsnippets_incubator_inspection:list")
        )
        assert "年检记录" in page.locator("body").inner_text()
        page.screenshot(path=SHOTS / f"results-{width}.png", full_page=True)

        page.goto(live_server.url + reverse("incubator_dormant_step", args=[case.pk]))
        assert page.get_by_test_id("case-status").inner_text() == "列入清理"
        assert _fits(page), "the case page overflows"
        page.screenshot(path=SHOTS / f"case-{width}.png", full_page=True)

        page.goto(live_server.url + f"/supervision/inspections/{campaign.year}/")
        assert "益阳市赫山区阳光社工服务中心" in page.locator("body").inner_text()
        assert _fits(page), "the public page overflows"
        page.screenshot(path=SHOTS / f"public-{width}.png", full_page=True)
        page.context.close()

    # the revocation, confirmed on its summary page first
    page = _open(browser, live_server, "registrar_li", 1366)
    page.goto(live_server.url + reverse("incubator_dormant_step", args=[case.pk]))
    page.select_option("#id_to_status", "revoked")
    page.fill("#id_note", "公告期满仍无法取得联系，依法撤销登记")
    page.get_by_role("button", name="登记处置步骤").click()
    summary = page.get_by_test_id("confirmation-summary").inner_text()
    assert "不可撤回" in summary
    page.screenshot(path=SHOTS / "revoke-confirm-1366.png", full_page=True)
    case.refresh_from_db()
    assert case.status == "found"  # nothing done before the confirmation
    page.get_by_test_id("confirm-button").click()
    assert page.get_by_test_id("case-status").inner_text() == "已撤销登记"
    page.screenshot(path=SHOTS / "revoked-1366.png", full_page=True)
    yi.refresh_from_db()
    assert yi.registration_status == "revoked"
    page.context.close()
