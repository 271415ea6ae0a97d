"""Attack on the admin search and the choosers' search: LIKE wildcards are
literal characters, a 2,000-character or 50-word query is answered (no 500), an
empty query finds nothing."""

import pytest
from django.urls import reverse

from core import roles

pytestmark = pytest.mark.django_db

SEARCH = reverse("core_admin_search")
ORGANIZATIONS = reverse("wagtailsnippetchoosers_incubator_organization:choose_results")
YIYANG = "湖南省益阳社工服务中心"


def section(html, name):
    start = html.find(f'data-testid="search-section-{name}"')
    if start < 0:
        return ""
    return html[start : html.find("</section>", start)]


@pytest.mark.parametrize("query", ["%", "_", "益阳%", "益_社工", "\\"])
def test_wildcards_match_only_themselves(client_for, make_organization, query):
    make_organization(name=YIYANG)
    manager = client_for(roles.FUND_MANAGER)

    response = manager.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert YIYANG not in section(response.content.decode(), "organizations")

    chooser = manager.get(ORGANIZATIONS, {"q": query})
    assert chooser.status_code == 200
    assert YIYANG not in chooser.content.decode()


@pytest.mark.parametrize(
    ("query", "finds_yiyang"),
    [("益" * 2000, False), (" ".join(["益阳"] * 50), True), ("😀" * 300, False)],
)
def test_huge_queries_are_answered(client_for, make_organization, query, finds_yiyang):
    make_organization(name=YIYANG)
    manager = client_for(roles.FUND_MANAGER)

    response = manager.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert (YIYANG in section(response.content.decode(), "organizations")) is (
        finds_yiyang
    )
    assert manager.get(ORGANIZATIONS, {"q": query}).status_code == 200


def test_an_empty_query_finds_nothing(client_for, make_organization):
    make_organization(name=YIYANG)
    manager = client_for(roles.FUND_MANAGER)
    html = manager.get(SEARCH, {"q": "   "}).content.decode()
    assert YIYANG not in html
