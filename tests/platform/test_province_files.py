"""A province moves its records onto a fresh install, and its figures come out right.

One province's own spreadsheets (not the demo), written the way its officers write
them: six organizations (省/市/县, 民非, dates as 2023/1/5 or 2023年1月5日), awards of
2022, 2023 and 2024 under two funds (one header in 万元, one amount with thousands
separators), pairings with counties (three of them key counties), projects, and
outcome figures for several indicators with two cabin types and more. Everything is
imported through the `import_<kind>` commands after `setup_platform`, then the public
statistics page (per year, `?year=`), the roll-up screen and the exports must show
exactly the totals computed by hand below; an export imported back with one changed
cell changes one record.

The province (every figure below is counted from these tables):

organizations  O1 湖南省乡村振兴促进会 社会团体 省  O2 湖南省阳光助老服务中心 民非 省
               O3 长沙县红枫社会工作服务中心 民办非企业单位 县
               O4 永顺县莓茶产业发展协会 社会团体 县  O5 隆回县助学基金会 基金会 市
               O6 平江县志愿者协会 社会团体 县 (never funded, never paired)

awards (万元)   2022  湖南省福彩公益金  O1 30, O2 20.35                 =  50.35, 2 orgs
               2023  湖南省福彩公益金  O1 25, O3 15.5, O4 12.25        =  52.75
               2023  长沙市公益创投    O3 8, O5 14.25                  =  22.25
                     2023 in all                                     =  75.00, 4 orgs
               2024  湖南省福彩公益金  O2 18, O5 7                      =  25.00, 2 orgs
               then one more 2024 award (a second file, in 元 "100,000"):
                     O4 10                            2024            =  35.00, 3 orgs
               all years: 150.35 before the 2024 award, 160.35 after; 5 orgs

pairings       P1 O1–永顺县 (key) from 2022/3/1, P2 O4–永顺县 from 2023年1月5日,
               P3 O3–长沙县 (not key) from 2023-06-01, P4 O5–隆回县 (key) from
               2024/2/1, P5 O2–平江县 (key) start unknown (in force every year)
               in force   2022: P1 P5      → 2 orgs, 2 counties, 2 key counties
                          2023: P1 P2 P3 P5 → 4 orgs, 3 counties, 2 key counties
                          2024 and all years → 5 orgs, 4 counties, 3 key counties

projects (J1 reports half-yearly, the others yearly: 报告周期)
               J1 永顺县宝贝小屋 (O1, 120,000)  J2 永顺县阅读小屋 (O1, 80,000)
               J3 永顺莓茶消费帮扶 (O4, 200,000) J4 长沙县社区就业 (O3, 50,000)
               J5 隆回县直播小屋 (O5, 60,000)   J6 平江县医生小屋 (O2, 90,000)
               budgets 600,000 元

outcomes (approved; 受益人数 is cumulative: each project's latest value, summed)
               2022  J1 H2 宝贝 3, 投入 50,000, 受益 120;  J6 医生 1, 培训 4
                     → 宝贝 3, 医生 1, cabins 4; 投入 50,000; 受益 120; 培训 4
               2023  J1 H1 宝贝 2 受益 200; J1 H2 宝贝 1 受益 260;
                     J2 阅读 4, 投入 60,000; J3 销售 1,250,000, 就业 12, 受益 300;
                     J4 就业 8, 培训 6
                     → 宝贝 3, 阅读 4, cabins 7; 投入 60,000; 销售 1,250,000;
                       就业 20; 培训 6; 受益 260 + 300 = 560
               2024  J2 阅读 2; J3 销售 980,000.50, 就业 5, 受益 350;
                     J5 直播 6, 投入 40,000; J6 医生 2
                     → 阅读 2, 直播 6, 医生 2, cabins 10; 投入 40,000;
                       销售 980,000.50; 就业 5; 培训 none; 受益 350
               all   宝贝 6, 阅读 6, 直播 6, 医生 3, cabins 21; 投入 150,000;
                     销售 2,230,000.50; 就业 25; 培训 10; 受益 260 + 350 = 610
               not approved (a draft, counted nowhere): J4 2024 就业 100, 培训 50
"""

import io
import re
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cms.models import StatisticsPage
from core import roles
from funding.models import Award
from incubator.choices import OrganizationType, RegistrationLevel
from incubator.models import Organization
from incubator.uscc import uscc_make
from projects.choices import ReportStatus
from projects.models import OutcomeReport, Pairing, Project
from tests.support.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db

# --- the province's files ------------------------------------------------------------

O1 = uscc_make("1", "430111", 1001)
O2 = uscc_make("2", "430111", 1002)
O3 = uscc_make("2", "430121", 1003)
O4 = uscc_make("1", "433127", 1004)
O5 = uscc_make("3", "430524", 1005)
O6 = uscc_make("1", "430626", 1006)

ORGANIZATIONS = (
    ["名称", "统一社会信用代码", "类型", "登记级别", "行政区划代码", "成立日期"]
    + ["服务领域", "评估等级", "评估日期", "法定代表人"],
    [
        ["湖南省乡村振兴促进会", O1, "社会团体", "省", "430111", "2015/3/12"]
        + ["乡村振兴、儿童", "AAAA", "2021年6月30日", "李建国"],
        ["湖南省阳光助老服务中心", O2, "民非", "省", "430111", "2016年4月8日"]
        + ["养老 助残", "5A", "2022/7/1", "王芳"],
        ["长沙县红枫社会工作服务中心", O3, "民办非企业单位", "县", "430121"]
        + ["20190105", "社会工作，社区治理", "3A", "2023-01-05", "陈红"],
        ["永顺县莓茶产业发展协会", O4, "社会团体", "县", "433127", "2018-06-01"]
        + ["乡村振兴", "", "", "彭大山"],
        ["隆回县助学基金会", O5, "基金会", "市", "430524", "2020/1/5"]
        + ["教育;儿童", "", "", "刘晓明"],
        ["平江县志愿者协会", O6, "社会团体", "县", "430626", "2021年1月5日"]
        + ["志愿服务", "", "", "张卫东"],
    ],
)

FUND, VENTURE = "湖南省福彩公益金", "长沙市公益创投"
AWARDS = (
    ["统一社会信用代码", "资金名称", "年度", "项目名称", "资助金额（万元）"]
    + ["立项日期"],
    [
        [O1, FUND, 2022, "乡村儿童关爱服务", "30", "2022/7/1"],
        [O2, FUND, 2022, "居家养老上门服务", "20.35", "2022年7月1日"],
        [O1, FUND, 2023, "阅读小屋建设", "25", "2023/6/30"],
        [O3, FUND, 2023, "社工站能力提升", "15.5", "2023年6月30日"],
        [O4, FUND, 2023, "莓茶消费帮扶", "12.25", "20230630"],
        [O3, VENTURE, 2023, "社区营造", "8", "2023-09-01"],
        [O5, VENTURE, 2023, "山区助学", "14.25", "2023/9/1"],
        [O2, FUND, 2024, "助老食堂", "18", "2024/6/28"],
        [O5, FUND, 2024, "山区助学二期", "7", "2024年6月28日"],
    ],
)
# The award added later, in 元 with a thousands separator: 100,000 元 = 10 万元.
AWARD_2024 = (
    ["统一社会信用代码", "资金名称", "年度", "项目名称", "资助金额（元）", "立项日期"],
    [[O4, FUND, 2024, "直播小屋助农", "100,000", "2024/8/15"]],
)

PAIRINGS = (
    ["统一社会信用代码", "结对地区代码", "合力团", "开始日期"],
    [
        [O1, "433127", "湘西合力团", "2022/3/1"],
        [O4, "433127", "湘西合力团", "2023年1月5日"],
        [O3, "430121", "", "2023-06-01"],
        [O5, "430524", "", "2024/2/1"],
        [O2, "430626", "", ""],
    ],
)

PROJECTS = (
    ["项目名称", "统一社会信用代码", "帮扶地区代码", "类别", "开始日期", "结束日期"]
    + ["预算（元）", "资金来源", "报告周期"],
    [
        ["永顺县宝贝小屋", O1, "433127", "宝贝小屋", "2022/4/1", "2023/12/31"]
        + ["120,000", "省福彩公益金", "半年"],
        ["永顺县阅读小屋", O1, "433127", "阅读小屋", "2023-03-01", "2024-06-30"]
        + ["80,000", "", "年度"],
        ["永顺莓茶消费帮扶", O4, "433127", "消费帮扶", "2023年2月1日", "2024年12月31日"]
        + ["200,000", "", "年度"],
        ["长沙县社区就业", O3, "430121", "就业", "2023/7/1", ""]
        + ["50,000", "", "年度"],
        ["隆回县直播小屋", O5, "430524", "直播小屋", "2024/3/1", ""]
        + ["60,000", "", "年度"],
        ["平江县医生小屋", O2, "430626", "医生小屋", "2022/5/1", ""]
        + ["90,000", "", "年度"],
    ],
)

OUTCOME_HEADERS = ["项目名称", "年度", "周期类型", "期次", "指标", "实际值"]
OUTCOMES_APPROVED = (
    OUTCOME_HEADERS,
    [
        ["永顺县宝贝小屋", 2022, "半年", 2, "宝贝小屋建成数", 3],
        ["永顺县宝贝小屋", 2022, "半年", 2, "投入资金", "50,000"],
        ["永顺县宝贝小屋", 2022, "半年", 2, "受益人数", 120],
        ["平江县医生小屋", 2022, "年度", 1, "医生小屋建成数", 1],
        ["平江县医生小屋", 2022, "年度", 1, "开展培训场次", 4],
        ["永顺县宝贝小屋", 2023, "半年", 1, "宝贝小屋建成数", 2],
        ["永顺县宝贝小屋", 2023, "半年", 1, "受益人数", 200],
        ["永顺县宝贝小屋", 2023, "半年", 2, "宝贝小屋建成数", 1],
        ["永顺县宝贝小屋", 2023, "半年", 2, "受益人数", 260],
        ["永顺县阅读小屋", 2023, "年度", 1, "阅读小屋建成数", 4],
        ["永顺县阅读小屋", 2023, "年度", 1, "投入资金", "60,000"],
        ["永顺莓茶消费帮扶", 2023, "年度", 1, "销售农产品金额", "1,250,000"],
        ["永顺莓茶消费帮扶", 2023, "年度", 1, "带动就业岗位", 12],
        ["永顺莓茶消费帮扶", 2023, "年度", 1, "受益人数", 300],
        ["长沙县社区就业", 2023, "年度", 1, "带动就业岗位", 8],
        ["长沙县社区就业", 2023, "年度", 1, "开展培训场次", 6],
        ["永顺县阅读小屋", 2024, "年度", 1, "阅读小屋建成数", 2],
        ["永顺莓茶消费帮扶", 2024, "年度", 1, "销售农产品金额", "980,000.50"],
        ["永顺莓茶消费帮扶", 2024, "年度", 1, "带动就业岗位", 5],
        ["永顺莓茶消费帮扶", 2024, "年度", 1, "受益人数", 350],
        ["隆回县直播小屋", 2024, "年度", 1, "直播小屋建成数", 6],
        ["隆回县直播小屋", 2024, "年度", 1, "投入资金", "40,000"],
        ["平江县医生小屋", 2024, "年度", 1, "医生小屋建成数", 2],
    ],
)
# Imported as a draft (not approved): counted nowhere.
OUTCOMES_DRAFT = (
    OUTCOME_HEADERS,
    [
        ["长沙县社区就业", 2024, "年度", 1, "带动就业岗位", 100],
        ["长沙县社区就业", 2024, "年度", 1, "开展培训场次", 50],
    ],
)

# --- the totals, by hand (see the module's docstring) ---------------------------------

# year ("" = all years) → (organizations funded, money awarded 万元 as the page
# shows it); after the second 2024 award.
AWARD_TOTALS = {
    "2022": (2, "50.35"),
    "2023": (4, "75"),
    "2024": (3, "35"),
    "": (5, "160.35"),
}
# Money awarded per fund (a name and a year), 元 as the page's table shows it.
# year → the awards by fund, as the public breakdown writes them: in 万元
# (527,500 元 = 52.75 万元)
BY_FUND = {
    "2023": [
        ("2023 湖南省福彩公益金", Decimal("52.75")),
        ("2023 长沙市公益创投", Decimal("22.25")),
    ],
    "2024": [("2024 湖南省福彩公益金", Decimal("35.00"))],
}
# year → (organizations paired, counties paired, key counties paired)
PAIRING_TOTALS = {
    "2022": (2, 2, 2),
    "2023": (4, 3, 2),
    "2024": (5, 4, 3),
    "": (5, 4, 3),
}
CABINS = "四个小屋"
# year → indicator → total as the public page and the roll-up screen show it
# (None: no approved figure, shown "—").
OUTCOME_TOTALS = {
    "2022": {
        "宝贝小屋建成数": "3",
        "阅读小屋建成数": None,
        "直播小屋建成数": None,
        "医生小屋建成数": "1",
        CABINS: "4",
        "投入资金": "50,000",
        "销售农产品金额": None,
        "带动就业岗位": None,
        "开展培训场次": "4",
        "受益人数": "120",
    },
    "2023": {
        "宝贝小屋建成数": "3",
        "阅读小屋建成数": "4",
        "直播小屋建成数": None,
        "医生小屋建成数": None,
        CABINS: "7",
        "投入资金": "60,000",
        "销售农产品金额": "1,250,000",
        "带动就业岗位": "20",
        "开展培训场次": "6",
        "受益人数": "560",
    },
    "2024": {
        "宝贝小屋建成数": None,
        "阅读小屋建成数": "2",
        "直播小屋建成数": "6",
        "医生小屋建成数": "2",
        CABINS: "10",
        "投入资金": "40,000",
        "销售农产品金额": "980,000.50",
        "带动就业岗位": "5",  # not 105: the draft's 100 does not count
        "开展培训场次": None,  # not 50: the draft does not count
        "受益人数": "350",
    },
    "": {
        "宝贝小屋建成数": "6",
        "阅读小屋建成数": "6",
        "直播小屋建成数": "6",
        "医生小屋建成数": "3",
        CABINS: "21",
        "投入资金": "150,000",
        "销售农产品金额": "2,230,000.50",
        "带动就业岗位": "25",
        "开展培训场次": "10",
        "受益人数": "610",
    },
}
YEARS = ("2022", "2023", "2024", "")


# --- building the province once ---------------------------------------------------------


def _file(folder, name, table):
    headers, rows = table
    path = folder / name
    path.write_bytes(xlsx_bytes(rows, headers=headers))
    return path


def _command(name, *args):
    """Run a management command; its standard output."""
    out = io.StringIO()
    call_command(name, *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _statistics(client, year):
    url = StatisticsPage.objects.live().first().url
    response = client.get(url, {"year": year} if year else {})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker, tmp_path_factory):
    """A fresh install (`setup_platform`, no demo data) that imported the province's
    files through the commands; rolled back when the module ends. Holds what each
    command printed, the public page of every year before the second 2024 award
    was imported, and the province officer (a fund manager: sees every pairing)."""
    folder = tmp_path_factory.mktemp("province")
    with (
        django_db_blocker.unblock(),
        translation.override("zh-hans"),
        transaction.atomic(),
    ):
        _command("setup_platform")
        public = Client()
        # the officer looks at the empty public site first (its figures are cached)
        assert 'data-figure="organizations_registered">0<' in _statistics(public, "")
        users = get_user_model().objects
        admin = users.create_user("hunan_admin", password="x")
        admin.groups.add(roles.role_group(roles.ADMINISTRATOR))
        officer = users.create_user("hunan_fund_officer", password="x")
        officer.groups.add(roles.role_group(roles.FUND_MANAGER))
        out = {
            "organizations": _command(
                "import_organizations", _file(folder, "社会组织.xlsx", ORGANIZATIONS)
            ),
            "awards": _command("import_awards", _file(folder, "立项.xlsx", AWARDS)),
            "pairings": _command(
                "import_pairings", _file(folder, "结对.xlsx", PAIRINGS)
            ),
            "projects": _command(
                "import_projects", _file(folder, "项目.xlsx", PROJECTS)
            ),
            "outcomes_approved": _command(
                "import_outcomes",
                _file(folder, "成效_已审核.xlsx", OUTCOMES_APPROVED),
                "--user",
                admin.username,
                "--approve",
            ),
            "outcomes_draft": _command(
                "import_outcomes", _file(folder, "成效_草稿.xlsx", OUTCOMES_DRAFT)
            ),
        }
        before = {year: _statistics(public, year) for year in ("2023", "")}
        out["award_2024"] = _command(
            "import_awards", _file(folder, "2024追加立项.xlsx", AWARD_2024)
        )
        yield SimpleNamespace(
            out=out, before=before, officer=officer, admin=admin, folder=folder
        )
        transaction.set_rollback(True)


@pytest.fixture
def officer_client(province):
    client = Client()
    client.force_login(province.officer)
    return client


# --- reading the screens -----------------------------------------------------------------


def _figure(page, key):
    match = re.search(rf'data-figure="{key}">([^<]*)<', page)
    assert match, key
    return match.group(1)


def _yearly_section(page):
    """The part of the statistics page that follows the chosen year."""
    return page[page.index('id="stat-year"') :]


def _public_outcomes(page):
    table = page[page.index('data-table="outcomes"') :]
    table = table[: table.index("</table>")]
    found = dict(re.findall(r'data-outcome="([^"]*)">([^<]*)<', table))
    return {
        label.removesuffix("合计") if label.endswith("小屋合计") else label: _as_number(
            value
        )
        for label, value in found.items()
    }


def _public_by_fund(page):
    table = page[page.index('data-table="awards_by_fund"') :]
    table = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = re.findall(
        r'<th scope="row">([^<]*)</th><td class="num">([^<]*)</td>', table
    )
    return [(label, _as_number(value)) for label, value in rows]


def _rollup(client, year, **extra):
    params = {"by": "county", **({"year": year} if year else {}), **extra}
    response = client.get(reverse("projects_rollup"), params)
    assert response.status_code == 200
    return response


def _screen_totals(client, year):
    """{heading: shown value} of the total row of the official roll-up by county."""
    page = _rollup(client, year).content.decode()
    table = page[page.index('id="rollup-official"') :]
    heads = re.findall(
        r'<th scope="col">([^<]*)</th>', table[: table.index("</thead>")]
    )
    foot = table[table.index("<tfoot>") : table.index("</tfoot>")]
    cells = re.findall(r"<(?:th|td)[^>]*>(?:<strong>)?([^<]*)", foot)
    assert cells[0] == "合计"
    return dict(zip(heads, cells, strict=True)), page


def _export_totals(client, year):
    """{heading: value} of the total row of the roll-up's Excel export."""
    response = _rollup(client, year, export="xlsx")
    frame = pd.read_excel(io.BytesIO(response.content), engine="openpyxl")
    assert frame.iloc[-1, 0] == "合计"
    return {str(k): v for k, v in frame.iloc[-1].items()}


def _heading(totals, name):
    """The heading of indicator `name` ("宝贝小屋建成数（间）") or group ("四个小屋…")."""
    found = [h for h in totals if h.startswith(name)]
    assert len(found) == 1, (name, list(totals))
    return found[0]


def _as_number(shown):
    """A figure as shown ("2,230,000.50", "—" or None for no figure) as a Decimal."""
    if shown in (None, "—"):
        return None
    return Decimal(shown.replace(",", ""))


# --- the tests ------------------------------------------------------------------------


def test_the_commands_import_every_file(province):
    out = province.out
    assert "已导入 6 个社会组织" in out["organizations"], out["organizations"]
    assert "已记录 9 项历史立项" in out["awards"], out["awards"]
    assert "已记录 1 项历史立项" in out["award_2024"], out["award_2024"]
    assert "已导入 5 个结对" in out["pairings"], out["pairings"]
    assert "已导入 6 个帮扶项目" in out["projects"], out["projects"]
    assert "已导入 23 项成效数据" in out["outcomes_approved"], out["outcomes_approved"]
    assert "已导入 2 项成效数据" in out["outcomes_draft"], out["outcomes_draft"]
    # officer-style cells read as meant
    levels = dict(Organization.objects.values_list("uscc", "registration_level"))
    assert [levels[c] for c in (O1, O2, O3, O5)] == [
        RegistrationLevel.PROVINCE,
        RegistrationLevel.PROVINCE,
        RegistrationLevel.COUNTY,
        RegistrationLevel.CITY,
    ]
    assert Organization.objects.get(uscc=O2).org_type == OrganizationType.SOCIAL_SERVICE
    assert str(Organization.objects.get(uscc=O6).founded_on) == "2021-01-05"
    # 11 reports approved on import, one draft left alone
    statuses = OutcomeReport.objects.values_list("status", flat=True)
    assert sorted(statuses).count(ReportStatus.APPROVED) == 11
    assert list(OutcomeReport.objects.exclude(status=ReportStatus.APPROVED)) == [
        OutcomeReport.objects.get(project__title="长沙县社区就业", year=2024)
    ]


def test_a_2024_award_does_not_move_2023(province, client):
    before_2023 = _yearly_section(province.before["2023"])
    before_all = _yearly_section(province.before[""])
    assert _figure(before_2023, "money_awarded") == "75"
    assert _figure(before_all, "money_awarded") == "150.35"
    after_2023 = _yearly_section(_statistics(client, "2023"))
    after_all = _yearly_section(_statistics(client, ""))
    assert _figure(after_2023, "money_awarded") == "75"  # not 85
    assert _figure(after_all, "money_awarded") == "160.35"


@pytest.mark.parametrize("year", YEARS)
def test_the_public_page_shows_the_years_totals(province, client, year):
    page = _statistics(client, year)
    if year:
        assert f'<option value="{year}" selected>{year}年</option>' in page
    yearly = _yearly_section(page)
    funded, money = AWARD_TOTALS[year]
    assert _figure(yearly, "organizations_funded") == str(funded)
    assert _figure(yearly, "money_awarded") == money
    paired, counties, key_counties = PAIRING_TOTALS[year]
    assert _figure(yearly, "organizations_paired") == str(paired)
    assert _figure(yearly, "counties_paired") == str(counties)
    assert _figure(yearly, "key_counties_paired") == str(key_counties)
    assert _figure(yearly, "people_helped") == OUTCOME_TOTALS[year]["受益人数"]
    # the same numbers as the roll-up screen (compared as numbers; how they are
    # written, 1,250,000 on both, is tests/cms/test_number_grouping.py)
    expected = {k: _as_number(v) for k, v in OUTCOME_TOTALS[year].items()}
    assert _public_outcomes(page) == {**expected, "脱贫户覆盖率": None}
    if year in BY_FUND:
        assert _public_by_fund(yearly) == BY_FUND[year]
    # the registry as it stands: six organizations, none from the demo
    assert _figure(page, "organizations_registered") == "6"


@pytest.mark.parametrize("year", YEARS)
def test_the_rollup_screen_and_its_export_agree_with_the_page(
    province, officer_client, year
):
    shown, page = _screen_totals(officer_client, year)
    exported = _export_totals(officer_client, year)
    for name, value in OUTCOME_TOTALS[year].items():
        heading = _heading(shown, name)
        if value is None:
            assert shown[heading] == "—", name
            assert pd.isna(exported[heading]), name
        else:
            assert _as_number(shown[heading]) == _as_number(value), name
            assert Decimal(str(exported[heading])) == _as_number(value), name
    paired, counties, key_counties = PAIRING_TOTALS[year]
    # the screen's headline: the public page's pairing figures of the same year
    assert (
        f"{paired} 家社会组织与 {counties} 个县（其中重点帮扶县 {key_counties} 个）结对帮扶"
        in page
    )
    if not year:
        assert shown["预算（元）"] == "600,000"
        assert exported["预算（元）"] == 600000


def test_the_award_export_holds_the_same_money(province, client):
    admin = Client()
    admin.force_login(province.admin)
    response = admin.get(
        reverse("wagtailsnippets_funding_award:list"), {"export": "xlsx"}
    )
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    frame = pd.read_excel(io.BytesIO(data), engine="openpyxl")
    frame["year"] = pd.to_datetime(frame["立项日期"]).dt.year
    amounts = frame.groupby("year")["资助金额（元）"].sum()
    in_wan = {year: Decimal(str(amounts[year])) / 10000 for year in (2022, 2023, 2024)}
    assert in_wan == {
        2022: Decimal("50.35"),
        2023: Decimal("75"),
        2024: Decimal("35"),
    }


# --- exports imported back with one changed cell -----------------------------------------


def _listing_export(url_name):
    """The .xlsx export of the listing `url_name`, as its user downloads it."""

    def export(client):
        response = client.get(reverse(url_name), {"export": "xlsx"})
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    return export


def _change_cell(data, key_header, key, header, value):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index(key_header)].value == key:
            row[headers.index(header)].value = value
            buffer = io.BytesIO()
            workbook.save(buffer)
            return buffer.getvalue()
    raise AssertionError(key)


# kind → (its export, its import command, the key column, the record's key, the
# column changed, the new value, how the stored record reads it).
# The changed cells are ones no figure of this module reads.
ROUND_TRIPS = {
    "organizations": (
        _listing_export("wagtailsnippets_incubator_organization:list"),
        "import_organizations",
        "统一社会信用代码",
        O6,
        "法定代表人",
        "赵志远",
        lambda: Organization.objects.get(uscc=O6).legal_representative,
    ),
    "awards": (
        _listing_export("wagtailsnippets_funding_award:list"),
        "import_awards",
        "项目名称",
        "助老食堂",
        "协议编号",
        "湘福彩〔2024〕18号",
        lambda: Award.objects.get(application__title="助老食堂").agreement_number,
    ),
    "pairings": (
        _listing_export("wagtailsnippets_projects_pairing:list"),
        "import_pairings",
        "统一社会信用代码",
        O5,
        "开始日期",
        "2024-03-01",
        lambda: Pairing.objects.get(organization__uscc=O5).start_date.isoformat(),
    ),
    "projects": (
        _listing_export("wagtailsnippets_projects_project:list"),
        "import_projects",
        "项目名称",
        "长沙县社区就业",
        "结束日期",
        "2025-12-31",
        lambda: Project.objects.get(title="长沙县社区就业").end_date.isoformat(),
    ),
}


@pytest.mark.parametrize("kind", ROUND_TRIPS)
def test_an_export_comes_back_with_one_record_changed(province, kind):
    export, command, key_header, key, header, value, stored = ROUND_TRIPS[kind]
    admin = Client()
    admin.force_login(province.admin)
    data = export(admin)
    path = province.folder / f"{kind}_导出.xlsx"
    path.write_bytes(data)
    total = len(pd.read_excel(io.BytesIO(data), engine="openpyxl"))
    unchanged = _command(command, path, "--update", "--dry-run")
    assert f"0 条新增，0 条变更，{total} 条未变" in unchanged, unchanged

    path.write_bytes(_change_cell(data, key_header, key, header, value))
    out = _command(command, path, "--update")
    assert f"0 条新增，1 条变更，{total - 1} 条未变" in out, out
    assert f"{header}" in out and value in out
    assert stored() == value
