"""A visitor reaches the registry's public results from the site: the 公示公告 index
lists each year's annual-inspection results and each drawn spot check, newest
first, with their links (walking the public site found no link leading to
/supervision/inspections/<year>/ or /supervision/spot-checks/<id>/). The spot-check
list is drawn as the site's other tables."""

import datetime
import re

import pytest
from django.test import Client

from cms.models import NOTICES_SLUG, NewsIndexPage
from incubator.services.inspections import inspection_campaign_close
from incubator.services.spotchecks import spotcheck_campaign_draw
from tests.fixtures.cms import _publish
from tests.incubator.test_spotcheck_draw import province_scope  # noqa: F401


@pytest.fixture
def notices_index(cms_site):
    return _publish(
        cms_site["home"],
        NewsIndexPage(title="公示公告", slug=NOTICES_SLUG, show_in_menus=True),
    )


def _links(html):
    section = html.split('data-section="supervision-results"', 1)[1]
    section = section.split("</ul>", 1)[0]
    return re.findall(r'href="([^"]+)">([^<]+)</a>', section)


def test_notices_index_links_inspection_results_and_spot_checks(
    notices_index,
    open_campaign,
    make_user,
    province_scope,  # noqa: F811
):
    closed = open_campaign(2024, today=datetime.date(2025, 1, 6))
    inspection_campaign_close(
        campaign=closed,
        user=make_user("closer", "registrar"),
        today=datetime.date(2025, 6, 30),
    )
    open_campaign(2025, today=datetime.date(2026, 1, 5))
    spot_campaign, _orgs, user = province_scope
    spotcheck_campaign_draw(campaign=spot_campaign, user=user)

    page = Client().get("/" + NOTICES_SLUG + "/")
    html = page.content.decode()

    assert page.status_code == 200
    assert "监督检查结果公示" in html
    links = dict(_links(html))
    assert links["/supervision/inspections/2025/"] == "2025年度社会组织年检结果公告"
    assert links["/supervision/inspections/2024/"] == "2024年度社会组织年检结果公告"
    assert links[f"/supervision/spot-checks/{spot_campaign.pk}/"] == spot_campaign.name
    for url in links:  # each link opens its page
        assert Client().get(url).status_code == 200


def test_a_news_index_other_than_notices_lists_none(cms_site, open_campaign):
    open_campaign(2025)

    html = Client().get("/news/").content.decode()

    assert "supervision-results" not in html


def test_spot_check_list_is_a_site_table_with_its_caption(
    cms_site,
    province_scope,  # noqa: F811
):
    campaign, _orgs, user = province_scope
    spotcheck_campaign_draw(campaign=campaign, user=user)

    html = Client().get(f"/supervision/spot-checks/{campaign.pk}/").content.decode()

    assert '<table class="datatable" data-testid="public-checks">' in html
    assert "<caption>抽查的社会组织及结果</caption>" in html
