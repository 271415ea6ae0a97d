"""Attacks on a91773a: the showcase index paginates keys, then loads cards by pk."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.fixtures.cms import _publish

pytestmark = pytest.mark.django_db


def _titles(response):
    return re.findall(r'class="card__title">([^<]+)<', response.content.decode())


def _all_titles(client, url, pages, **params):
    return [
        t
        for n in range(1, pages + 1)
        for t in _titles(client.get(url, {**params, "page": n}))
    ]


@pytest.mark.parametrize("count", [12, 13, 24, 25])
def test_every_showcase_once_at_page_boundaries(client, cms_site, make_showcase, count):
    for n in range(count):
        # ties in year and title, and NULL years
        year = None if n % 5 == 0 else 2020 + n % 2
        make_showcase(title=f"社会组织{n % 4}", graduation_year=year)
    url = cms_site["showcase"].url
    pages = -(-count // 12)
    seen = []
    for n in range(1, pages + 1):
        html = client.get(url, {"page": n}).content.decode()
        seen += re.findall(r'class="card__link" href="([^"]+)"', html)
    assert len(seen) == len(set(seen)) == count
    assert len(_all_titles(client, url, pages)) == count


def test_field_filter_with_paging(
    client, cms_site, make_organization, make_showcase, service_fields
):
    field = service_fields["养老"]
    for n in range(13):
        org = make_organization()
        # two fields: the join without DISTINCT would double rows
        org.service_fields.set([field, service_fields["儿童"]])
        org.save()
        make_showcase(org, title=f"养老{n:02d}", graduation_year=2021)
    make_showcase(title="无领域", graduation_year=2021)
    url = cms_site["showcase"].url
    first = client.get(url, {"field": field.pk})
    assert first.status_code == 200
    got = _all_titles(client, url, 2, field=field.pk)
    assert got == [f"养老{n:02d}" for n in range(13)]
    assert f"field={field.pk}" in first.content.decode()
    # the other field too (each org in two fields)
    got = _all_titles(client, url, 2, field=service_fields["儿童"].pk)
    assert got == [f"养老{n:02d}" for n in range(13)]


def test_region_and_year_filters_with_paging(client, cms_site, make_showcase):
    for n in range(14):
        make_showcase(title=f"甲{n:02d}", graduation_year=2022)
    make_showcase(title="乙", graduation_year=2023)
    url = cms_site["showcase"].url
    assert _all_titles(client, url, 2, year=2022) == [f"甲{n:02d}" for n in range(14)]
    html = client.get(url, {"year": 2022}).content.decode()
    assert "year=2022" in html


def _hidden_showcases(cms_site, make_showcase, make_organization):
    from cms.models import OrganizationShowcaseIndexPage, OrganizationShowcasePage

    draft = make_showcase(title="草稿风采", graduation_year=2024)
    draft.unpublish()
    private = make_showcase(title="私密风采", graduation_year=2024)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    other = _publish(
        cms_site["home"],
        OrganizationShowcaseIndexPage(title="另一个风采", slug="showcase-2"),
    )
    _publish(
        other,
        OrganizationShowcasePage(
            organization=make_organization(),
            title="另一索引风采",
            slug="other-index-showcase",
            graduation_year=2024,
        ),
    )
    return {"草稿风采", "私密风采", "另一索引风采"}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": "999"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "abc"},
        {"page": str(10**30)},
        {"page": "1.5"},
        {"year": "1950"},
        {"year": "1950", "page": "2"},
        {"region": "999999"},
        {"field": "999999"},
    ],
)
def test_no_hidden_showcase_on_any_page(
    client, cms_site, make_showcase, make_organization, params
):
    hidden = _hidden_showcases(cms_site, make_showcase, make_organization)
    make_showcase(title="公开风采", graduation_year=2020)
    response = client.get(cms_site["showcase"].url, params)
    assert response.status_code == 200
    titles = set(_titles(response))
    assert not titles & hidden
    if set(params) <= {"page"}:
        assert titles == {"公开风采"}
    else:
        assert titles == set()


def test_empty_index_shows_nothing(client, cms_site, make_showcase, make_organization):
    hidden = _hidden_showcases(cms_site, make_showcase, make_organization)
    for params in ({}, {"page": "2"}, {"page": "x"}):
        response = client.get(cms_site["showcase"].url, params)
        assert response.status_code == 200
        assert not set(_titles(response)) & hidden
        assert _titles(response) == []


def _count_queries(client, url):
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow(client, cms_site, make_showcase):
    for n in range(3):
        make_showcase(title=f"风采{n:02d}", graduation_year=2020)
    url = cms_site["showcase"].url
    few = _count_queries(client, url)
    for n in range(3, 30):
        make_showcase(title=f"风采{n:02d}", graduation_year=2020)
    assert _count_queries(client, url) == few
    page2 = _count_queries(client, url + "?page=2")
    assert page2 == few


def test_cards_show_organization_region(
    client, cms_site, make_organization, make_showcase
):
    from core.models import Region

    changsha = Region.objects.get(code="430111")
    org = make_organization(region=changsha, name="长沙某某社工中心")
    make_showcase(org, title="卡片风采", graduation_year=2021)
    html = client.get(cms_site["showcase"].url).content.decode()
    assert "卡片风采" in html
    assert changsha.name in html or "长沙" in html
