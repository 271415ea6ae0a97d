"""Attacks on routing public pages from the cached site and home-page children
(`cms.selectors.site_tree.site_for_request` / `children`, `HomePage.route`).

Rules: a private or unpublished page is never served publicly; a published edit
shows on the next request; a draft never shows; a bad path gives 404, never 500.
Every test first renders the page (so the tree facts are cached), then changes
the database as an editor, the scheduler or a management command would, then
reads again as an anonymous reader."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

pytestmark = pytest.mark.django_db


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()


def _h1(title):
    return f'<h1 class="page-title">{title}</h1>'


def _gone_or_redirected(client, old, new):
    """A moved page's old path: 404, or Wagtail's automatic redirect to `new` —
    never the page itself served at the old path."""
    response = client.get(old)
    assert response.status_code in (301, 404), response.status_code
    if response.status_code == 301:
        assert response["Location"] == new


def _prime(client, *urls):
    for url in urls:
        assert client.get(url).status_code == 200, url


# --- a section under the home page ---------------------------------------------


def test_a_section_unpublished_is_404_on_the_next_request(client, cms_site):
    _prime(client, "/news/")
    cms_site["news"].unpublish()
    assert client.get("/news/").status_code == 404


def test_a_section_never_published_is_404(client, cms_site):
    from cms.models import NewsIndexPage

    _prime(client, "/")
    draft = NewsIndexPage(title="未发布栏目", slug="hidden", live=False)
    cms_site["home"].add_child(instance=draft)
    assert client.get("/hidden/").status_code == 404
    draft.save_revision()
    assert client.get("/hidden/").status_code == 404


def test_a_section_deleted_is_404_on_the_next_request(client, cms_site):
    _prime(client, "/news/")
    cms_site["news"].delete()
    assert client.get("/news/").status_code == 404


def test_a_section_moved_under_another_is_404_at_its_old_path(client, cms_site):
    _prime(client, "/news/", "/showcase/")
    cms_site["news"].move(cms_site["showcase"], pos="last-child")
    _gone_or_redirected(client, "/news/", "/showcase/news/")
    assert client.get("/showcase/news/").status_code == 200


def test_a_section_renamed_by_publishing_a_new_slug(client, cms_site):
    _prime(client, "/news/")
    news = cms_site["news"]
    news.slug = "updates"
    _publish(news)
    assert client.get("/news/").status_code == 404
    assert client.get("/updates/").status_code == 200


def test_a_section_made_login_only_redirects_anonymous_readers(client, cms_site):
    _prime(client, "/news/")
    restriction = PageViewRestriction.objects.create(
        page=cms_site["news"], restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get("/news/")
    assert response.status_code == 302
    restriction.delete()
    assert client.get("/news/").status_code == 200


def test_a_section_made_private_by_password_does_not_show_its_pages(
    client, cms_site, make_news
):
    article = make_news(title="内部通报标题")
    _prime(client, "/news/", article.url)
    PageViewRestriction.objects.create(
        page=cms_site["news"],
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )
    assert _h1("内部通报标题") not in client.get(article.url).content.decode()
    PageViewRestriction.objects.filter(page=cms_site["news"]).delete()
    assert _h1("内部通报标题") in client.get(article.url).content.decode()


def test_a_section_restricted_to_groups_refuses_anonymous_readers(client, cms_site):
    from django.contrib.auth.models import Group

    _prime(client, "/statistics/")
    restriction = PageViewRestriction.objects.create(
        page=cms_site["statistics"], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="内部"))
    assert client.get("/statistics/").status_code == 302


def test_a_section_draft_never_shows(client, cms_site):
    _prime(client, "/statistics/")
    stats = cms_site["statistics"]
    stats.title = "草稿统计标题"
    stats.save_revision()
    html = client.get("/statistics/").content.decode()
    assert "草稿统计标题" not in html
    assert _h1("数据统计") in html


def test_a_section_published_edit_shows_on_the_next_request(client, cms_site):
    _prime(client, "/statistics/")
    stats = cms_site["statistics"]
    stats.title = "统计数据发布"
    _publish(stats)
    assert _h1("统计数据发布") in client.get("/statistics/").content.decode()


# --- database writes that send no Wagtail signal --------------------------------


def test_a_section_set_not_live_by_a_queryset_update_is_404_once_the_cache_drops(
    client, cms_site
):
    """A data fix with `Page.objects.filter(...).update(live=False)` sends no signal:
    like every stored public page, the routed section follows at the next drop of
    the cache (any publish, or `page_cache_clear`) or after the timeouts — never
    later (`cms.page_cache`)."""
    from cms.page_cache import page_cache_clear

    _prime(client, "/statistics/")
    Page.objects.filter(pk=cms_site["statistics"].pk).update(live=False)
    page_cache_clear()
    assert client.get("/statistics/").status_code == 404


def test_a_section_edited_with_save_shows_on_the_next_request(client, cms_site):
    """A management command edits a live page with `save()` (no revision)."""
    _prime(client, "/statistics/")
    stats = cms_site["statistics"]
    stats.title = "统计数据（更正）"
    stats.save()
    assert _h1("统计数据（更正）") in client.get("/statistics/").content.decode()


def test_a_section_renamed_with_save_is_404_at_its_old_slug(client, cms_site):
    _prime(client, "/statistics/")
    stats = cms_site["statistics"]
    stats.slug = "figures"
    stats.save()
    assert client.get("/figures/").status_code == 200
    assert client.get("/statistics/").status_code == 404


def test_a_section_unpublished_with_save_is_404(client, cms_site):
    _prime(client, "/statistics/")
    stats = cms_site["statistics"]
    stats.live = False
    stats.save()
    assert client.get("/statistics/").status_code == 404


def test_a_section_deleted_in_a_transaction_is_404_after_commit(
    client, cms_site, django_capture_on_commit_callbacks
):
    """Wagtail's admin deletes a page inside `transaction.atomic` (DeleteView), so
    `post_delete` drops the cache before the deletion is committed. Another worker
    reading the tree in that window (it still sees the page) stores the home
    page's children under the *new* generation; unless the generation changes
    again at commit (as `view_restriction_changed` does), the deleted section
    stays routable until the entry expires."""
    from django.core.cache import cache
    from django.db import transaction

    from cms.page_cache import page_cache_generation
    from cms.selectors import site_tree

    home = cms_site["home"]
    _prime(client, "/news/")
    seen_by_another_worker = site_tree.children(home)  # the committed tree
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            cms_site["news"].delete()
            # the other worker stores what it read, under the generation it reads
            cache.set(
                f"cms:site:{page_cache_generation()}:children:{home.path}",
                seen_by_another_worker,
                site_tree.SITE_CACHE_TIMEOUT,
            )
    assert client.get("/news/").status_code == 404


def test_a_section_deleted_by_a_queryset_delete_is_404(client, cms_site):
    _prime(client, "/statistics/")
    Page.objects.filter(pk=cms_site["statistics"].pk).delete()
    assert client.get("/statistics/").status_code == 404


def test_an_alias_of_a_section_follows_its_published_edit(client, cms_site):
    stats = cms_site["statistics"]
    stats.create_alias(parent=cms_site["home"], update_slug="figures-alias")
    _prime(client, "/figures-alias/")
    stats.title = "统计数据新版"
    _publish(stats)
    assert _h1("统计数据新版") in client.get("/figures-alias/").content.decode()


# --- the scheduler ---------------------------------------------------------------


def test_a_section_scheduled_to_go_live_is_served_after_publish_scheduled(
    client, cms_site
):
    from cms.models import NewsIndexPage

    page = NewsIndexPage(title="定时发布栏目", slug="scheduled", live=False)
    cms_site["home"].add_child(instance=page)
    assert client.get("/scheduled/").status_code == 404
    page.save_revision(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get("/scheduled/").status_code == 404  # not yet published
    call_command("publish_scheduled")
    assert client.get("/scheduled/").status_code == 200


def test_a_section_expired_is_404_after_publish_scheduled(client, cms_site):
    _prime(client, "/statistics/")
    Page.objects.filter(pk=cms_site["statistics"].pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("publish_scheduled")
    assert client.get("/statistics/").status_code == 404


# --- a page below a section ------------------------------------------------------


def test_a_showcase_page_unpublished_is_404(client, cms_site, make_showcase):
    page = make_showcase()
    _prime(client, page.url)
    page.unpublish()
    assert client.get(page.url).status_code == 404


def test_a_showcase_page_deleted_is_404(client, cms_site, make_showcase):
    page = make_showcase()
    url = page.url
    _prime(client, url)
    page.delete()
    assert client.get(url).status_code == 404


def test_a_showcase_page_renamed_is_404_at_its_old_path(
    client, cms_site, make_showcase
):
    page = make_showcase()
    old = page.url
    _prime(client, old)
    page.slug = "renamed-organization"
    _publish(page)
    assert client.get(old).status_code == 404
    assert client.get("/showcase/renamed-organization/").status_code == 200


def test_a_showcase_page_draft_never_shows(client, cms_site, make_showcase):
    page = make_showcase(title="阳光社工服务中心")
    _prime(client, page.url)
    page.title = "草稿名称不应公开"
    page.save_revision()
    html = client.get(page.url).content.decode()
    assert "草稿名称不应公开" not in html
    assert _h1("阳光社工服务中心") in html


def test_a_showcase_page_below_a_section_made_private_is_refused(
    client, cms_site, make_showcase
):
    page = make_showcase()
    _prime(client, page.url)
    PageViewRestriction.objects.create(
        page=cms_site["showcase"], restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(page.url).status_code == 302
    assert client.get("/showcase/").status_code == 302


def test_a_showcase_page_made_private_itself_is_refused(
    client, cms_site, make_showcase
):
    page = make_showcase()
    _prime(client, page.url)
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(page.url).status_code == 302


def test_a_showcase_page_set_not_live_by_a_queryset_update_is_404(
    client, cms_site, make_showcase
):
    page = make_showcase()
    _prime(client, page.url)
    Page.objects.filter(pk=page.pk).update(live=False)
    assert client.get(page.url).status_code == 404


def test_a_showcase_page_under_a_moved_section(client, cms_site, make_showcase):
    page = make_showcase()
    old = page.url
    _prime(client, old)
    cms_site["showcase"].move(cms_site["news"], pos="last-child")
    _gone_or_redirected(client, old, f"/news{old}")
    assert client.get(f"/news{old}").status_code == 200


# --- the home page and the site --------------------------------------------------


def test_the_home_page_published_edit_shows_everywhere(client, cms_site):
    _prime(client, "/", "/statistics/")
    home = cms_site["home"].specific
    home.banner_title = "新的横幅标题"
    home.footer_text = "主办：新的主办单位"
    _publish(home)
    assert "新的横幅标题" in client.get("/").content.decode()
    assert "主办：新的主办单位" in client.get("/statistics/").content.decode()


def test_the_home_page_draft_never_shows(client, cms_site):
    _prime(client, "/")
    home = cms_site["home"].specific
    home.footer_text = "草稿页脚"
    home.save_revision()
    assert "草稿页脚" not in client.get("/").content.decode()
    assert "草稿页脚" not in client.get("/news/").content.decode()


def test_the_home_page_unpublished_is_404(client, cms_site):
    _prime(client, "/")
    cms_site["home"].unpublish()
    assert client.get("/").status_code == 404


def test_the_home_page_edited_with_save_shows_on_the_next_request(client, cms_site):
    _prime(client, "/")
    home = cms_site["home"].specific
    home.banner_title = "命令行改的横幅"
    home.save()
    assert "命令行改的横幅" in client.get("/").content.decode()


def test_the_home_page_made_private_refuses_every_page(client, cms_site):
    _prime(client, "/", "/news/")
    PageViewRestriction.objects.create(
        page=cms_site["home"], restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get("/").status_code == 302
    assert client.get("/news/").status_code == 302
    assert client.get("/statistics/").status_code == 302


def test_the_site_root_changed_serves_the_new_root(client, cms_site):
    _prime(client, "/")
    site = Site.objects.get(is_default_site=True)
    site.root_page = cms_site["statistics"]
    site.save()
    assert _h1("数据统计") in client.get("/").content.decode()


def test_the_site_root_changed_by_a_queryset_update_is_served_once_the_cache_drops(
    client, cms_site
):
    """`Site.objects.filter(...).update(...)` sends no signal: the new root is served
    at the next drop of the cache, as for any write that bypasses `save()`."""
    from cms.page_cache import page_cache_clear

    _prime(client, "/")
    Site.objects.filter(is_default_site=True).update(root_page=cms_site["statistics"])
    page_cache_clear()
    assert _h1("数据统计") in client.get("/").content.decode()


def test_a_new_site_for_the_host_serves_its_own_root(client, cms_site):
    _prime(client, "/")
    Site.objects.create(
        hostname="testserver", port=80, root_page=cms_site["statistics"]
    )
    assert _h1("数据统计") in client.get("/").content.decode()


def test_a_site_hostname_changed_away_from_the_host(client, cms_site):
    own = Site.objects.create(
        hostname="testserver", port=80, root_page=cms_site["statistics"]
    )
    assert _h1("数据统计") in client.get("/").content.decode()
    own.hostname = "elsewhere.example"
    own.save()
    assert _h1("数据统计") not in client.get("/").content.decode()


# --- bad paths -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/nope/",
        "/NEWS/",
        "/News/",
        "/news /",
        "/新闻/",
        "/news/%2e%2e/",
        "/news/%2e%2e/statistics/",
        "/news/../statistics/extra/",
        "/statistics/extra/",
        "/statistics/extra/more/",
        "/showcase/no-such-organization/",
        "/showcase/no-such-organization/x/",
        "/news/%00/",
        "/%00/",
        "/portal/",
        "/" + "a/" * 300,
        "/news/" + "x" * 5000 + "/",
    ],
)
def test_a_bad_path_is_404_not_500(client, cms_site, path):
    _prime(client, "/", "/news/")
    assert client.get(path).status_code == 404


def test_trailing_segments_under_a_showcase_page_are_404(
    client, cms_site, make_showcase
):
    page = make_showcase()
    _prime(client, page.url)
    assert client.get(f"{page.url}extra/").status_code == 404


# --- shared cached objects -------------------------------------------------------


def test_an_editors_render_leaks_nothing_into_the_next_anonymous_render(
    client, cms_site, django_user_model
):
    admin = django_user_model.objects.create_superuser(
        "editor", "editor@example.org", "pw"
    )
    client.force_login(admin)
    assert client.get("/news/").status_code == 200
    assert client.get("/").status_code == 200
    client.logout()
    client.cookies.clear()
    for url in ("/", "/news/"):
        html = client.get(url).content.decode()
        assert "wagtail-userbar" not in html
        assert "editor@example.org" not in html


def test_a_request_with_a_query_leaks_nothing_into_the_next(client, cms_site):
    first = client.get("/news/").content.decode()
    client.get("/news/?page=999&tag=<script>x</script>")
    assert client.get("/news/").content.decode() == first
