"""Statistics page: money awarded by fund and projects by category, hand-counted,
each chart with the same numbers in its accessible table; fixed query count."""

import datetime
from decimal import Decimal

from cms.selectors import figures
from funding.models import Fund
from funding.services.notices import notice_close, notice_publish
from projects.choices import ProjectCategory


def _rows(key):
    return next(r.rows for r in figures.breakdowns() if r.breakdown.key == key)


def _awards(make_call, approved_application, manager, fund, amounts):
    call = make_call(fund=fund, name=f"{fund.name}资助项目")
    for amount in amounts:
        approved_application(amount=Decimal(amount), call=call)
    notice = notice_publish(
        call,
        title=f"{fund.name}立项公示",
        starts_on=datetime.date(2023, 6, 5),
        working_days=5,
        objection_contact="省民政厅 0731-84000000",
        user=manager,
    )
    # the public counts awards made (立项), not awards still on notice
    notice_close(notice, user=manager, on=datetime.date(2023, 6, 12))


def _grant_data(make_call, approved_application, manager, fund, make_project, n=1):
    venture = Fund.objects.create(
        name=f"长沙市公益创投{n}", source=fund.source, year=2023, budget=1000000
    )
    _awards(make_call, approved_application, manager, fund, ["150000", "100000"] * n)
    _awards(make_call, approved_application, manager, venture, ["80000"] * n)
    for category in [ProjectCategory.CABIN_BABY] * 2 + [ProjectCategory.INDUSTRY]:
        for _i in range(n):
            make_project(category=category)


def test_awards_by_fund_and_projects_by_category_hand_counted(
    make_call, approved_application, manager, fund, make_project
):
    _grant_data(make_call, approved_application, manager, fund, make_project)
    # 2023 湖南省福彩公益金 (a fund is a name and a year): 150,000 + 100,000 = 250,000; 公益创投: 80,000.
    assert _rows("awards_by_fund") == [
        ("2023 湖南省福彩公益金", Decimal("250000")),
        ("2023 长沙市公益创投1", Decimal("80000")),
    ]
    # Categories in the catalogue's order: industry first, then the baby cabin.
    assert _rows("projects_by_category") == [
        (str(ProjectCategory.INDUSTRY.label), 1),
        (str(ProjectCategory.CABIN_BABY.label), 2),
    ]


def test_statistics_page_table_matches_the_chart(
    client, cms_site, make_call, approved_application, manager, fund, make_project
):
    _grant_data(make_call, approved_application, manager, fund, make_project)
    html = client.get(cms_site["statistics"].url).content.decode()
    table = html[html.index('data-table="awards_by_fund"') :]
    table = table[: table.index("</table>")]
    assert "<caption>各资金来源资助金额</caption>" in table
    assert (
        '<th scope="row">2023 湖南省福彩公益金</th><td class="num">25.00</td>' in table
    )
    assert '<th scope="row">2023 长沙市公益创投1</th><td class="num">8.00</td>' in table
    chart = next(
        r.chart_data()
        for r in figures.breakdowns()
        if r.breakdown.key == "awards_by_fund"
    )
    assert chart["values"] == [25.0, 8.0]  # 万元, as the table
    table = html[html.index('data-table="projects_by_category"') :]
    table = table[: table.index("</table>")]
    assert '<td class="num">2</td>' in table and '<td class="num">1</td>' in table


def test_statistics_query_count_does_not_grow(
    client,
    cms_site,
    make_call,
    approved_application,
    manager,
    fund,
    make_project,
    django_assert_max_num_queries,
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = cms_site["statistics"].url

    def count():
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    _grant_data(make_call, approved_application, manager, fund, make_project)
    small = count()
    _grant_data(make_call, approved_application, manager, fund, make_project, n=4)
    cache.clear()
    with django_assert_max_num_queries(small):
        client.get(url)
    assert count() == small
