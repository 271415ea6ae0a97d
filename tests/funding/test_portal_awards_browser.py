"""The organization user's award in headless Chromium (Debian's, through
Playwright), Chinese UI, at 390 and 1366 px: 我的资助 → the award (tranche schedule
in 元, the returned mid-term report's reason) → revise the report with a file →
save and submit → the confirmation → submitted. Screenshots in /tmp/award/."""

import datetime
import tempfile
from pathlib import Path

import pytest

from core import roles
from funding.models.awards import ReportKind, ReportStatus
from funding.services import award_portal
from funding.services.awards import award_report_return
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    _fresh_content_type_cache,
    browser,
)
from tests.platform.test_inbox_browser import _open
from tests.support.browser import settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(tempfile.gettempdir()) / "award"
REASON = "未附资金使用明细，请补充支出明细表后重新提交。"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _no_overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


@pytest.fixture
def returned(portal_award, make_user, manager):
    from incubator.models import OrganizationMembership

    lead = make_user("lead", roles.ORGANIZATION, first_name="敏", last_name="刘")
    OrganizationMembership.objects.create(
        user=lead, organization=portal_award.application.organization
    )
    portal_award.midterm_due_on = datetime.date.today() + datetime.timedelta(days=10)
    portal_award.save()
    report = award_portal.award_report_draft_save(
        portal_award, kind=ReportKind.MIDTERM, user=lead, summary="已服务86户。"
    )
    award_portal.award_report_send(report, user=lead)
    award_report_return(report, user=manager, reason=REASON)
    return portal_award, report


def test_the_organization_revises_and_submits_its_report(
    browser,  # noqa: F811
    live_server,
    returned,
    tmp_path,
):
    award, report = returned
    upload = tmp_path / "中期报告.pdf"
    upload.write_bytes(PDF)
    for width in (390, 1366):
        page = _open(browser, live_server, "lead", width)
        page.goto(live_server.url + "/admin/portal/awards/")
        assert "我的资助" in page.content()
        page.get_by_role("link", name=award.application.title).click()
        settle(page)
        tranches = page.get_by_test_id("tranches").inner_text()
        # 128,500 元 on 40 / 30 / 30 %: 51,400.00 + 38,550.00 + 38,550.00
        assert "51,400.00" in tranches and "38,550.00" in tranches
        assert "中期报告尚未批准" in tranches
        reports = page.get_by_test_id("award-reports").inner_text()
        assert REASON in reports
        assert _no_overflow(page), f"the award page overflows at {width} px"
        _shot(page, f"award-{width}")
        if width == 390:
            page.context.close()
            continue
        page.get_by_role("link", name="修改后重新提交").click()
        settle(page)
        assert REASON in page.get_by_test_id("return-reason").inner_text()
        page.fill("#id_summary", "已服务86户，附支出明细表。")
        page.set_input_files("#id_document", str(upload))
        _shot(page, f"report-{width}")
        page.get_by_role("button", name="保存并提交").click()
        settle(page)
        assert (
            "将提交给资金管理员"
            in page.get_by_test_id("confirmation-summary").inner_text()
        )
        _shot(page, f"confirm-{width}")
        page.get_by_test_id("confirm-button").click()
        settle(page)
        assert "报告已提交" in page.content()
        assert "已提交" in page.get_by_test_id("report-midterm").inner_text()
        _shot(page, f"submitted-{width}")
        page.context.close()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.summary == "已服务86户，附支出明细表。"
    assert report.document is not None


def test_the_report_form_fits_a_phone(
    browser,  # noqa: F811
    live_server,
    returned,
):
    award, _report = returned
    page = _open(browser, live_server, "lead", 390)
    page.goto(f"{live_server.url}/admin/portal/awards/{award.pk}/reports/midterm/")
    assert page.locator("#id_document").is_visible()
    assert page.get_by_role("button", name="保存并提交").is_visible()
    assert _no_overflow(page), "the report form overflows at 390 px"
    _shot(page, "report-390")
    page.context.close()
