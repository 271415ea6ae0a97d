"""Fixtures for the cms tests (imported by tests/conftest.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from incubator.choices import OrganizationType, Rating


@pytest.fixture(autouse=True)
def _cms_cache_clear():
    """The public figures are cached: every test starts without them."""
    cache.clear()
    yield
    cache.clear()


# Personal data put on organizations in the public-page tests; none of it may appear.
PERSONAL = {
    "legal_representative": "欧阳秘密",
    "contact_name": "司马联系",
    "contact_phone": "13912345678",
    "contact_email": "private-person@example.org",
}


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def cms_site(db):
    """A published portal: home (the default site's root) with a news index, a
    showcase index and a statistics page."""
    from cms.models import (
        HomePage,
        NewsIndexPage,
        OrganizationShowcaseIndexPage,
        StatisticsPage,
    )

    root = Page.get_first_root_node()
    home = _publish(
        root,
        HomePage(
            title="社会组织服务公开平台",
            slug="portal",
            banner_title="培育发展社会组织",
            footer_text="主办：省民政厅社会组织管理局",
        ),
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    news = _publish(
        home, NewsIndexPage(title="工作动态", slug="news", show_in_menus=True)
    )
    showcase = _publish(
        home,
        OrganizationShowcaseIndexPage(
            title="社会组织风采", slug="showcase", show_in_menus=True
        ),
    )
    stats = _publish(
        home, StatisticsPage(title="数据统计", slug="statistics", show_in_menus=True)
    )
    return {"home": home, "news": news, "showcase": showcase, "statistics": stats}


_page_serial = iter(range(1, 10**6))


@pytest.fixture
def make_news(cms_site):
    from cms.models import NewsPage

    def make(**fields):
        n = next(_page_serial)
        fields.setdefault("title", f"工作动态{n}")
        fields.setdefault("slug", f"news-{n}")
        fields.setdefault("date", datetime.date(2025, 1, 1) + datetime.timedelta(n))
        fields.setdefault("summary", "社会组织参与乡村振兴")
        return _publish(cms_site["news"], NewsPage(**fields))

    return make


@pytest.fixture
def make_showcase(cms_site, make_organization):
    """A published showcase page; its organization carries personal data."""
    from cms.models import OrganizationShowcasePage

    def make(organization=None, **fields):
        if organization is None:
            organization = make_organization(**PERSONAL)
        n = next(_page_serial)
        fields.setdefault("title", organization.name)
        fields.setdefault("slug", f"organization-{n}")
        fields.setdefault("summary", "扎根社区的社工机构")
        fields.setdefault(
            "story",
            [
                ("heading", "成长故事"),
                ("quote", {"quote": "孵化基地帮我们成长。", "attribution": "理事会"}),
            ],
        )
        return _publish(
            cms_site["showcase"],
            OrganizationShowcasePage(organization=organization, **fields),
        )

    return make


@pytest.fixture
def organization_mix(make_organization, region, service_fields):
    """Organizations with hand-countable figures (see test_public_figures):

    - registered (active): 2 social groups, 1 foundation, 3 social service agencies,
      1 community organization = 7;
    - one more social service agency, deregistered: counted nowhere;
    - ratings: 5A, 4A, 3A (in force), 3A expired in 2020, 2A in force
      → rated 3A+ in force = 3.
    """
    today = datetime.date.today()
    recent = today - datetime.timedelta(days=365)
    t = OrganizationType
    orgs = [
        make_organization(
            org_type=t.SOCIAL_GROUP, rating=Rating.A5, rated_on=recent, **PERSONAL
        ),
        make_organization(
            org_type=t.SOCIAL_GROUP, rating=Rating.A2, rated_on=recent, **PERSONAL
        ),
        make_organization(
            org_type=t.FOUNDATION, rating=Rating.A4, rated_on=recent, **PERSONAL
        ),
        make_organization(
            org_type=t.SOCIAL_SERVICE,
            rating=Rating.A3,
            rated_on=recent,
            founded_on=datetime.date(2015, 3, 1),
            **PERSONAL,
        ),
        make_organization(
            org_type=t.SOCIAL_SERVICE,
            rating=Rating.A3,
            rated_on=datetime.date(2015, 6, 1),  # valid until 2020-05-31
            founded_on=datetime.date(2017, 3, 1),
            **PERSONAL,
        ),
        make_organization(org_type=t.SOCIAL_SERVICE, **PERSONAL),
        make_organization(
            org_type=t.COMMUNITY, filing_number="备-2024-001", **PERSONAL
        ),
        make_organization(
            org_type=t.SOCIAL_SERVICE,
            registration_status="deregistered",
            rating=Rating.A5,
            rated_on=recent,
            **PERSONAL,
        ),
    ]
    orgs[0].service_fields.set([service_fields["养老"], service_fields["儿童"]])
    orgs[0].save()
    orgs[3].service_fields.set([service_fields["养老"]])
    orgs[3].save()
    orgs[7].service_fields.set([service_fields["儿童"]])
    orgs[7].save()
    return orgs


@pytest.fixture
def make_call_page(cms_site):
    from cms.models import CallPage

    def make(call, **fields):
        n = next(_page_serial)
        fields.setdefault("title", f"{call.name}申报通知")
        fields.setdefault("slug", f"call-{n}")
        fields.setdefault(
            "how_to_apply", "<p>登录平台填写申报书，并提交预算明细和证明材料。</p>"
        )
        return _publish(cms_site["news"], CallPage(call=call, **fields))

    return make


@pytest.fixture
def make_notice_page(cms_site):
    from cms.models import AwardNoticePage

    def make(notice, **fields):
        n = next(_page_serial)
        fields.setdefault("title", notice.title)
        fields.setdefault("slug", f"notice-{n}")
        return _publish(cms_site["news"], AwardNoticePage(notice=notice, **fields))

    return make


@pytest.fixture
def make_story_page(cms_site):
    from cms.models import ProjectStoryPage

    def make(project, **fields):
        n = next(_page_serial)
        fields.setdefault("title", f"{project.title}的故事")
        fields.setdefault("slug", f"story-{n}")
        fields.setdefault("summary", "小屋开进了山村")
        fields.setdefault("story", [("heading", "山村里的宝贝小屋")])
        return _publish(cms_site["home"], ProjectStoryPage(project=project, **fields))

    return make


@pytest.fixture
def notice_with_awards(make_organization, approved_application, call, manager):
    """A public notice of `call` with 3 approved applications (organizations carry
    personal data): 150,000 + 120,000 + 80,000 = 350,000 yuan."""
    from funding.services.notices import notice_publish

    for name, title, amount in (
        ("长沙市雨花区阳光社会工作服务中心", "留守儿童关爱服务", "150000"),
        ("湖南省青少年发展基金会", "乡村阅读小屋", "120000"),
        ("永顺县助老志愿者协会", "空巢老人探访", "80000"),
    ):
        approved_application(
            amount=Decimal(amount),
            organization=make_organization(name=name, **PERSONAL),
            title=title,
        )
    return notice_publish(
        call,
        title="2023年度福彩公益金资助项目立项公示",
        starts_on=datetime.date(2023, 6, 5),
        working_days=5,
        objection_contact="省民政厅社会组织管理局 0731-84000000",
        user=manager,
    )
