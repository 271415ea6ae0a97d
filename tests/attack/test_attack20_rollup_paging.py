"""Attack on the roll-up by alliance paged like the one by organization: junk
page numbers, a coordinator's scope, the row of the projects in no alliance on
exactly one page (the last), a year chosen, the export with a page; the stored
counts after every write that moves a project between keys; the headline's
counts against counts by hand."""

import io
from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse

from core import roles
from core.models import Region
from projects.choices import FundingKind, ReportStatus
from projects.models import Alliance, FundingLink, Project, RollupProjectCount
from projects.selectors.rollup_totals import (
    rollup_count_differences,
    rollup_dimension_differences,
    rollup_totals_differences,
)
from projects.selectors.rollups import headline, rollup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

URL = reverse("projects_rollup")
NONE_LABEL = "不在合力团中"


@pytest.fixture
def alliances(make_organization, make_pairing, make_project, make_report, make_user):
    """甲合力团 (sold 1), 乙合力团 (sold 10) coordinated by `a`; 丙合力团 (sold 100)
    coordinated by `b`; a project in no alliance coordinated by `a` (sold 1000)
    and one by `b` (sold 10000)."""
    county = Region.objects.get(code="433127")
    a = make_user("coord_a", roles.COORDINATOR)
    b = make_user("coord_b", roles.COORDINATOR)
    made = {}
    for name, coordinator, sold in [
        ("甲合力团", a, "1"),
        ("乙合力团", a, "10"),
        ("丙合力团", b, "100"),
        (None, a, "1000"),
        (None, b, "10000"),
    ]:
        alliance = name and Alliance.objects.create(name=name, county=county)
        pairing = make_pairing(alliance=alliance, coordinators=[coordinator])
        project = make_project(pairing=pairing)
        make_report(project, 2023, 1, {"produce_sold": sold})
        made[name or f"none-{sold}"] = project
    made["a"], made["b"] = a, b
    return made


def _rows(result):
    return sorted(
        (r["label"], r["projects"], r["produce_sold"])
        for r in result.rows.to_dict("records")
    )


def _stored(dimension):
    return {
        row.key: (row.projects, row.money)
        for row in RollupProjectCount.objects.filter(dimension=dimension)
    }


def _assert_verified():
    assert rollup_count_differences() == []
    assert rollup_dimension_differences() == []
    assert rollup_totals_differences() == []


@pytest.mark.parametrize(
    ("page", "number"),
    [
        ("abc", 1),
        ("1.5", 1),
        ("", 1),
        ("-1", 3),
        ("0", 3),
        ("99999999999999999999", 3),
        ("3", 3),
    ],
)
def test_junk_page_numbers_give_a_real_page(
    alliances, client_for, monkeypatch, page, number
):
    monkeypatch.setattr("projects.selectors.rollups.ROWS_PER_PAGE", 1)
    client = client_for(roles.ADMINISTRATOR)
    response = client.get(URL, {"by": "alliance", "page": page})
    assert response.status_code == 200
    official = response.context["official"]
    assert official.page.number == number
    assert official.page.paginator.num_pages == 3
    # by name in code-point order: 丙 U+4E19, 乙 U+4E59, 甲 U+7532
    expected = {
        1: [("丙合力团", 1, Decimal("100"))],
        3: [(NONE_LABEL, 2, Decimal("11000")), ("甲合力团", 1, Decimal("1"))],
    }[number]
    assert _rows(official) == expected
    assert official.total["projects"] == 5
    assert official.total["produce_sold"] == Decimal("11111")


def test_the_no_alliance_row_is_on_the_last_page_only(alliances, make_user):
    for per_page, pages in [(1, 3), (2, 2), (3, 1), (100, 1)]:
        seen = []
        for number in range(1, pages + 1):
            result = rollup("alliance", page=number, per_page=per_page)
            assert result.page.paginator.num_pages == pages
            seen += [row[0] for row in _rows(result)]
        assert sorted(seen) == sorted(
            ["甲合力团", "乙合力团", "丙合力团", NONE_LABEL]
        ), per_page


def test_a_coordinator_pages_only_their_alliances(alliances, client_for):
    a = alliances["a"]
    pages = [rollup("alliance", user=a, page=n, per_page=1) for n in (1, 2, 3)]
    assert pages[0].page.paginator.count == 2  # 甲, 乙: not 丙 (of b)
    assert pages[0].page.paginator.num_pages == 2
    assert _rows(pages[0]) == [("乙合力团", 1, Decimal("10"))]
    assert _rows(pages[1]) == [
        (NONE_LABEL, 1, Decimal("1000")),
        ("甲合力团", 1, Decimal("1")),
    ]
    assert _rows(pages[2]) == _rows(pages[1])  # past the end: the last page
    for page in pages:
        assert page.total["projects"] == 3
        assert page.total["produce_sold"] == Decimal("1011")
    b = alliances["b"]
    only = rollup("alliance", user=b, page=1, per_page=1)
    assert only.page.paginator.num_pages == 1
    assert _rows(only) == [
        (NONE_LABEL, 1, Decimal("10000")),
        ("丙合力团", 1, Decimal("100")),
    ]
    assert only.total["projects"] == 2
    assert only.total["produce_sold"] == Decimal("10100")


def test_no_alliance_with_projects_is_one_page_with_the_no_row(
    make_project, make_report, client_for
):
    Alliance.objects.create(name="空合力团", county=Region.objects.get(code="433127"))
    project = make_project()
    make_report(project, 2023, 1, {"produce_sold": "7"})
    client = client_for(roles.ADMINISTRATOR)
    for page in ("1", "2", "abc"):
        official = client.get(URL, {"by": "alliance", "page": page}).context["official"]
        assert official.page.paginator.num_pages == 1
        assert official.page.paginator.count == 0
        assert _rows(official) == [(NONE_LABEL, 1, Decimal("7"))]


def test_a_year_chosen_pages_the_alliances_of_that_year(
    alliances, make_report, client_for, monkeypatch
):
    monkeypatch.setattr("projects.selectors.rollups.ROWS_PER_PAGE", 1)
    # 2024: only 甲 and one project in no alliance
    make_report(alliances["甲合力团"], 2024, 1, {"produce_sold": "5"})
    make_report(alliances["none-1000"], 2024, 1, {"produce_sold": "50"})
    client = client_for(roles.ADMINISTRATOR)
    first = client.get(URL, {"by": "alliance", "year": "2024", "page": "1"})
    official = first.context["official"]
    assert official.page.paginator.num_pages == 1
    assert _rows(official) == [
        (NONE_LABEL, 1, Decimal("50")),
        ("甲合力团", 1, Decimal("5")),
    ]
    assert official.total["projects"] == 2
    assert official.total["produce_sold"] == Decimal("55")
    # b's scope has nothing in 2024
    b_rollup = rollup("alliance", user=alliances["b"], year=2024, page=1)
    assert _rows(b_rollup) == []
    assert b_rollup.total["projects"] == 0


def test_the_export_with_a_page_has_every_row(alliances, client_for, monkeypatch):
    monkeypatch.setattr("projects.selectors.rollups.ROWS_PER_PAGE", 1)
    client = client_for(roles.ADMINISTRATOR)
    export = client.get(URL, {"by": "alliance", "page": "2", "export": "xlsx"})
    sheet = pd.read_excel(io.BytesIO(export.content))
    assert sorted(sheet.iloc[:-1, 0].tolist()) == [
        "不在合力团中",
        "丙合力团",
        "乙合力团",
        "甲合力团",
    ]
    assert sheet.iloc[-1, 0] == "合计"


def test_stored_counts_after_every_write(alliances, make_pairing, make_user):
    _assert_verified()
    jia, yi = (Alliance.objects.get(name=n) for n in ("甲合力团", "乙合力团"))
    project = alliances["甲合力团"]
    # moved to the pairing of 乙
    project.pairing = alliances["乙合力团"].pairing
    project.save()
    _assert_verified()
    # the pairing's alliance changed
    pairing = project.pairing
    pairing.alliance = jia
    pairing.save()
    _assert_verified()
    # funding links: added, two to one fund, renamed, a fund named __none__
    link = FundingLink.objects.create(
        project=project,
        kind=FundingKind.SELF_RAISED,
        fund_name="乡村振兴基金",
        amount=Decimal("300"),
    )
    _assert_verified()
    FundingLink.objects.create(
        project=project,
        kind=FundingKind.SELF_RAISED,
        fund_name="乡村振兴基金",
        amount=Decimal("200"),
    )
    _assert_verified()
    # verify recounts with the same SQL as the writes: the stored rows by hand
    assert _stored("fund") == {
        "乡村振兴基金": (1, Decimal("500")),  # one project, both links' money
        "__none__": (4, Decimal("0")),
    }
    link.fund_name = "__none__"
    link.save()
    _assert_verified()
    assert _stored("fund") == {
        "乡村振兴基金": (1, Decimal("200")),
        "__none__": (5, Decimal("300")),  # 4 unfunded and the one linked to it
    }
    assert _stored("alliance") == {
        str(jia.pk): (2, Decimal("200000")),
        str(Alliance.objects.get(name="丙合力团").pk): (1, Decimal("100000")),
        "__none__": (2, Decimal("200000")),
    }
    link.delete()
    _assert_verified()
    # the alliance deleted: its projects go to the no-alliance row
    jia.delete()
    _assert_verified()
    result = rollup("alliance", page=1, per_page=100)
    assert _rows(result) == [
        # 甲 and 乙's projects were both in 甲's pairing
        (NONE_LABEL, 4, Decimal("11011")),
        ("丙合力团", 1, Decimal("100")),
    ]
    assert yi.pairings.count() == 0
    # a new project, then deleted
    extra = Project.objects.create(
        pairing=alliances["丙合力团"].pairing,
        title="新项目",
        category=project.category,
        start_date=project.start_date,
        budget=Decimal("5"),
        reporting_frequency=project.reporting_frequency,
    )
    _assert_verified()
    extra.delete()
    _assert_verified()
    gone = alliances["none-1000"]
    gone.reports.all().delete()
    _assert_verified()
    gone.delete()
    _assert_verified()
    assert _rows(rollup("alliance", page=1)) == [
        (NONE_LABEL, 3, Decimal("10011")),
        ("丙合力团", 1, Decimal("100")),
    ]


def test_report_approved_and_returned_keep_the_counts(
    alliances, make_report, make_user
):
    from projects.services.reports import report_approve, report_return

    submitter = make_user("submitter")
    decider = make_user("root", is_superuser=True, is_staff=True)
    project = alliances["乙合力团"]
    report = make_report(
        project,
        2024,
        1,
        {"jobs": "9"},
        status=ReportStatus.SUBMITTED,
        author=submitter,
    )
    _assert_verified()
    report_approve(report, user=decider)
    _assert_verified()
    assert rollup("alliance", year=2024, page=1).total["jobs"] == Decimal("9")
    second = make_report(
        project,
        2024,
        2,
        {"jobs": "4"},
        status=ReportStatus.SUBMITTED,
        author=submitter,
    )
    report_return(second, user=decider, reason="请补充佐证")
    _assert_verified()
    assert rollup("alliance", year=2024, page=1).total["jobs"] == Decimal("9")
    pending = rollup("alliance", year=2024, page=1, official=False)
    assert pending.total["jobs"] == Decimal("4")


def test_headline_by_hand(
    make_organization, make_pairing, make_project, make_user, suzhou_org
):
    county = Region.objects.get(code="433127")  # key county, 湖南
    shaanxi = Region.objects.get(code="610924")  # key county, 陕西
    other = Region.objects.exclude(code__in=["433127", "610924"]).filter(
        level=Region.Level.COUNTY, is_key_county=False, code__startswith="43"
    )[0]
    alliance = Alliance.objects.create(name="甲合力团", county=county)
    coordinator = make_user("coord", roles.COORDINATOR)
    hunan_org = make_organization(region=Region.objects.get(code="430100"))
    # suzhou_org paired twice (both cross-province), one in an alliance
    p1 = make_pairing(suzhou_org, county=county, alliance=alliance)
    p2 = make_pairing(suzhou_org, county=shaanxi, coordinators=[coordinator])
    # a hunan organization with a non-key county of hunan, no alliance
    p3 = make_pairing(hunan_org, county=other, coordinators=[coordinator])
    # a pairing ended before 2024
    import datetime

    make_pairing(
        hunan_org,
        county=shaanxi,
        alliance=alliance,
        end_date=datetime.date(2023, 6, 30),
    )
    make_project(pairing=p1, budget=Decimal("1"))
    make_project(pairing=p2, budget=Decimal("10"))
    make_project(pairing=p3, budget=Decimal("100"))
    figures = headline()
    assert figures == {
        "pairings": 4,
        "organizations": 2,
        "counties": 3,
        "key_counties": 2,
        "alliances": 1,
        "cross_province": 3,  # 苏州 twice, 长沙 → 紫阳县
        "projects": 3,
        "budget": Decimal("111"),
    }
    assert headline(year=2024) == {
        "pairings": 3,
        "organizations": 2,
        "counties": 3,
        "key_counties": 2,
        "alliances": 1,
        "cross_province": 2,
        "projects": 3,
        "budget": Decimal("111"),
    }
    assert headline(coordinator) == {
        "pairings": 2,
        "organizations": 2,
        "counties": 2,
        "key_counties": 1,
        "alliances": 0,
        "cross_province": 1,
        "projects": 2,
        "budget": Decimal("110"),
    }


def test_a_shared_alliance_shows_only_the_coordinators_projects(
    alliances, make_pairing, make_project, make_report, client_for
):
    # a's pairing in 丙合力团 (b's alliance so far): a sees 丙 with only it
    bing = Alliance.objects.get(name="丙合力团")
    pairing = make_pairing(alliance=bing, coordinators=[alliances["a"]])
    make_report(make_project(pairing=pairing), 2023, 1, {"produce_sold": "3"})
    client = client_for(roles.COORDINATOR)
    client.force_login(alliances["a"])
    official = client.get(URL, {"by": "alliance", "page": "1"}).context["official"]
    assert official.page.paginator.count == 3
    assert _rows(official) == [
        (NONE_LABEL, 1, Decimal("1000")),
        ("丙合力团", 1, Decimal("3")),
        ("乙合力团", 1, Decimal("10")),
        ("甲合力团", 1, Decimal("1")),
    ]
    assert official.total["projects"] == 4
    assert official.total["produce_sold"] == Decimal("1014")
    assert headline(alliances["a"])["alliances"] == 3


def test_a_coordinators_screen_and_export_stay_in_scope(
    alliances, client_for, monkeypatch
):
    monkeypatch.setattr("projects.selectors.rollups.ROWS_PER_PAGE", 1)
    client = client_for(roles.COORDINATOR)
    client.force_login(alliances["a"])
    page = client.get(URL, {"by": "alliance", "page": "2"}).content.decode()
    assert "第 2 页，共 2 页（2 个合力团；合计行与 Excel 导出包含全部）" in page
    assert "丙合力团" not in page
    export = client.get(URL, {"by": "alliance", "page": "1", "export": "xlsx"})
    sheet = pd.read_excel(io.BytesIO(export.content), engine="openpyxl")
    assert sorted(sheet.iloc[:-1, 0].tolist()) == [NONE_LABEL, "乙合力团", "甲合力团"]
    assert sheet.iloc[-1, 0] == "合计"
    assert "丙合力团" not in sheet.to_string()
