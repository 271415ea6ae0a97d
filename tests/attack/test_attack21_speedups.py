"""Attack on the listing and public-page speed-ups (core.viewsets PlainColumn,
StampedTitleColumn, the reversed-once row URLs and per-request permissions,
CappedCountPaginator with fetch_rows, core.filters Select; cms.selectors.site_tree).

Each listing page is drawn twice: with the speed-ups and with Wagtail's own
columns and URL methods; a user must see the same page, for hostile names,
filters, orderings and pages past the end."""

import re

import pytest
from django.test import Client

from core import roles
from core.models import Region
from core.viewsets import CappedCountPaginator
from funding.models import Application
from incubator.models import Organization
from tests.support.listings import page_without_tokens, wagtails_own_listing

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/admin/snippets/incubator/organization/"
APPLICATIONS = "/admin/snippets/funding/application/"

HOSTILE = [
    "<script>alert(1)</script>阳光",
    '阳光"><img src=x onerror=alert(1)>',
    "阳光 &amp; &lt;b&gt;",
    "阳光 {{ request.user }} {% now 'Y' %}",
    "阳光 %s %(title)s %d",
    "阳光 97531864208642 服务中心",
    "阳光 \ue0000\ue001 服务中心",
    "阳光 \ue0001\ue001\ue0002\ue001",
    "\u202e阳光\u202c 服务中心 😀👨‍👩‍👧",
    "阳光" + "长" * 180,
    "阳光\x07\x1b[31m控制",
    "阳光 snippet_1_title",
]


def _named(make_organization, make_application, names):
    orgs = []
    for name in names:
        org = make_organization()
        Organization.objects.filter(pk=org.pk).update(
            name=name, business_supervisor=name
        )
        orgs.append(org)
        app = make_application(organization=org)
        Application.objects.filter(pk=app.pk).update(title=name)
    return orgs


QUERIES = [
    {},
    {"q": "阳光"},
    {"q": "阳光", "ordering": "-name"},
    {"q": "阳光", "ordering": "region"},
    {"q": "阳光", "ordering": "-uscc"},
    {"q": "阳光", "p": 2},
    {"q": "阳光", "p": 99},
    {"q": "阳光", "p": "x"},
    {"q": "没有这样的组织"},
    {"q": '<script>"&'},
    {"q": "阳光", "region": "abc"},
    {"q": "阳光", "region": "99999999"},
    {"ordering": "-title"},
    {"q": "阳光", "call": "1", "status": "submitted"},
    {"q": "阳光", "ordering": "-requested_amount"},
]


@pytest.mark.parametrize(
    "role", [roles.ADMINISTRATOR, roles.FUND_MANAGER, roles.REGISTRAR]
)
def test_hostile_names_draw_the_page_wagtail_draws(
    client_for, make_organization, make_application, make_call, role, monkeypatch
):
    _named(make_organization, make_application, HOSTILE)
    Region.objects.filter(code="430100").update(name="长沙市<b>&amp;\"'")
    call = make_call(name='<script>alert("call")</script>&amp;')
    make_application(title="阳光项目", call=call)
    region = Region.objects.get(code="430100")
    client = client_for(role)

    def pages():
        out = []
        # a registration officer has no applications listing (refused, with a
        # message that would show on the next page)
        paths = (
            (ORGANIZATIONS,)
            if role == roles.REGISTRAR
            else (ORGANIZATIONS, APPLICATIONS)
        )
        for path in paths:
            for params in [
                *QUERIES,
                {"q": "阳光", "region": region.pk},
                {"call": call.pk},
                {"q": "阳光", "call": call.pk, "ordering": "organization"},
            ]:
                response = client.get(path, params)
                out.append(
                    (
                        path,
                        params,
                        response.status_code,
                        page_without_tokens(response.content.decode()),
                    )
                )
        return out

    ours = pages()
    html = "".join(page for *_x, page in ours)
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "<b>&amp;" not in html
    assert '<script>alert("call")' not in html
    wagtails_own_listing(monkeypatch)
    theirs = pages()
    for a, b in zip(ours, theirs, strict=True):
        assert a == b, a[:3]


def test_two_users_one_after_another_see_their_own_buttons(
    client_for, make_organization, make_application
):
    _named(make_organization, make_application, HOSTILE[:3])
    admin = client_for(roles.ADMINISTRATOR)
    manager = client_for(roles.FUND_MANAGER)
    for _ in range(2):
        a = admin.get(ORGANIZATIONS, {"q": "阳光"}).content.decode()
        m = manager.get(ORGANIZATIONS, {"q": "阳光"}).content.decode()
        assert f"{ORGANIZATIONS}delete/" in a
        assert f"{ORGANIZATIONS}delete/" not in m
        assert f"{ORGANIZATIONS}edit/" not in m


def test_a_user_who_loses_a_permission_loses_the_buttons(
    client_for, make_organization, make_application
):
    _named(make_organization, make_application, HOSTILE[:2])
    client = client_for(roles.ADMINISTRATOR)
    assert f"{ORGANIZATIONS}delete/" in client.get(ORGANIZATIONS).content.decode()
    user = client.user
    user.groups.clear()
    user.groups.add(roles.role_group(roles.FUND_MANAGER))
    fresh = Client()
    fresh.force_login(user)
    html = fresh.get(ORGANIZATIONS).content.decode()
    assert f"{ORGANIZATIONS}delete/" not in html


def test_a_section_made_private_by_another_worker_is_refused_with_the_cache_off(
    client, cms_site, make_news, settings
):
    from wagtail.models import PageViewRestriction

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    make_news(title="孵化基地开放日")
    news = cms_site["news"]
    assert client.get(news.url).status_code == 200  # this worker reads the tree

    # another worker (its own in-memory cache, its own signals) restricts the
    # section: here, a write that fires no signal in this process
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=news, restriction_type=PageViewRestriction.LOGIN)]
    )

    response = client.get(news.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert "孵化基地开放日" not in client.get(cms_site["home"].url).content.decode()


def test_the_export_of_a_searched_listing_holds_every_match_past_the_cap(
    client_for, make_organization, monkeypatch
):
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    for n in range(6):
        make_organization(name=f"阳光社工服务中心{n}")
    make_organization(name="长沙市社工服务中心")
    manager = client_for(roles.FUND_MANAGER)

    response = manager.get(ORGANIZATIONS, {"q": "阳光", "export": "csv"})

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [n for n in range(6) if f"阳光社工服务中心{n}" in body] == [0, 1, 2, 3, 4, 5]
    assert "长沙市社工服务中心" not in body
    page = manager.get(ORGANIZATIONS, {"q": "阳光"}).content.decode()
    assert "3+ 社会组织" in page


def _menu(html):
    nav = html.split('id="mainnav-list">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


@pytest.mark.parametrize("seconds", [0, 300])
def test_two_hosts_each_see_their_own_site_and_follow_a_change_of_host(
    client, cms_site, settings, seconds
):
    from wagtail.models import Page, Site

    from cms.models import HomePage, NewsIndexPage

    settings.PUBLIC_PAGE_CACHE_SECONDS = seconds
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    root = Page.get_first_root_node()
    other = root.add_child(
        instance=HomePage(
            title="益阳市社会组织网",
            slug="yiyang",
            banner_title="益阳",
            footer_text="益阳市民政局",
        )
    )
    other.save_revision().publish()
    notices = other.add_child(
        instance=NewsIndexPage(title="益阳动态", slug="yy-news", show_in_menus=True)
    )
    notices.save_revision().publish()
    site = Site.objects.create(hostname="127.0.0.1", port=80, root_page=other)

    def home_title(host):
        response = client.get("/", HTTP_HOST=host)
        assert response.status_code == 200
        html = response.content.decode()
        return re.search(r"<title>([^<]*)</title>", html).group(1).strip(), html

    title, html = home_title("localhost")
    assert "社会组织服务公开平台" in title
    assert _menu(html) == ["首页", "工作动态", "社会组织风采", "数据统计"]
    title, html = home_title("127.0.0.1")
    assert "益阳市社会组织网" in title
    assert _menu(html) == ["首页", "益阳动态"]
    assert client.get("/yy-news/", HTTP_HOST="127.0.0.1").status_code == 200
    assert client.get("/yy-news/", HTTP_HOST="localhost").status_code == 404
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400

    site.hostname = "testserver"
    site.save()

    title, _html = home_title("127.0.0.1")  # now the default site's
    assert "社会组织服务公开平台" in title
    title, _html = home_title("testserver")
    assert "益阳市社会组织网" in title
    assert client.get("/yy-news/", HTTP_HOST="127.0.0.1").status_code == 404

    site.delete()
    title, _html = home_title("testserver")
    assert "社会组织服务公开平台" in title


@pytest.mark.parametrize(
    # orderings without ties: within a tie Wagtail's own order is the database's
    "ordering",
    ["", "name", "-name", "uscc", "-uscc"],
)
def test_search_with_every_filter_and_ordering_pages_as_wagtail(
    client_for, make_organization, service_fields, ordering, monkeypatch
):
    from incubator.choices import CreditStatus

    for n in range(55):
        org = make_organization(name=f"阳光服务中心{n:02d}")
        org.service_fields.set(
            [service_fields["养老"], service_fields["儿童"]][: 1 + n % 2]
        )
    field = service_fields["养老"].pk
    changsha = Region.objects.get(code="430100").pk
    manager = client_for(roles.FUND_MANAGER)
    combos = [
        {"q": "阳光", "service_fields": field},
        {"q": "阳光", "service_fields": field, "region": changsha, "p": 2},
        {"q": "阳光", "credit_status": CreditStatus.values[0], "p": 2},
        {"q": "服务", "service_fields": field, "org_type": "social_service"},
    ]

    def pages():
        return [
            page_without_tokens(
                manager.get(ORGANIZATIONS, {**c, "ordering": ordering}).content.decode()
            )
            for c in combos
        ]

    ours = pages()
    wagtails_own_listing(monkeypatch)
    assert ours == pages()
