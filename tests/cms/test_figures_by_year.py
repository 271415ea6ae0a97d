"""Public figures by year, from approved data only.

Awards count by award year (立项), outcomes by period year, pairings when in force;
a fund is a name *and* a year, so one 2024 award of 100,000 yuan no longer moves the
2023 figure from 750 to 760 万元. The year is in the URL (`?year=2023`). Group totals
(四个小屋: cabins built, 间) agree to the unit on the public page, the roll-up screen and
its Excel export."""

import datetime
import io
import re
from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse

from cms.selectors import figures
from core import roles
from core.models import Region
from funding.models import Fund
from funding.services.notices import notice_close, notice_publish
from projects.choices import ReportStatus

pytestmark = pytest.mark.django_db


def _awards_made(make_call, approved_application, manager, fund, amounts):
    """Awards of `fund` made (立项) on 1 July of the fund's year."""
    call = make_call(fund=fund, name=f"{fund.year}年度{fund.name}资助项目")
    for amount in amounts:
        approved_application(amount=Decimal(amount), call=call)
    notice = notice_publish(
        call,
        title=f"{fund.year}年度{fund.name}立项公示",
        starts_on=datetime.date(fund.year, 6, 5),
        working_days=5,
        objection_contact="省民政厅 0731-84000000",
        user=manager,
    )
    notice_close(notice, user=manager, on=datetime.date(fund.year, 7, 1))


@pytest.fixture
def two_years_of_awards(make_call, approved_application, manager, fund):
    """2023 湖南省福彩公益金: three awards, 3,000,000 + 2,500,000 + 2,000,000 =
    7,500,000 元 = 750 万元. 2024 湖南省福彩公益金 (same name, next year): one award of
    100,000 元 = 10 万元. One more 2024 application approved but not yet noticed:
    not made, counts 0."""
    _awards_made(
        make_call,
        approved_application,
        manager,
        fund,
        ["3000000", "2500000", "2000000"],
    )
    fund_2024 = Fund.objects.create(
        name=fund.name, source=fund.source, year=2024, budget=Decimal("8000000")
    )
    _awards_made(make_call, approved_application, manager, fund_2024, ["100000"])
    approved_application(
        amount=Decimal("900000"), call=make_call(fund=fund_2024, name="第二批")
    )
    figures.figures_invalidate()


def _values(year=None):
    return {r.figure.key: r.value for r in figures.headline_figures(year)}


def _rows(key, year=None):
    return next(r.rows for r in figures.breakdowns(year) if r.breakdown.key == key)


def test_a_2024_award_does_not_move_the_2023_figure(two_years_of_awards):
    assert _values(2023)["money_awarded"] == 750
    assert _values(2023)["organizations_funded"] == 3
    assert _values(2024)["money_awarded"] == 10
    assert _values(2024)["organizations_funded"] == 1
    assert _values()["money_awarded"] == 760  # all years: 750 + 10
    assert _values()["organizations_funded"] == 4
    # by fund: one row per fund, i.e. per name and year — never one name summed
    assert _rows("awards_by_fund", 2023) == [("2023 湖南省福彩公益金", 7500000)]
    assert _rows("awards_by_fund") == [
        ("2023 湖南省福彩公益金", Decimal("7500000")),
        ("2024 湖南省福彩公益金", Decimal("100000")),
    ]
    assert figures.years() == [2024, 2023]


def test_the_year_is_in_the_url(client, cms_site, two_years_of_awards):
    url = cms_site["statistics"].url
    page = client.get(url, {"year": "2023"}).content.decode()
    assert 'data-figure="money_awarded">750<' in page
    assert '<option value="2023" selected>2023年</option>' in page
    assert "2023年度数据" in page
    page = client.get(url, {"year": "2024"}).content.decode()
    assert 'data-figure="money_awarded">10<' in page
    page = client.get(url).content.decode()
    assert 'data-figure="money_awarded">760<' in page
    assert "全部年度（累计）" in page
    # a year with no data, or not a year at all, shows all years (no error)
    for bad in ("1999", "abc", ""):
        response = client.get(url, {"year": bad})
        assert response.status_code == 200
        assert 'data-figure="money_awarded">760<' in response.content.decode()
    # the home page's figures follow the year too
    home = client.get(cms_site["home"].url, {"year": "2023"}).content.decode()
    assert 'data-figure="money_awarded">750<' in home


def test_the_page_cache_keeps_each_year_apart(
    client, cms_site, settings, two_years_of_awards, make_call, approved_application
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    url = cms_site["statistics"].url
    client.get(url, {"year": "2023"})  # stored
    response = client.get(url, {"year": "2024"})
    assert 'data-figure="money_awarded">10<' in response.content.decode()
    response = client.get(url, {"year": "2023"})
    assert response["X-Page-Cache"] == "hit"
    assert 'data-figure="money_awarded">750<' in response.content.decode()


def test_pairings_count_in_the_years_they_are_in_force(make_pairing, make_organization):
    yongshun = Region.objects.get(code="433127")  # key county
    changsha_county = Region.objects.get(code="430121")  # 长沙县, not a key county
    make_pairing(
        county=yongshun,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    make_pairing(county=changsha_county, start_date=datetime.date(2024, 3, 1))
    figures.figures_invalidate()
    assert changsha_county.is_key_county is False
    in_2023, in_2024, every = _values(2023), _values(2024), _values()
    assert (in_2023["organizations_paired"], in_2023["counties_paired"]) == (1, 1)
    assert in_2023["key_counties_paired"] == 1
    assert (in_2024["organizations_paired"], in_2024["counties_paired"]) == (1, 1)
    assert in_2024["key_counties_paired"] == 0
    assert (every["organizations_paired"], every["counties_paired"]) == (2, 2)
    assert every["key_counties_paired"] == 1


@pytest.fixture
def cabins(make_project, make_report):
    """Approved cabins (间), hand-counted:
    2023: A 宝贝 3 + 2, B 阅读 4 + 直播 6            → 15
    2024: A 宝贝 5, C 医生 1                          → 6
    all years: 21. A pending 2023 report of 宝贝 100 counts nowhere."""
    a, b, c, d = (make_project() for _i in range(4))
    make_report(a, 2023, 1, {"cabins_baby": "3"})
    make_report(a, 2023, 2, {"cabins_baby": "2"})
    make_report(b, 2023, 1, {"cabins_reading": "4", "cabins_livestream": "6"})
    make_report(a, 2024, 1, {"cabins_baby": "5"})
    make_report(c, 2024, 1, {"cabins_doctor": "1"})
    make_report(d, 2023, 2, {"cabins_baby": "100"}, status=ReportStatus.SUBMITTED)
    figures.figures_invalidate()


def _public_cabins(client, cms_site, year):
    page = client.get(cms_site["statistics"].url, {"year": year}).content.decode()
    cell = re.search(r'data-outcome="四个小屋合计">([^<]*)<', page)
    return cell.group(1)


def _screen_cabins(client, year):
    page = client.get(
        reverse("projects_rollup"), {"by": "county", "year": year}
    ).content.decode()
    table = page[page.index('id="rollup-official"') :]
    heads = re.findall(
        r'<th scope="col">([^<]*)</th>', table[: table.index("</thead>")]
    )
    foot = table[table.index("<tfoot>") : table.index("</tfoot>")]
    cells = re.findall(r"<(?:th|td)[^>]*>(?:<strong>)?([^<]*)", foot)
    return cells[heads.index("四个小屋合计（间）")]


def _export_cabins(client, year):
    response = client.get(
        reverse("projects_rollup"), {"by": "county", "year": year, "export": "xlsx"}
    )
    frame = pd.read_excel(io.BytesIO(response.content), engine="openpyxl")
    assert frame.iloc[-1, 0] == "合计"
    return frame["四个小屋合计（间）"].iloc[-1]


def test_cabins_total_agrees_on_the_page_the_screen_and_the_export(
    client, cms_site, client_for, cabins
):
    officer = client_for(roles.FUND_MANAGER)  # sees every pairing's figures
    for year, expected in (("2023", 15), ("2024", 6), ("", 21)):
        assert _public_cabins(client, cms_site, year) == str(expected)
        assert _screen_cabins(officer, year) == str(expected)
        assert _export_cabins(officer, year) == expected
    # each cabin type still has its own line: 2023 宝贝小屋 3 + 2 = 5
    page = client.get(cms_site["statistics"].url, {"year": "2023"}).content.decode()
    assert 'data-outcome="宝贝小屋建成数">5<' in page
