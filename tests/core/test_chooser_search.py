"""Every chooser is searchable inside the user's scope: regions by name or code with
province → prefecture steps, organizations by name or USCC, bases, reviewers by
full name."""

import pytest
from django.urls import reverse

from core import roles
from core.models import Region
from funding.models import ReviewerProfile

pytestmark = pytest.mark.django_db

REGIONS = reverse("wagtailsnippetchoosers_core_region:choose_results")
REGION_MODAL = reverse("wagtailsnippetchoosers_core_region:choose")
ORGANIZATIONS = reverse("wagtailsnippetchoosers_incubator_organization:choose_results")
BASES = reverse("wagtailsnippetchoosers_incubator_incubationbase:choose_results")
REVIEWERS = reverse("wagtailsnippetchoosers_funding_reviewerprofile:choose_results")


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def test_region_chooser_finds_yiyang_by_name_or_code(client_for):
    manager = client_for(roles.FUND_MANAGER)

    by_name = text(manager.get(REGIONS, {"q": "益阳"}))
    assert "湖南省益阳市" in by_name and "430900" in by_name
    assert "湖南省益阳市赫山区" in by_name  # 430903: the city's counties too
    assert "长沙" not in by_name
    assert "共有 7 个符合" in by_name  # 益阳市 and its 6 counties

    by_code = text(manager.get(REGIONS, {"q": "430900"}))
    assert "湖南省益阳市" in by_code
    assert "赫山区" not in by_code and "长沙" not in by_code


def test_region_chooser_steps_from_province_to_prefecture_to_county(client_for):
    manager = client_for(roles.FUND_MANAGER)
    hunan = Region.objects.get(code="430000")
    yiyang = Region.objects.get(code="430900")

    modal = manager.get(REGION_MODAL).json()["html"]
    assert "湖南省" in modal and "全部省份" in modal  # the province step
    assert "益阳市" in modal  # the prefectures, under their province

    cities = text(
        manager.get(REGIONS, {"province": hunan.pk, "level": Region.Level.CITY})
    )
    assert "湖南省益阳市" in cities and "湖南省长沙市" in cities
    assert "赫山区" not in cities and "江苏" not in cities
    assert "共有 14 个符合" in cities  # Hunan's 14 prefecture-level divisions

    counties = text(
        manager.get(REGIONS, {"city": yiyang.pk, "level": Region.Level.COUNTY})
    )
    assert "湖南省益阳市赫山区" in counties and "430903" in counties
    assert "湖南省益阳市安化县" in counties
    assert "长沙" not in counties
    assert "共有 6 个符合" in counties  # 资阳 赫山 南县 桃江 安化 沅江

    in_step = text(manager.get(REGIONS, {"province": hunan.pk, "q": "赫山"}))
    assert "湖南省益阳市赫山区" in in_step


def test_organization_chooser_by_name_or_part_of_the_uscc(
    client_for, make_organization
):
    yiyang = make_organization(name="湖南省益阳社工服务中心")
    other = make_organization(name="长沙市雨花区同心社工服务中心")
    manager = client_for(roles.FUND_MANAGER)

    by_name = text(manager.get(ORGANIZATIONS, {"q": "益阳"}))
    assert "湖南省益阳社工服务中心" in by_name
    assert other.name not in by_name

    by_uscc = text(manager.get(ORGANIZATIONS, {"q": yiyang.uscc[8:17]}))
    assert "湖南省益阳社工服务中心" in by_uscc
    assert other.name not in by_uscc

    missing = text(manager.get(ORGANIZATIONS, {"q": "不存在的机构"}))
    assert "没有符合“不存在的机构”的社会组织。" in missing


def test_a_reviewer_may_not_open_the_organization_chooser(
    client_for, make_organization
):
    make_organization(name="湖南省益阳社工服务中心")
    reviewer = client_for(roles.REVIEWER)
    refused = reviewer.get(ORGANIZATIONS, {"q": "益阳"})
    assert refused.status_code == 302  # Wagtail's refusal: back to the dashboard
    assert "益阳" not in refused.content.decode()


def test_base_chooser_searches_only_the_operators_own_bases(two_bases):
    own = text(two_bases.client_a.get(BASES, {"q": "孵化基地"}))
    assert "长沙市雨花区社会组织孵化基地" in own
    assert "岳麓区社会组织孵化基地" not in own

    other = text(two_bases.client_a.get(BASES, {"q": "岳麓"}))
    assert "岳麓区社会组织孵化基地" not in other


def test_reviewer_chooser_finds_a_person_by_full_name(
    client_for, make_user, make_organization
):
    work = make_organization(name="湖南省社会工作协会")
    zhou = make_user("zhoumin", roles.REVIEWER, first_name="敏", last_name="周")
    wang = make_user("wangli", roles.REVIEWER, first_name="丽", last_name="王")
    for person in (zhou, wang):
        ReviewerProfile.objects.create(user=person, organization=work)
    manager = client_for(roles.FUND_MANAGER)

    found = text(manager.get(REVIEWERS, {"q": "周敏"}))
    assert "周敏" in found and "敏 周" not in found
    assert "王丽" not in found


def test_a_village_search_without_match_says_so_in_chinese(client_for):
    coordinator = client_for(roles.COORDINATOR)
    listing = reverse("wagtailsnippets_projects_village:list_results")
    chooser = reverse("wagtailsnippetchoosers_projects_village:choose_results")

    assert "没有符合查询条件的村。" in text(coordinator.get(listing, {"q": "无此村"}))
    in_chooser = text(coordinator.get(chooser, {"q": "无此村"}))
    assert "没有符合“无此村”的村。" in in_chooser
    assert "No " not in in_chooser
