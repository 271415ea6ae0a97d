"""The public page cache (cms/page_cache.py): anonymous readers share a stored copy
per language; a change to the data or the pages drops it; logged-in users and the
admin are never served from it."""

from django.test import Client

from cms.selectors import figures


def test_anonymous_readers_share_a_stored_page_without_queries(
    page_cache, cms_site, client, django_assert_num_queries
):
    url = cms_site["statistics"].url
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert not first.cookies  # nothing per-visitor in a shared page

    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "zh-hans"


def test_a_data_change_or_a_publish_drops_the_stored_pages(
    page_cache, cms_site, client, make_organization
):
    home = cms_site["home"].url
    figures.figures_invalidate()
    before = client.get(home).content.decode()
    assert client.get(home)["X-Page-Cache"] == "hit"

    make_organization()  # the registry changed: the home page's figure with it
    response = client.get(home)
    assert response["X-Page-Cache"] == "miss"
    assert response.content.decode() != before

    # That render queued the figures' refresh (run at once here: the immediate task
    # backend), which drops the stored pages again once the figures are new: one
    # more render, then the page is served from the cache.
    assert client.get(home).content.decode() == response.content.decode()
    assert client.get(home)["X-Page-Cache"] == "hit"
    news = cms_site["news"]
    news.title = "工作动态（更新）"
    news.save_revision().publish()
    response = client.get(home)
    assert response["X-Page-Cache"] == "miss"
    assert "工作动态（更新）" in response.content.decode()


def test_each_language_has_its_own_copy(page_cache, cms_site, client):
    url = cms_site["statistics"].url
    chinese = client.get(url).content.decode()
    english_reader = Client()
    english_reader.cookies["django_language"] = "en"
    english = english_reader.get(url)
    assert english["X-Page-Cache"] == "miss"
    assert "Social organizations registered" in english.content.decode()
    assert "Social organizations registered" not in chinese
    assert english_reader.get(url)["X-Page-Cache"] == "hit"
    assert "登记社会组织" in Client().get(url).content.decode()


def test_logged_in_users_and_the_admin_are_never_served_from_the_cache(
    page_cache, cms_site, client, client_for
):
    url = cms_site["home"].url
    editor = client_for("editor")
    for _ in range(2):
        response = editor.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    # The editor's render (with Wagtail's user bar) was not stored for the public.
    public = client.get(url)
    assert public["X-Page-Cache"] == "miss"
    assert "wagtail-userbar" not in public.content.decode()
    for _ in range(2):
        assert "X-Page-Cache" not in editor.get("/admin/")


def test_the_language_switch_works_from_a_shared_page(page_cache, cms_site):
    """The stored page carries no CSRF token, so the switch must not need one."""
    url = cms_site["statistics"].url
    reader = Client(enforce_csrf_checks=True)
    html = reader.get(url).content.decode()
    assert "csrfmiddlewaretoken" not in html
    response = reader.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302
    assert "Social organizations registered" in reader.get(url).content.decode()
