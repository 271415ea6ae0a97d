"""The public showcase pages load only the columns they show (`_showcase_cards`,
`PUBLIC_FACT_COLUMNS`, the sections' `.only`): no render may read a deferred column
(one query a card or a row), show other text than the full rows would, or show
personal data; and the claimed saving must be real."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext

from core.models import Region
from incubator.choices import PartyOrganization, Rating
from tests.fixtures.cms import PERSONAL

pytestmark = pytest.mark.django_db

D = datetime.date


def _render(client, url):
    """(queries, html) of a render once the tree facts and figures are read."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return ctx.captured_queries, response.content.decode()


def _count(client, url):
    return len(_render(client, url)[0])


def _orphan_county():
    """A county-level division with no parent (a division the registry keeps
    without its prefecture)."""
    return Region.objects.create(code="990101", name="无上级县", level=3, parent=None)


def _regions():
    """Regions at every depth: a county under a prefecture, a district directly
    under a municipality, a prefecture, a province, a county with no parent."""
    return [
        Region.objects.get(code="430111"),  # 湖南省长沙市雨花区
        Region.objects.get(code="110101"),  # 北京市东城区 (under the province)
        Region.objects.get(code="430100"),  # 湖南省长沙市
        Region.objects.get(code="430000"),  # 湖南省
        Region.objects.filter(code="990101").first() or _orphan_county(),
    ]


@pytest.fixture
def varied_showcases(make_organization, make_showcase, service_fields):
    """make(n): n more showcases whose organizations differ in every public fact:
    region depth, founding date or none, rating in force, expired or none, party
    organization, service fields; all carry personal data."""
    serial = iter(range(10**6))
    today = datetime.date.today()

    def make(n):
        pages = []
        regions = _regions()
        fields = list(service_fields.values())
        for _ in range(n):
            i = next(serial)
            extra = {}
            if i % 3 == 0:
                extra.update(rating=Rating.A4, rated_on=today - datetime.timedelta(400))
            elif i % 3 == 1:
                extra.update(rating=Rating.A3, rated_on=D(2015, 6, 1))  # expired
            if i % 2 == 0:
                extra["founded_on"] = D(2010 + i % 10, 3, 1)
            if i % 4 == 0:
                extra["party_organization"] = PartyOrganization.choices[-1][0]
            org = make_organization(
                region=regions[i % len(regions)], **extra, **PERSONAL
            )
            org.service_fields.set(fields[: 1 + i % len(fields)])
            org.save()
            pages.append(make_showcase(org, graduation_year=2015 + i % 3))
        return pages

    return make


# --- 1. no read of a deferred column: queries do not grow with the items ---------


def test_home_cards_read_no_deferred_column(client, cms_site, varied_showcases):
    varied_showcases(5)
    small = _count(client, cms_site["home"].url)
    varied_showcases(9)
    assert _count(client, cms_site["home"].url) == small


INDEX_QUERIES = [
    "",
    "?region=430000",
    "?region=430100",
    "?region=430111",
    "?region=110000",
    "?region=990101",
    "?year=2016",
    "?page=2",
    "?page=999",
    "?region=abc&field=x&year=1800&page=zz",
    "?region=430000&year=2015",
]


def test_index_cards_read_no_deferred_column_whatever_the_filter(
    client, cms_site, varied_showcases, service_fields
):
    varied_showcases(5)  # one in each region: every filter finds one
    field = list(service_fields.values())[0].pk
    urls = [
        cms_site["showcase"].url + q
        for q in [*INDEX_QUERIES, f"?field={field}", f"?field={field}&page=2"]
    ]
    small = {url: _count(client, url) for url in urls}
    varied_showcases(15)  # more than a page of 12
    assert {url: _count(client, url) for url in urls} == small


@pytest.fixture
def sections_for(
    make_base, make_call, make_application, manager, make_pairing, make_project
):
    """add(org, n): n residencies, n awards made (one terminated: its public amount
    is what was paid) and n projects in counties at every depth."""
    from funding.choices import ApplicationStatus
    from funding.models.applications import Application
    from funding.models.awards import Award
    from funding.services.notices import notice_close, notice_publish
    from incubator.models import Residency, Stage, StageTransition

    serial = iter(range(1, 10**6))

    def add(org, n):
        counties = [
            Region.objects.get(code="433127"),  # 湖南省湘西州永顺县
            Region.objects.get(code="110101"),  # 北京市东城区
            Region.objects.filter(code="990101").first() or _orphan_county(),
        ]
        call = make_call()
        for _ in range(n):
            i = next(serial)
            residency = Residency.objects.create(
                organization=org,
                base=make_base(name=f"孵化基地{org.pk}-{i}"),
                stage=Stage.GRADUATED,
                applied_on=D(2020, 1, 1) + datetime.timedelta(i),
                graduated_on=D(2021, 1, 1),
            )
            StageTransition.objects.create(
                residency=residency,
                from_stage="",
                to_stage=Stage.APPLIED,
                moved_on=D(2020, 1, 1),
                note="内部备注",
            )
            app = make_application(
                status=ApplicationStatus.APPROVED,
                call=call,
                organization=org,
                title=f"资助项目{i}",
            )
            Application.objects.filter(pk=app.pk).update(
                approved_amount=Decimal("10000") * i
            )
            make_project(
                pairing=make_pairing(organization=org, county=counties[i % 3]),
                title=f"帮扶项目{i}",
            )
        notice = notice_publish(
            call,
            title=f"立项公示{org.pk}",
            starts_on=D(2023, 6, 5),
            working_days=5,
            objection_contact="省民政厅 0731-00000000",
            user=manager,
        )
        notice_close(notice, user=manager, on=D(2023, 6, 12))
        last = Award.objects.filter(application__organization=org).last()
        Application.objects.filter(pk=last.application_id).update(
            status=ApplicationStatus.TERMINATED
        )
        Award.objects.filter(pk=last.pk).update(
            terminated_on=D(2023, 12, 1), paid_at_termination=Decimal("1234.5")
        )

    return add


def test_showcase_page_reads_no_deferred_column(
    client, cms_site, varied_showcases, sections_for
):
    page = varied_showcases(1)[0]
    sections_for(page.organization, 1)
    small = _count(client, page.url)
    sections_for(page.organization, 9)
    assert _count(client, page.url) == small


def test_showcase_page_of_each_kind_of_organization_reads_no_more(
    client, cms_site, varied_showcases
):
    """Region at each depth, rating expired or not, no founding date: the same
    queries as the pinned count (7, `tests/cms/test_public_site_tree.py`)."""
    pages = varied_showcases(5)
    assert [_count(client, p.url) for p in pages] == [7] * 5


def test_cards_with_cover_images_read_no_more(
    client, cms_site, make_organization, make_showcase, settings, tmp_path
):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = str(tmp_path)

    def add(n):
        for i in range(n):
            image = Image.objects.create(title=f"封面{i}", file=get_test_image_file())
            make_showcase(
                make_organization(**PERSONAL),
                cover_image=image,
                cover_alt="孵化基地开放日",
                graduation_year=2020,
            )

    urls = [cms_site["home"].url, cms_site["showcase"].url]
    add(1)
    small = {url: _count(client, url) for url in urls}
    add(6)
    assert {url: _count(client, url) for url in urls} == small


# --- 2. the same text as the full rows, no personal data --------------------------


def _normalized(html):
    return re.sub(r'nonce="[^"]*"', "", html)


def _without_only(monkeypatch):
    monkeypatch.setattr(QuerySet, "only", lambda self, *fields: self)


def test_pages_show_the_same_html_as_with_full_rows(
    client, cms_site, varied_showcases, sections_for, monkeypatch, service_fields
):
    pages = varied_showcases(14)
    field = list(service_fields.values())[0].pk
    sections_for(pages[0].organization, 4)
    urls = [
        cms_site["home"].url,
        cms_site["showcase"].url,
        cms_site["showcase"].url + "?page=2",
        cms_site["showcase"].url + "?region=110000",
        cms_site["showcase"].url + f"?field={field}",
        *(p.url for p in pages[:5]),
    ]
    shown = {url: _normalized(_render(client, url)[1]) for url in urls}
    with monkeypatch.context() as m:
        _without_only(m)
        full = {}
        for url in urls:
            queries, html = _render(client, url)
            full[url] = _normalized(html)
            if url == pages[0].url:  # the full rows were read
                assert any("contact_phone" in q["sql"] for q in queries)
    for url in urls:
        assert shown[url] == full[url], url


def test_facts_and_sections_show_what_the_data_says(
    client, cms_site, varied_showcases, sections_for
):
    pages = varied_showcases(5)
    sections_for(pages[4].organization, 3)
    html = client.get(pages[4].url).content.decode()
    assert "无上级县" in html  # a region with no parent: its own name
    html = client.get(pages[1].url).content.decode()  # rating expired in 2020
    assert "北京市东城区" in html
    assert Rating.A3.label not in html.split('class="factsheet"', 1)[1]
    html = client.get(pages[4].url).content.decode()
    # projects in a county under a prefecture, a district under a municipality, a
    # county with no parent
    assert "湖南省湘西土家族苗族自治州永顺县" in html
    assert "北京市东城区" in html
    # the terminated award: what was paid
    assert "1,234.50" in html


def test_no_personal_data_on_showcase_pages(
    client, cms_site, varied_showcases, sections_for
):
    pages = varied_showcases(3)
    sections_for(pages[0].organization, 2)
    for url in (cms_site["home"].url, cms_site["showcase"].url, pages[0].url):
        html = client.get(url).content.decode()
        for value in PERSONAL.values():
            assert value not in html
        assert "内部备注" not in html


# --- 3. what the change claims, and Wagtail on the pages loaded with fewer columns -


def _card_query(queries):
    """The listing query of the cards (the showcase pages with their
    organizations), not its count."""
    rows = [
        q["sql"]
        for q in queries
        if "cms_organizationshowcasepage" in q["sql"]
        and "incubator_organization" in q["sql"]
        and "COUNT(" not in q["sql"].upper()
        and "DISTINCT" not in q["sql"].upper()
    ]
    assert rows, [q["sql"] for q in queries]
    return rows[-1]


@pytest.mark.parametrize("which", ["home", "index"])
def test_cards_do_not_read_the_story(client, cms_site, varied_showcases, which):
    """`_showcase_cards` says a card loads the page "without its story": the
    story (the StreamField `story`, a page's largest column) is not read."""
    varied_showcases(2)
    url = cms_site["home"].url if which == "home" else cms_site["showcase"].url
    queries, _html = _render(client, url)
    sql = _card_query(queries)
    assert '"cms_organizationshowcasepage"."story"' not in sql


@pytest.mark.parametrize("which", ["home", "index"])
def test_cards_do_not_read_personal_columns(client, cms_site, varied_showcases, which):
    varied_showcases(2)
    url = cms_site["home"].url if which == "home" else cms_site["showcase"].url
    queries, _html = _render(client, url)
    sql = _card_query(queries)
    for column in ("legal_representative", "contact_phone", "bank_account"):
        assert column not in sql


def test_showcase_page_reads_no_personal_column(client, cms_site, varied_showcases):
    page = varied_showcases(1)[0]
    queries, _html = _render(client, page.url)
    for q in queries:
        for column in ("legal_representative", "contact_phone", "bank_account"):
            assert column not in q["sql"]


def _cards(cms_site, rf):
    from cms.models import OrganizationShowcaseIndexPage

    index = OrganizationShowcaseIndexPage.objects.get(pk=cms_site["showcase"].pk)
    request = rf.get(index.url)
    return list(index.get_context(request)["showcase_page"]), request


def test_card_pages_work_as_wagtail_pages(
    cms_site, varied_showcases, rf, django_assert_max_num_queries
):
    pages = varied_showcases(3)
    cards, request = _cards(cms_site, rf)
    assert {c.pk for c in cards} == {p.pk for p in pages}
    for card in cards:
        full = type(card).objects.get(pk=card.pk)
        assert card.specific is card
        assert card.get_url(request) == full.get_url(request)
        assert card.full_url == full.full_url
        assert str(card) == full.title
        # a deferred column is fetched when asked for, never missing
        assert card.organization.contact_phone == PERSONAL["contact_phone"]
        assert list(card.story) is not None


def test_card_page_search_index_update_keeps_the_content(
    cms_site, varied_showcases, rf
):
    from wagtail.search import index

    pages = varied_showcases(1)
    cards, _request = _cards(cms_site, rf)
    index.insert_or_update_object(cards[0])
    from cms.models import OrganizationShowcasePage

    found = OrganizationShowcasePage.objects.live().search(pages[0].title)
    assert pages[0].pk in [p.pk for p in found]


def test_showcase_preview_and_admin_listing(
    client, admin_client, cms_site, varied_showcases
):
    pages = varied_showcases(2)
    page = pages[0].specific
    response = page.make_preview_request()
    assert response.status_code == 200
    html = response.rendered_content
    assert page.organization.name in html
    for value in PERSONAL.values():
        assert value not in html
    listing = admin_client.get(f"/admin/pages/{cms_site['showcase'].pk}/")
    assert listing.status_code == 200
    assert pages[1].title in listing.content.decode()
    edit = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert edit.status_code == 200


def test_cached_page_is_the_rendered_page(client, cms_site, varied_showcases, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    varied_showcases(3)
    url = cms_site["showcase"].url
    first = client.get(url)
    second = client.get(url)
    assert second.get("X-Page-Cache") == "hit"
    assert _normalized(first.content.decode()) == _normalized(second.content.decode())


def test_an_editor_sees_the_same_showcase_pages_without_personal_data(
    admin_client, cms_site, varied_showcases, sections_for
):
    """Logged in (Wagtail's user bar, no page cache): the pages still render from
    the columns loaded, and still without personal data."""
    pages = varied_showcases(3)
    sections_for(pages[0].organization, 2)
    for url in (cms_site["home"].url, cms_site["showcase"].url, pages[0].url):
        response = admin_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        for value in PERSONAL.values():
            assert value not in html
