"""`setup_platform` on a fresh install without demo data: the reference data and the
public site a real install needs, installed once however often it runs."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
)

from cms.models import HomePage, NewsIndexPage, StatisticsPage
from core.imports import get_importer, import_validate
from incubator.models import Organization, ServiceField
from projects.models import Indicator
from tests.support.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db

SERVICE_FIELDS = "养老、助残、儿童、教育、医疗、乡村振兴、环保、社区治理、社会工作、志愿服务、文化、法律服务"


def _setup():
    out = io.StringIO()
    call_command("setup_platform", stdout=out)
    return out.getvalue()


def _counts():
    return {
        "service fields": ServiceField.objects.count(),
        "indicators": Indicator.objects.count(),
        "pages": Page.objects.count(),
        "groups": Group.objects.count(),
        "group page permissions": GroupPagePermission.objects.count(),
        "workflows": Workflow.objects.count(),
        "tasks": GroupApprovalTask.objects.count(),
        "sites": Site.objects.count(),
    }


def test_an_empty_database_gets_the_reference_data_once():
    assert ServiceField.objects.count() == 0
    assert Indicator.objects.count() == 0
    assert not HomePage.objects.exists()

    _setup()
    first = _counts()
    _setup()
    assert _counts() == first

    assert "、".join(ServiceField.objects.values_list("name", flat=True)) == (
        SERVICE_FIELDS
    )
    units = dict(Indicator.objects.values_list("code", "unit"))
    assert {
        code: units.get(code)
        for code in (
            "money_invested",
            "beneficiaries",
            "produce_sold",
            "jobs",
            "trainings",
            "cabins_baby",
            "cabins_reading",
            "cabins_livestream",
            "cabins_doctor",
        )
    } == {
        "money_invested": "元",
        "beneficiaries": "人",
        "produce_sold": "元",
        "jobs": "个",
        "trainings": "场",
        "cabins_baby": "间",
        "cabins_reading": "间",
        "cabins_livestream": "间",
        "cabins_doctor": "间",
    }
    assert set(
        Group.objects.filter(
            name__in=[
                "系统管理员",
                "孵化基地运营方",
                "资金管理员",
                "评审专家",
                "乡村振兴对接人",
                "宣传编辑",
                "财务人员",
            ]
        ).values_list("name", flat=True)
    ) == {
        "系统管理员",
        "孵化基地运营方",
        "资金管理员",
        "评审专家",
        "乡村振兴对接人",
        "宣传编辑",
        "财务人员",
    }
    # the editor submits, the administrator's group approves, on the whole tree
    workflow = WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow
    assert workflow.name == "公开网站审核发布"
    task = GroupApprovalTask.objects.get(name="内容审核")
    assert list(task.groups.values_list("name", flat=True)) == ["系统管理员"]


def test_the_site_skeleton_is_published_and_in_the_menu(client):
    _setup()
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    sections = [
        (p.title, p.slug, p.specific_class.__name__, p.live, p.show_in_menus)
        for p in home.get_children()
    ]
    assert sections == [
        ("工作动态", "news", "NewsIndexPage", True, True),
        ("社会组织风采", "showcase", "OrganizationShowcaseIndexPage", True, True),
        ("数据统计", "statistics", "StatisticsPage", True, True),
        ("公示公告", "notices", "NewsIndexPage", True, True),
        ("申报通知", "calls", "NewsIndexPage", True, True),
    ]
    page = client.get("/").content.decode()
    for title in ("工作动态", "社会组织风采", "数据统计", "公示公告", "申报通知"):
        assert title in page
    for path in ("/news/", "/showcase/", "/statistics/", "/notices/", "/calls/"):
        assert client.get(path).status_code == 200
    assert "暂无已发布的内容。" in client.get("/notices/").content.decode()
    # each "more" link of the home page opens its own section: the news index
    # for the news, 公示公告 and 申报通知 for theirs
    assert re.search(
        r'class="section__more" href="/news/" aria-label="更多：工作动态"', page
    )
    assert re.search(
        r'class="section__more" href="/notices/" aria-label="更多：公示公告"', page
    )
    assert re.search(
        r'class="section__more" href="/calls/" aria-label="更多：申报通知"', page
    )


def test_the_first_organization_import_lists_the_real_service_fields():
    """On a fresh install the error listed an empty set of allowed fields and hid
    the bad code of the same row: every cell of the row is reported."""
    _setup()
    data = xlsx_bytes(
        [
            [
                "长沙市雨花区第一社会工作服务中心",
                "52430111000090019E",  # 52430111000090018E with one digit mistyped
                "",
                "社会服务机构",
                "县级",
                "430111",
                "2018-05-16",
                "养老、星际旅行",
                "3A",
                "2022-06-30",
                "王芳",
            ]
        ]
    )
    result = import_validate(get_importer("organizations"), io.BytesIO(data), "a.xlsx")
    messages = [str(error) for error in result.errors]
    assert sorted(messages) == sorted(
        [
            f"第 2 行，“服务领域”列：“星际旅行”不是服务领域，可选：{SERVICE_FIELDS}",
            "第 2 行，“统一社会信用代码”列：“52430111000090019E”的校验位错误，请核对代码。",
        ]
    )
    assert Organization.objects.count() == 0


@pytest.mark.usefixtures("private_files")
def test_the_demo_after_setup_adds_no_second_page_or_field(client):
    _setup()
    call_command("seed_demo", stdout=io.StringIO())
    assert HomePage.objects.count() == 1
    assert StatisticsPage.objects.count() == 1
    assert sorted(NewsIndexPage.objects.values_list("slug", flat=True)) == [
        "calls",
        "news",
        "notices",
    ]
    assert ServiceField.objects.count() == 12
    home = HomePage.objects.get()
    slugs = list(home.get_children().values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))
    # the demo's news went into the skeleton's news index, its call announcements
    # into 申报通知 and its 公示 into 公示公告, each listed there
    call = "关于组织申报2023年度湖南省福彩公益金资助社会组织参与社会服务项目的通知"
    notice = "2023年度湖南省福彩公益金资助项目立项公示"
    news = client.get("/news/").content.decode()
    assert "2023年全省新增入驻孵化社会组织78家" in news
    assert call not in news and notice not in news
    assert call in client.get("/calls/").content.decode()
    assert notice in client.get("/notices/").content.decode()
