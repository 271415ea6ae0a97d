"""Public pages render with a fixed number of queries whatever the data size, and
the figures come from the cache once computed."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from core.models import Region

# The most queries a public page may run with a cold cache (figures computed,
# Wagtail's site cache empty), whatever the data size: 15 to 31 today (the
# home page computes the incubation, award, pairing, outcome and year figures too:
# one aggregate each, however many records).
MAX_QUERIES = 32


def _add_data(n, make_organization, make_showcase, make_news, service_fields, start):
    regions = list(Region.objects.filter(code__in=["430111", "433127", "610113"]))
    fields = list(service_fields.values())
    for i in range(start, start + n):
        org = make_organization(
            region=regions[i % 3], founded_on=f"{2000 + i % 20}-01-01"
        )
        org.service_fields.set(fields[: 1 + i % 3])
        org.save()
        image = Image.objects.create(title=f"封面{i}", file=get_test_image_file())
        make_showcase(
            org,
            graduation_year=2010 + i % 12,
            cover_image=image,
            cover_alt="社工为老人测量血压",
        )
        make_news(title=f"动态{i}", cover_image=image, cover_decorative=True)


def _count(client, url, params=None):
    client.get(url, params)  # renditions made, Wagtail's own caches filled
    cache.clear()  # the figures are computed again
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(
    client,
    cms_site,
    make_organization,
    make_showcase,
    make_news,
    service_fields,
    django_assert_max_num_queries,
):
    _add_data(2, make_organization, make_showcase, make_news, service_fields, 0)
    first_showcase = cms_site["showcase"].get_children().first()
    first_news = cms_site["news"].get_children().first()
    pages = [
        (cms_site["home"].url, None),
        (cms_site["news"].url, None),
        (first_news.url, None),
        (cms_site["showcase"].url, None),
        (cms_site["showcase"].url, {"region": "430000", "field": "", "year": ""}),
        (first_showcase.url, None),
        (cms_site["statistics"].url, None),
    ]
    small = {(url, str(params)): _count(client, url, params) for url, params in pages}

    _add_data(24, make_organization, make_showcase, make_news, service_fields, 2)
    large = {(url, str(params)): _count(client, url, params) for url, params in pages}
    for url, params in pages:
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(url, params)
    assert large == small
    assert max(large.values()) <= MAX_QUERIES


def test_figures_are_served_from_the_cache(client, cms_site, make_organization):
    make_organization()
    url = cms_site["statistics"].url
    cold = _count(client, url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Headline aggregate + 5 breakdowns (+ the prefecture names) are not run again.
    assert len(queries) <= cold - 6
