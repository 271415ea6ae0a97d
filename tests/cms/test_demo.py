"""`seed_demo` builds the portal: a site tree with pages of every type, set as the
default site's root, and running it again changes nothing."""

from io import StringIO

from django.core.management import call_command
from wagtail.models import Page, Site

from cms.models import (
    AwardNoticePage,
    CallPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    OrganizationShowcaseIndexPage,
    OrganizationShowcasePage,
    ProjectStoryPage,
    StatisticsPage,
)


def test_seed_demo_builds_the_portal_once(demo, client):
    """The module's demo was seeded once on an empty database; then a second run."""
    counts = {
        m: m.objects.live().count()
        for m in (
            HomePage,
            NewsIndexPage,
            NewsPage,
            OrganizationShowcaseIndexPage,
            OrganizationShowcasePage,
            StatisticsPage,
            CallPage,
            AwardNoticePage,
            ProjectStoryPage,
        )
    }
    assert counts[HomePage] == 1
    assert counts[NewsPage] >= 5
    assert counts[OrganizationShowcasePage] >= 5
    assert all(counts.values())
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    pages_before = Page.objects.count()

    call_command("seed_demo", stdout=StringIO())
    assert Page.objects.count() == pages_before

    # Every demo page renders, and the demo's personal data stays private.
    from incubator.models import Organization

    phones_and_emails = set(
        Organization.objects.exclude(contact_phone="").values_list(
            "contact_phone", flat=True
        )
    ) | set(
        Organization.objects.exclude(contact_email="").values_list(
            "contact_email", flat=True
        )
    )
    people = set(
        Organization.objects.exclude(legal_representative="").values_list(
            "legal_representative", flat=True
        )
    ) | set(
        Organization.objects.exclude(contact_name="").values_list(
            "contact_name", flat=True
        )
    )
    assert phones_and_emails and people
    for page in Page.objects.live().type(*counts).specific():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        for secret in phones_and_emails:
            assert secret not in html, (page.url, secret)
        for name in people:
            # Two-character names may occur inside other words: check whole values.
            assert f">{name}<" not in html, (page.url, name)
    home_html = client.get("/").content.decode()
    assert "社会组织服务公开平台" in home_html


def test_demo_home_shows_graduations_this_year(demo):
    """The demo spreads graduations over the last three years, so the home page's
    "graduated this year" figure is not an empty 0."""
    from cms.selectors.figures import incubation_figures

    assert incubation_figures()["organizations_graduated_this_year"] >= 1
