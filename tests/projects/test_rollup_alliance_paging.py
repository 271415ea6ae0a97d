"""The roll-up by alliance is paged like the one by organization: a page of
alliances by name, the row of the projects in no alliance on the last page, the
total row and the Excel export over all — for all-seeing users (stored rows) and
for a coordinator (the projects in their scope). And the headline's counts of
pairings, counted in one pass."""

import io
from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse

from core import roles
from core.models import Region
from projects.models import Alliance
from projects.selectors.rollups import headline, rollup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


@pytest.fixture
def three_projects(
    make_organization, make_pairing, make_project, make_report, shaanxi_county
):
    """Projects of 紫阳县合力团 (300), 永顺县合力团 (1000) and of no alliance (20)."""
    ziyang = Alliance.objects.create(name="紫阳县合力团", county=shaanxi_county)
    yongshun = Alliance.objects.create(
        name="永顺县合力团", county=Region.objects.get(code="433127")
    )
    changsha = Region.objects.get(code="430100")  # 湖南省长沙市
    figures = [
        ("湖南省慈善协会", yongshun, "1000"),
        ("湖南省扶贫基金会", ziyang, "300"),
        ("长沙市社工服务中心", None, "20"),
    ]
    projects = []
    for name, alliance, sold in figures:
        project = make_project(
            pairing=make_pairing(
                make_organization(name=name, region=changsha), alliance=alliance
            )
        )
        make_report(project, 2023, 1, {"produce_sold": sold})
        projects.append(project)
    return projects


def _labels(result):
    return [(r["label"], r["produce_sold"]) for r in result.rows.to_dict("records")]


def test_alliances_are_paged_by_name_with_the_unallied_row_last(
    three_projects, make_user
):
    coordinator = make_user("everywhere", roles.COORDINATOR)
    for project in three_projects:
        project.pairing.coordinators.add(coordinator)
    for user in (None, coordinator):  # stored rows; per-project totals
        pages = [
            rollup("alliance", user=user, page=number, per_page=1) for number in (1, 2)
        ]
        # names in code-point order: 永 (U+6C38) before 紫 (U+7D2B)
        assert _labels(pages[0]) == [("永顺县合力团", Decimal("1000"))]
        assert sorted(_labels(pages[1])) == [
            ("不在合力团中", Decimal("20")),
            ("紫阳县合力团", Decimal("300")),
        ]
        assert pages[0].page.paginator.count == 2  # alliances, not the no-row
        assert pages[0].page.paginator.num_pages == 2
        for page in pages:
            assert page.total["produce_sold"] == Decimal("1320")
            assert page.total["projects"] == 3
        # a page past the end is the last page
        assert _labels(rollup("alliance", user=user, page=9, per_page=1)) == _labels(
            pages[1]
        )


def test_without_a_page_every_alliance_is_a_row(three_projects):
    assert sorted(_labels(rollup("alliance"))) == [
        ("不在合力团中", Decimal("20")),
        ("永顺县合力团", Decimal("1000")),
        ("紫阳县合力团", Decimal("300")),
    ]


def test_the_screen_pages_alliances_and_exports_all(
    three_projects, client_for, monkeypatch
):
    monkeypatch.setattr("projects.selectors.rollups.ROWS_PER_PAGE", 1)
    client = client_for(roles.ADMINISTRATOR)
    url = reverse("projects_rollup")

    page = client.get(url, {"by": "alliance", "page": "2"}).content.decode()

    official = page[page.index('id="rollup-official"') :]
    assert "紫阳县合力团" in official
    assert "永顺县合力团" not in official
    assert "第 2 页，共 2 页（2 个合力团；合计行与 Excel 导出包含全部）" in page
    assert 'aria-label="合力团分页"' in page
    assert "by=alliance&amp;page=1" in page
    export = client.get(url, {"by": "alliance", "page": "2", "export": "xlsx"})
    sheet = pd.read_excel(io.BytesIO(export.content))
    assert sorted(sheet.iloc[:-1, 0].tolist()) == [
        "不在合力团中",
        "永顺县合力团",
        "紫阳县合力团",
    ]
    assert sheet.iloc[-1, 0] == "合计"


def test_the_headline_counts_every_pairing_once(
    three_projects, make_pairing, make_organization, make_user
):
    # one more pairing of 湖南省慈善协会, in 紫阳县 (a key county in 陕西省), no project
    first = three_projects[0].pairing
    second = make_pairing(first.organization, county=Region.objects.get(code="610924"))
    figures = headline()
    assert {k: v for k, v in figures.items() if k != "budget"} == {
        "pairings": 4,
        "organizations": 3,
        "counties": 2,
        "key_counties": 2,
        "alliances": 2,
        "cross_province": 1,  # 长沙 to 紫阳县 (陕西省)
        "projects": 3,
    }
    assert figures["budget"] == Decimal("300000")
    # a coordinator of one pairing: its counts only
    coordinator = make_user("one", roles.COORDINATOR)
    second.coordinators.add(coordinator)
    mine = headline(coordinator)
    assert (mine["pairings"], mine["organizations"], mine["alliances"]) == (1, 1, 0)
    assert (mine["projects"], mine["budget"]) == (0, Decimal("0"))
