"""Attacks on the routing/media/page-cache/restore refactor: `media_urlpatterns()`
(config/urls.py), `SitePage.known_child` + one `SitePage.route`, `page_saved`
heard for every page model, one defined after start-up too (cms/apps.py), and
the bulk restore of the migrations' rows after a transactional test
(tests/conftest.py).

Rules: /media/ serves Wagtail's images and nothing else, never a private file, and
not at all in the production URLconf; routing answers as Wagtail's stock routing;
the public page cache never serves a page as it was before a change a reader sees;
a transactional test leaves the next one exactly the migrations' rows."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve
from wagtail.models import Page, Site

from core.models import Region
from tests.support.serialized_rows import serialized_rows

# --- /media/ -----------------------------------------------------------------


@pytest.fixture
def media_files(settings):
    from django.core.files.storage import default_storage

    settings.ROOT_URLCONF = "tests.support.urls_media"
    default_storage.save("images/ok.png", ContentFile(b"\x89PNG-public"))
    default_storage.save("original_images/orig.jpg", ContentFile(b"JPEG-public"))
    default_storage.save("documents/secret.pdf", ContentFile(b"PDF-SECRET"))
    default_storage.save("imports/secret.xlsx", ContentFile(b"XLSX-SECRET"))
    yield default_storage
    for name in (
        "images/ok.png",
        "original_images/orig.jpg",
        "documents/secret.pdf",
        "imports/secret.xlsx",
    ):
        default_storage.delete(name)


def test_media_serves_the_public_images(db, media_files):
    client = Client()
    response = client.get("/media/images/ok.png")
    assert response.status_code == 200
    assert response.content == b"\x89PNG-public"
    assert response["Content-Type"] == "image/png"
    assert client.get("/media/original_images/orig.jpg").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/documents/secret.pdf",
        "/media/imports/secret.xlsx",
        "/media/images/../documents/secret.pdf",
        "/media/images/%2e%2e/documents/secret.pdf",
        "/media/images/%2E%2E%2Fdocuments%2Fsecret.pdf",
        "/media/images/..%2fdocuments/secret.pdf",
        "/media/images/%252e%252e/documents/secret.pdf",
        "/media/images/..%5cdocuments%5csecret.pdf",
        "/media//documents/secret.pdf",
        "/media/%2fdocuments/secret.pdf",
        "/media/images//../documents/secret.pdf",
        "/media/images/./../documents/secret.pdf",
        "/media/original_images/../../media/documents/secret.pdf",
        "/media/imagesdocuments/secret.pdf",
        "/media/images",
        "/media/images/",
        "/media/",
        "/media/images/ok.png%00",
        "/media/images/ok.png%0a",
    ],
)
def test_media_refuses_every_other_file_and_every_traversal(db, media_files, path):
    response = Client().get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert b"SECRET" not in response.content


def test_media_on_disk_never_reaches_the_private_root(db, settings, tmp_path):
    """The development profile's disk storage: Wagtail documents and private
    files live under PRIVATE_MEDIA_ROOT; none is reachable under /media/, not even
    one whose name starts with a public prefix."""
    public, private = tmp_path / "media", tmp_path / "private"
    (public / "images").mkdir(parents=True)
    (public / "images" / "ok.png").write_bytes(b"PNG-public")
    for name in ("images/secret.png", "documents/secret.pdf", "outcomes/e.pdf"):
        (private / name).parent.mkdir(parents=True, exist_ok=True)
        (private / name).write_bytes(b"SECRET")
    settings.MEDIA_ROOT = str(public)
    settings.PRIVATE_MEDIA_ROOT = str(private)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "core.storage.MediaStorage"},
    }
    settings.ROOT_URLCONF = "tests.support.urls_media"
    client = Client()
    assert client.get("/media/images/ok.png").content == b"PNG-public"
    for path in (
        "/media/images/secret.png",
        "/media/documents/secret.pdf",
        "/media/images/../../private/images/secret.png",
        "/media/images/%2e%2e/%2e%2e/private/documents/secret.pdf",
        f"/media/images/{private}/images/secret.png",
        f"/media/images/..{private}/images/secret.png",
        f"/media/{private}/images/secret.png",
        f"/media//{private}/images/secret.png",
    ):
        response = client.get(path)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert b"SECRET" not in response.content


def test_the_production_urlconf_serves_no_media(db, media_files, settings):
    settings.ROOT_URLCONF = "config.urls"
    from config import urls
    from core.views import public_media

    assert all(
        getattr(p, "callback", None) is not public_media for p in urls.urlpatterns
    )
    for path in ("/media/images/ok.png", "/media/images/"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        assert match.func is not public_media, path
    response = Client().get("/media/images/ok.png")
    assert response.status_code == 404
    assert response.content != b"\x89PNG-public"


# --- routing (known_child / route) --------------------------------------------


def test_a_showcase_page_with_a_unicode_slug_is_routed_exactly(client, make_showcase):
    page = make_showcase(slug="阳光社工")
    assert client.get(page.url).status_code == 200
    assert (
        client.get("/showcase/%E9%98%B3%E5%85%89%E7%A4%BE%E5%B7%A5/").status_code == 200
    )
    assert client.get("/showcase/%E9%98%B3%E5%85%89%E7%A4%BE/").status_code == 404


def test_a_showcase_slug_in_other_case_is_404_as_wagtail_gives(client, make_showcase):
    page = make_showcase(slug="sunshine")
    assert client.get("/showcase/sunshine/").status_code == 200
    assert client.get("/showcase/SunShine/").status_code == 404
    assert client.get("/showcase/sunshine%20/").status_code == 404
    assert client.get("/showcase/sunshine/x/y/").status_code == 404
    assert client.get("/showcase/sunshine;x/").status_code == 404
    assert page.live


def test_a_child_of_another_type_under_the_showcase_index_is_served_as_its_type(
    client, cms_site
):
    """A page of a type the showcase index does not allow (moved there by code):
    `known_child` guesses the showcase type and finds nothing; Wagtail's route then
    serves it as its own class, as stock routing does."""
    from cms.models import StatisticsPage

    odd = StatisticsPage(title="误放的统计页", slug="odd-stats")
    cms_site["showcase"].add_child(instance=odd)
    odd.save_revision().publish()
    response = client.get("/showcase/odd-stats/")
    assert response.status_code == 200
    assert response.context["page"].__class__ is StatisticsPage
    assert "误放的统计页" in response.content.decode()


def test_an_unpublished_child_under_the_showcase_index_is_404(client, make_showcase):
    page = make_showcase(slug="to-hide")
    assert client.get("/showcase/to-hide/").status_code == 200
    page.unpublish()
    assert client.get("/showcase/to-hide/").status_code == 404
    assert client.get("/showcase/to-hide/more/").status_code == 404


def test_each_host_routes_to_its_own_sections(client, cms_site, settings):
    """A second site whose home has a section at the same slug: each host serves
    its own section (the cached children are per home page)."""
    from cms.models import HomePage, NewsIndexPage

    settings.ALLOWED_HOSTS = ["*"]
    assert client.get("/news/").status_code == 200
    other_home = HomePage(title="第二门户", slug="second", banner_title="第二")
    Page.get_first_root_node().add_child(instance=other_home)
    other_home.save_revision().publish()
    other_news = NewsIndexPage(title="第二门户动态", slug="news")
    other_home.add_child(instance=other_news)
    other_news.save_revision().publish()
    Site.objects.create(hostname="second.test", port=80, root_page=other_home)

    first = client.get("/news/")
    second = client.get("/news/", HTTP_HOST="second.test")
    assert first.status_code == second.status_code == 200
    assert "第二门户动态" in second.content.decode()
    assert "第二门户动态" not in first.content.decode()
    assert client.get("/showcase/", HTTP_HOST="second.test").status_code == 404


def test_a_showcase_page_moved_to_another_index_is_served_only_there(
    client, cms_site, make_showcase
):
    from cms.models import OrganizationShowcaseIndexPage

    page = make_showcase(slug="mover")
    other = OrganizationShowcaseIndexPage(title="第二风采", slug="showcase2")
    cms_site["home"].add_child(instance=other)
    other.save_revision().publish()
    assert client.get("/showcase/mover/").status_code == 200
    page.move(other, pos="last-child")
    assert client.get("/showcase2/mover/").status_code == 200
    assert client.get("/showcase/mover/").status_code in (301, 404)


# --- the public page cache after each kind of change ----------------------------


def _stored(url, host=None):
    extra = {"HTTP_HOST": host} if host else {}
    first = Client().get(url, **extra)
    assert first.status_code == 200
    assert Client().get(url, **extra)["X-Page-Cache"] == "hit"
    return first.content.decode()


def test_a_section_saved_through_a_plain_page_instance_drops_the_copy(
    page_cache, cms_site
):
    before = _stored("/news/")
    plain = Page.objects.get(pk=cms_site["news"].pk)  # not specific: sender is Page
    plain.title = "工作动态（普通保存）"
    plain.save()
    after = Client().get("/")
    assert "工作动态（普通保存）" in after.content.decode()
    assert before


def test_a_showcase_page_published_through_a_revision_drops_the_copy(
    page_cache, make_showcase
):
    page = make_showcase(slug="rev", title="修订前")
    assert "修订前" in _stored("/showcase/rev/")
    page.title = "修订后"
    revision = page.save_revision()
    assert "修订前" in Client().get("/showcase/rev/").content.decode()  # a draft
    revision.publish()
    assert "修订后" in Client().get("/showcase/rev/").content.decode()


def test_a_showcase_page_moved_drops_the_copy_at_its_old_path(
    page_cache, cms_site, make_showcase
):
    from cms.models import OrganizationShowcaseIndexPage

    page = make_showcase(slug="moving", title="将要移走")
    other = OrganizationShowcaseIndexPage(title="第二风采", slug="showcase2")
    cms_site["home"].add_child(instance=other)
    other.save_revision().publish()
    _stored("/showcase/moving/")
    _stored("/showcase/")
    page.move(other, pos="last-child")
    old = Client().get("/showcase/moving/")
    assert old.status_code in (301, 404)
    assert "将要移走" not in Client().get("/showcase/").content.decode()


def test_a_showcase_page_deleted_drops_the_copy(page_cache, make_showcase):
    page = make_showcase(slug="doomed", title="将要删除")
    _stored("/showcase/doomed/")
    assert "将要删除" in _stored("/showcase/")
    page.delete()
    assert Client().get("/showcase/doomed/").status_code == 404
    assert "将要删除" not in Client().get("/showcase/").content.decode()


def test_a_showcase_page_unpublished_in_the_admin_drops_the_copy(
    page_cache, make_showcase, client_for
):
    page = make_showcase(slug="admin-off", title="管理员撤下")
    _stored("/showcase/admin-off/")
    administrator = client_for("administrator")
    response = administrator.post(f"/admin/pages/{page.pk}/unpublish/", {})
    assert response.status_code == 302, response.status_code
    assert "/login/" not in response["Location"], response["Location"]
    page.refresh_from_db()
    assert not page.live
    assert Client().get("/showcase/admin-off/").status_code == 404
    assert "管理员撤下" not in Client().get("/showcase/").content.decode()


def test_a_page_saved_with_live_among_draft_fields_drops_the_copy(
    page_cache, make_showcase
):
    page = make_showcase(slug="half-draft", title="半草稿")
    _stored("/showcase/half-draft/")
    plain = Page.objects.get(pk=page.pk)
    plain.live = False
    plain.has_unpublished_changes = True
    plain.save(update_fields=["live", "has_unpublished_changes"])
    assert Client().get("/showcase/half-draft/").status_code == 404


@pytest.fixture
def news_proxy():
    """A page model created after the apps were ready (as a proxy, no table): a
    subclass `get_page_models()` did not list when `cms.apps` connected page_saved.
    Taken out of the app registry and Wagtail's page models afterwards."""
    from django.apps import apps
    from wagtail.models import pages

    from cms.models import NewsIndexPage

    class LateNewsIndexProxy(NewsIndexPage):
        parent_page_types = []
        is_creatable = False

        class Meta:
            proxy = True
            app_label = "cms"

    yield LateNewsIndexProxy
    if LateNewsIndexProxy in pages.PAGE_MODEL_CLASSES:
        pages.PAGE_MODEL_CLASSES.remove(LateNewsIndexProxy)
    apps.all_models["cms"].pop("latenewsindexproxy", None)
    apps.clear_cache()


def test_a_page_saved_through_a_model_made_after_ready_drops_the_copy(
    page_cache, cms_site, news_proxy
):
    """A page model defined after start-up (here a proxy of the news index) drops
    the stored pages when one of its pages is saved, as the models known at ready()
    do."""
    assert "工作动态" in _stored("/")
    section = news_proxy.objects.get(pk=cms_site["news"].pk)
    section.title = "迟到的代理保存"
    section.save()
    assert "迟到的代理保存" in Client().get("/").content.decode()


# --- the restore of the migrations' rows after a transactional test -------------


def _rows():
    return serialized_rows()


def _expected():
    return serialized_rows(connection._test_serialized_contents)


def _vandalize():
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale

    group = Group.objects.order_by("pk").first()
    group.name = f"{group.name}（改名）"
    group.save()
    Group.objects.order_by("pk").last().permissions.clear()
    leaf = Region.objects.filter(children__isnull=True).order_by("pk").first()
    leaf.delete()
    Site.objects.all().delete()
    for page in Page.objects.filter(depth=2):
        page.delete()
    Page.objects.filter(depth=1).update(title="被改的根")
    Locale.objects.exclude(pk=Locale.objects.order_by("pk").first().pk).delete()
    Collection.objects.filter(depth=1).update(name="改名的集合")
    Permission.objects.filter(codename__startswith="view_").delete()
    ContentType.objects.filter(app_label="core", model="region").delete()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_1_a_transactional_test_vandalizes_the_migrations_rows():
    assert _rows() == _expected()
    _vandalize()
    assert _rows() != _expected()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_2_the_next_transactional_test_sees_exactly_the_migrations_rows():
    from django.contrib.contenttypes.models import ContentType

    assert _rows() == _expected()
    assert Site.objects.filter(is_default_site=True).exists()
    assert Page.get_first_root_node().title != "被改的根"
    assert not Group.objects.filter(name__endswith="（改名）").exists()
    assert all(g.permissions.exists() for g in Group.objects.all())
    assert ContentType.objects.get_for_model(Region).model == "region"
    # the rows a transactional test writes get fresh ids, above the restored ones
    clone = Region.objects.create(
        code="990000", name="测试省", level=Region.Level.PROVINCE
    )
    assert clone.pk > Region.objects.exclude(pk=clone.pk).order_by("-pk")[0].pk
    group = Group.objects.create(name="新角色（事务测试）")
    assert group.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_3_a_vandalized_database_restored_in_place_gives_the_same_rows():
    """The in-place path (rows still there, some changed, some missing)."""
    _vandalize()
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    rows = _rows()
    expected = _expected()
    missing = expected.keys() - rows.keys()
    assert not missing, sorted(missing)[:5]
    changed = [k for k in expected if rows[k] != expected[k]]
    assert not changed, changed[:5]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_4_a_page_tree_and_cache_from_a_transactional_test_do_not_leak(
    settings, cms_site
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    assert Client().get("/news/").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_5_after_a_site_was_built_the_next_test_has_only_the_root(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    assert _rows() == _expected()
    assert not Page.objects.filter(slug="news").exists()
    assert Client().get("/news/").status_code == 404


# --- the PostgreSQL test settings ---------------------------------------------


def test_the_postgresql_test_settings_keep_the_database_urls_own_options():
    """`synchronous_commit=off` is added to what DATABASE_URL asked for (a search
    path, a statement timeout), not put in its place."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://u:p@localhost:5432/db"
        "?options=-c%20search_path%3Dtenant&sslmode=require",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings.test as s;"
            "print(s.DATABASES['default']['OPTIONS']['options'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "synchronous_commit=off" in out
    assert "search_path=tenant" in out, out
