"""The public never sees personal data: every public page type is rendered with
organizations that have a legal representative and contacts, and none of it appears."""

import pytest

from cms.public import PUBLIC_ORGANIZATION_FIELDS
from incubator.models.organizations import PERSONAL_FIELDS
from tests.fixtures.cms import PERSONAL


def test_the_public_allow_list_has_no_personal_field():
    assert set(PERSONAL) == set(PERSONAL_FIELDS)  # the fixture covers every field
    assert not set(PUBLIC_ORGANIZATION_FIELDS) & set(PERSONAL_FIELDS)


@pytest.fixture
def public_pages(
    cms_site,
    organization_mix,
    make_showcase,
    make_news,
    call,
    notice_with_awards,
    make_call_page,
    make_notice_page,
    make_pairing,
    make_project,
    make_report,
    make_story_page,
):
    showcases = [
        make_showcase(org, graduation_year=2016 + n)
        for n, org in enumerate(organization_mix)
    ]
    news = make_news()
    project = make_project(pairing=make_pairing(organization=organization_mix[0]))
    make_report(project, 2023, 1, {"beneficiaries": "30"})
    grant_pages = [
        make_call_page(call),
        make_notice_page(notice_with_awards),
        make_story_page(project),
    ]
    return [
        *grant_pages,
        cms_site["home"],
        cms_site["news"],
        news,
        cms_site["showcase"],
        *showcases,
        cms_site["statistics"],
    ]


def test_no_public_page_shows_personal_data(client, public_pages, organization_mix):
    for org in organization_mix:
        org.refresh_from_db()
        assert org.legal_representative == PERSONAL["legal_representative"]
    seen_types = set()
    for page in public_pages:
        for params in ({}, {"region": "430000", "year": "2023"}):
            response = client.get(page.url, params)
            assert response.status_code == 200
            html = response.content.decode()
            for field, value in PERSONAL.items():
                assert value not in html, f"{field} shown on {page.url}"
            # Nor under another spelling (phone without separators, e-mail user).
            assert "13912345678" not in html.replace(" ", "").replace("-", "")
            assert "private-person" not in html
        seen_types.add(type(page.specific).__name__)
    assert seen_types == {
        "HomePage",
        "NewsIndexPage",
        "NewsPage",
        "OrganizationShowcaseIndexPage",
        "OrganizationShowcasePage",
        "StatisticsPage",
        "CallPage",
        "AwardNoticePage",
        "ProjectStoryPage",
    }


def test_organizations_in_the_showcase_are_the_ones_with_personal_data(
    client, public_pages, organization_mix
):
    """Guard against a vacuous pass: the names of those organizations are shown."""
    html = client.get(public_pages[6].url).content.decode()
    assert organization_mix[0].name in html
