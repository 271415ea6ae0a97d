"""The tree facts a public page reads once per change of the site (menu, sections,
breadcrumb, private sections, routing, showcase filters, the site of a host:
`cms.selectors.site_tree`) follow every change on the very next render, and a
page renders with the same number of queries whatever the data size.
Rule: cms/selectors/site_tree.py, keyed by cms/page_cache.py's generation."""

import re

import pytest
from wagtail.models import PageViewRestriction, Site

pytestmark = pytest.mark.django_db


def _menu(html):
    """The titles in the main navigation, in order."""
    nav = html.split('id="mainnav-list">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


def _breadcrumb(html):
    crumbs = html.split('class="breadcrumb', 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", crumbs)


def _options(html, name):
    select = html.split(f'<select name="{name}">', 1)[1].split("</select>", 1)[0]
    return [
        o.strip("　") for o in re.findall(r"<option [^>]*>([^<]*)</option>", select)
    ]


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()


def test_a_section_published_joins_the_menu_and_is_served(client, cms_site):
    from cms.models import NewsIndexPage

    home = cms_site["home"]
    assert _menu(client.get(home.url).content.decode()) == [
        "首页",
        "工作动态",
        "社会组织风采",
        "数据统计",
    ]
    policy = NewsIndexPage(title="政策法规", slug="policy", show_in_menus=True)
    home.add_child(instance=policy)
    _publish(policy)

    assert _menu(client.get(home.url).content.decode()) == [
        "首页",
        "工作动态",
        "社会组织风采",
        "数据统计",
        "政策法规",
    ]
    response = client.get("/policy/")
    assert response.status_code == 200
    assert '<h1 class="page-title">政策法规</h1>' in response.content.decode()


def test_a_section_renamed_shows_its_new_title_in_menu_and_breadcrumb(
    client, cms_site, make_showcase
):
    showcase = make_showcase()
    html = client.get(showcase.url).content.decode()
    assert _breadcrumb(html) == ["社会组织服务公开平台", "社会组织风采"]

    index = cms_site["showcase"]
    index.title = "优秀社会组织"
    _publish(index)

    html = client.get(showcase.url).content.decode()
    assert _breadcrumb(html) == ["社会组织服务公开平台", "优秀社会组织"]
    assert _menu(html) == ["首页", "工作动态", "优秀社会组织", "数据统计"]


def test_the_home_page_and_a_section_served_from_the_tree_show_their_edits(
    client, cms_site
):
    """Routing takes the home page and its sections from the tree facts, not the
    database: what an editor publishes on either shows on the next render."""
    index = cms_site["showcase"]
    assert "孵化成果展示" not in client.get(index.url).content.decode()

    index.intro = "<p>孵化成果展示</p>"
    _publish(index)
    home = cms_site["home"]
    home.title = "湖南省社会组织服务平台"
    _publish(home)

    html = client.get(index.url).content.decode()
    assert "孵化成果展示" in html
    assert '<span class="brand__name">湖南省社会组织服务平台</span>' in html
    assert "<title>首页 - 湖南省社会组织服务平台</title>" in (
        client.get(home.url).content.decode()
    )


def test_a_section_unpublished_leaves_the_menu_and_is_no_longer_served(
    client, cms_site
):
    statistics = cms_site["statistics"]
    assert client.get(statistics.url).status_code == 200
    statistics.unpublish()

    assert _menu(client.get(cms_site["home"].url).content.decode()) == [
        "首页",
        "工作动态",
        "社会组织风采",
    ]
    assert client.get("/statistics/").status_code == 404


def test_a_section_made_private_leaves_the_menu_and_asks_for_a_login(
    client, cms_site, make_news
):
    make_news(title="孵化基地开放日")
    home = cms_site["home"]
    html = client.get(home.url).content.decode()
    assert "孵化基地开放日" in html
    assert client.get(cms_site["news"].url).status_code == 200

    PageViewRestriction.objects.create(
        page=cms_site["news"], restriction_type=PageViewRestriction.LOGIN
    )

    html = client.get(home.url).content.decode()
    assert _menu(html) == ["首页", "社会组织风采", "数据统计"]
    assert "孵化基地开放日" not in html
    response = client.get(cms_site["news"].url)
    assert response.status_code == 302
    assert "login" in response["Location"]

    PageViewRestriction.objects.all().delete()
    html = client.get(home.url).content.decode()
    assert _menu(html) == ["首页", "工作动态", "社会组织风采", "数据统计"]
    assert "孵化基地开放日" in html


def test_the_showcase_filters_follow_a_new_showcase_and_a_renamed_field(
    client, cms_site, make_organization, make_showcase, service_fields
):
    first = make_organization(name="长沙社工服务中心")
    first.service_fields.set([service_fields["养老"]])
    first.save()  # a parental many-to-many: written on save
    make_showcase(first, graduation_year=2021)
    url = cms_site["showcase"].url
    html = client.get(url).content.decode()
    assert _options(html, "year") == ["全部年度", "2021"]
    assert _options(html, "field")[1:] == ["养老"]

    second = make_organization(name="株洲儿童关爱协会")
    second.service_fields.set([service_fields["儿童"]])
    second.save()
    make_showcase(second, graduation_year=2019)
    html = client.get(url).content.decode()
    assert _options(html, "year")[1:] == ["2021", "2019"]
    assert sorted(_options(html, "field")[1:]) == sorted(["养老", "儿童"])

    field = service_fields["养老"]
    field.name = "为老服务"
    field.save()
    html = client.get(url).content.decode()
    assert sorted(_options(html, "field")[1:]) == sorted(["为老服务", "儿童"])


def test_a_site_given_another_root_page_serves_it_on_the_next_request(client, cms_site):
    assert '<h1 class="banner__title">培育发展社会组织</h1>' in (
        client.get("/").content.decode()
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = cms_site["news"]
    site.save()

    response = client.get("/")
    assert response.status_code == 200
    assert '<h1 class="page-title">工作动态</h1>' in response.content.decode()


def _add_showcases_and_news(n, make_organization, make_showcase, make_news):
    for i in range(n):
        make_showcase(make_organization(), graduation_year=2010 + i % 12)
        make_news(title=f"动态{i}")


# Queries of a render once the figures and the site's tree facts are read (after a
# change they are read again: a fixed number more). The site of the host with its
# home page, the home page's sections (routing), the page's ancestors and the menu
# come from the cache.
PAGE_QUERIES = {
    # each page also reads the private sections once (never cached: access)
    # the latest news; the showcases (this site has no 公示公告 or 申报通知 index:
    # no announcement lines)
    "home": 3,
    # the count and the page of showcases (a card shows the organization's name
    # and region: no service fields)
    "showcase index": 3,
    # the page by its type under its section; the organization with its service
    # fields (2); the residencies (none: their moves are not read), the awards,
    # the projects
    "showcase page": 7,
    # nothing but the private sections: its figures are cached
    "statistics": 1,
}


def test_a_page_renders_with_the_same_queries_whatever_the_data_size(
    client,
    cms_site,
    make_organization,
    make_showcase,
    make_news,
    django_assert_num_queries,
):
    _add_showcases_and_news(2, make_organization, make_showcase, make_news)
    showcase = cms_site["showcase"].get_children().first()
    pages = {
        "home": cms_site["home"].url,
        "showcase index": cms_site["showcase"].url,
        "showcase page": showcase.url,
        "statistics": cms_site["statistics"].url,
    }
    for size in ("small", "large"):
        if size == "large":
            _add_showcases_and_news(13, make_organization, make_showcase, make_news)
        for name, url in pages.items():
            client.get(url)  # the figures and the tree facts read after the change
            with django_assert_num_queries(PAGE_QUERIES[name]):
                assert client.get(url).status_code == 200


def test_the_showcase_filters_follow_a_showcased_organization_only(
    client, cms_site, make_organization, make_showcase
):
    """The showcase filters list the regions of showcased organizations. A change
    to an organization without a showcase (most of a registry) keeps them — the
    index renders without reading them again; moving a showcased organization to
    another province shows that province at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import Region

    showcased = make_organization()
    make_showcase(showcased)
    index = cms_site["showcase"].url
    assert "北京市" not in client.get(index).content.decode()

    make_organization()  # no showcase
    client.get(index)  # the figures' refresh after the change
    with CaptureQueriesContext(connection) as queries:
        assert client.get(index).status_code == 200
    assert not [q for q in queries if "incubator_servicefield" in q["sql"]]

    showcased.region = Region.objects.get(code="110101")  # 北京市东城区
    showcased.save()
    page = client.get(index).content.decode()
    assert re.search(r"<option[^>]*>\s*北京市\s*</option>", page)
