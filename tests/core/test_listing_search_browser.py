"""The organization listing's search in headless Chromium, Chinese UI, 1366 px and
390 px: a three-character term (answered by the substring index) and a broad
two-character term whose count stops at the cap — the heading says there are
more and asks for a narrower term (screenshots in test-artifacts/listing-search/)."""

import pytest

from core import roles
from core.viewsets import CappedCountPaginator
from incubator.choices import OrganizationType, RegistrationLevel
from incubator.models import Organization
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    ARTIFACTS,
    _fresh_content_type_cache,
    browser,
)
from tests.core.test_search_browser import _open

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = ARTIFACTS / "listing-search"
LIST = "/admin/snippets/incubator/organization/"


def test_fund_manager_searches_the_registry(
    browser,  # noqa: F811
    live_server,
    make_user,
    region,
    monkeypatch,
):
    monkeypatch.setattr(CappedCountPaginator, "cap", 20)
    make_user("zhou_min", roles.FUND_MANAGER, first_name="敏", last_name="周")
    Organization.objects.bulk_create(
        Organization(
            name=f"益阳市{place}第{n}社工服务中心",
            uscc=None,
            filing_number=f"430900备{n:07d}",
            org_type=OrganizationType.COMMUNITY,
            registration_level=RegistrationLevel.COUNTY,
            region=region,
        )
        for n, place in enumerate(["赫山区", "资阳区", "桃江县"] * 10, start=1)
    )
    for width in (1366, 390):
        page = _open(browser, live_server, "zhou_min", width)
        page.goto(f"{live_server.url}{LIST}?q=资阳区第2")
        results = page.locator("#listing-results")
        # 资阳区 is every third: 第2, 第5, … 第29; "第2" begins 第2, 第20, 第23, 第26, 第29
        assert "共有 5 个符合" in results.inner_text()
        assert "益阳市资阳区第20社工服务中心" in results.inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"three-characters-{width}.png", full_page=True)

        page.goto(f"{live_server.url}{LIST}?q=益阳")  # all 30 match, the cap is 20
        text = page.locator("#listing-results").inner_text()
        assert "匹配超过 20 条" in text
        assert "20+ 社会组织" in text
        assert text.count("社工服务中心") == 20
        page.screenshot(path=SHOTS / f"capped-{width}.png", full_page=True)
        page.context.close()


APPLICATIONS = "/admin/snippets/funding/application/"


def test_fund_manager_searches_the_applications_by_title_and_organization(
    browser,  # noqa: F811
    live_server,
    make_user,
    make_organization,
    make_application,
):
    """The application listing finds a term in the title or in the organization's
    name (two tables, one search), with the status filter beside it."""
    make_user("zhou_min", roles.FUND_MANAGER, first_name="敏", last_name="周")
    by_title = make_organization(name="长沙市天心区阳光社工服务中心")
    by_name = make_organization(name="绥宁县关爱留守儿童协会")
    neither = make_organization(name="株洲市芦淞区青年志愿者协会")
    make_application(
        organization=by_title, title="绥宁县留守儿童暑期陪伴项目", status="submitted"
    )
    make_application(
        organization=by_name, title="乡村学校心理支持项目", status="submitted"
    )
    make_application(organization=neither, title="社区养老助餐项目", status="submitted")
    make_application(
        organization=make_organization(name="绥宁县社区服务中心"),
        title="社区环境整治项目",
    )  # a draft: filtered out by status below
    for width in (1366, 390):
        page = _open(browser, live_server, "zhou_min", width)
        page.goto(f"{live_server.url}{APPLICATIONS}?q=绥宁&status=submitted")
        text = page.locator("#listing-results").inner_text()
        assert "绥宁县留守儿童暑期陪伴项目" in text
        assert "乡村学校心理支持项目" in text
        assert "社区养老助餐项目" not in text
        assert "社区环境整治项目" not in text
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"applications-{width}.png", full_page=True)
        page.context.close()
