"""The public figures (cms.selectors.figures): hand-counted from the `organization_mix`
fixture, shown on the home and statistics pages, cached and refreshed on change."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.selectors import figures
from incubator.choices import OrganizationType


def _values():
    return {r.figure.key: r.value for r in figures.headline_figures()}


def _rows(key):
    return next(r.rows for r in figures.breakdowns() if r.breakdown.key == key)


def test_headline_figures_hand_counted(organization_mix):
    values = _values()
    # 8 organizations, one deregistered → 7 registered.
    assert values["organizations_registered"] == 7
    # 5A, 4A, 3A in force; the 2015 3A expired on 2020-05-31; 2A is below 3A;
    # the deregistered 5A does not count → 3.
    assert values["organizations_rated_3a_plus"] == 3
    assert values["organizations_social_group"] == 2
    assert values["organizations_foundation"] == 1
    assert values["organizations_social_service"] == 3  # the 4th is deregistered
    assert values["organizations_community"] == 1


def test_breakdowns_hand_counted(organization_mix):
    assert _rows("organizations_by_type") == [
        ("社会团体", 2),
        ("基金会", 1),
        ("社会服务机构", 3),
        ("社区社会组织", 1),
    ]
    # All in 长沙市雨花区 → counted under the prefecture 长沙市.
    assert _rows("organizations_by_prefecture") == [("湖南省长沙市", 7)]
    assert _rows("organizations_by_rating") == [
        ("5A", 1),
        ("4A", 1),
        ("3A", 1),
        ("2A", 1),
        ("1A", 0),
    ]
    # Founded 2015 and 2017; 2016 is shown as 0 so the line does not skip it.
    assert _rows("organizations_by_founding_year") == [
        ("2015", 1),
        ("2016", 0),
        ("2017", 1),
    ]
    # 养老: two registered organizations; 儿童: one (the other is deregistered).
    assert _rows("organizations_by_service_field") == [("养老", 2), ("儿童", 1)]


def test_prefecture_groups_counties_and_keeps_provinces_apart(make_organization):
    from core.models import Region

    make_organization(region=Region.objects.get(code="430111"))  # 长沙市雨花区
    make_organization(region=Region.objects.get(code="430104"))  # 长沙市岳麓区
    make_organization(region=Region.objects.get(code="433127"))  # 湘西州永顺县
    make_organization(region=Region.objects.get(code="610113"))  # 西安市雁塔区
    # A municipality's districts hang directly under it (no 110100 prefecture).
    make_organization(region=Region.objects.get(code="110101"))  # 北京市东城区
    assert _rows("organizations_by_prefecture") == [
        ("湖南省长沙市", 2),
        ("北京市", 1),
        ("湖南省湘西土家族苗族自治州", 1),
        ("陕西省西安市", 1),
    ]


def test_figures_are_cached_until_the_data_changes(make_organization):
    make_organization()
    assert _values()["organizations_registered"] == 1
    with CaptureQueriesContext(connection) as queries:
        figures.headline_figures()
        figures.breakdowns()
    assert len(queries) == 0  # served from the cache

    # Saving an organization drops the cache: the next read counts again.
    make_organization(org_type=OrganizationType.FOUNDATION)
    assert _values()["organizations_registered"] == 2
    assert _values()["organizations_foundation"] == 1


def test_rating_that_expires_today_still_counts(make_organization):
    # Rated 5 years ago tomorrow → valid until today (ratings last five years).
    today = datetime.date.today()
    try:
        rated_on = today.replace(year=today.year - 5) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        rated_on = today.replace(year=today.year - 5, day=28) + datetime.timedelta(1)
    org = make_organization(rating="4A", rated_on=rated_on)
    assert org.rating_valid_until == today
    assert _values()["organizations_rated_3a_plus"] == 1


def test_home_and_statistics_pages_show_the_figures(client, cms_site, organization_mix):
    home = client.get(cms_site["home"].url)
    assert home.status_code == 200
    html = home.content.decode()
    assert 'data-figure="organizations_registered">7<' in html
    assert 'data-figure="organizations_rated_3a_plus">3<' in html

    stats = client.get(cms_site["statistics"].url)
    html = stats.content.decode()
    assert 'data-figure="organizations_registered">7<' in html
    assert "echarts.min.js" in html
    assert 'id="chart-data-organizations_by_type"' in html
