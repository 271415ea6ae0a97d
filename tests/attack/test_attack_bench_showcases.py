"""Attacks on the bench's showcase pages placed in the tree in bulk
(`bench.generate.showcase_pages_add`: treebeard path steps computed by hand, the
index's child count moved once).

As first written (e68172b) the pages were saved with `Page.save(clean=False)`,
without a revision and first published on the graduation day; this attack found
seven faults in that: an empty draft title (the link chooser named the page ""),
no date in the explorer's 已更新 column, a history with no publication, a second
editor's save silently overwriting the first's draft and no "newer version"
warning (no revision to compare), a path step past treebeard's last (ZZZZ), and a
slug taken by a child of another type not seen. Each page is now saved and
published by Wagtail itself, every slug among the index's children is checked,
and the last step raises treebeard's `PathOverflow`; the tests below were the
faults' `xfail`s.

Attacked: the tree (gaps, a deleted last child, a high last step, a child of
another kind, two indexes, Wagtail's add / copy / move / delete / unpublish
afterwards), the public site (routing, listings and their order, the page
cache, the filters, escaping), the admin as an editor and an administrator
(explorer, history, status panel, link chooser, search, edit and publish), the
arguments (a missing graduation date) and `bench_generate` at a tiny scale."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from treebeard.exceptions import PathOverflow
from wagtail.models import Page, PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from bench.generate import showcase_pages_add
from cms.models import OrganizationShowcaseIndexPage, OrganizationShowcasePage
from core import roles
from tests.fixtures.cms import _publish

pytestmark = pytest.mark.django_db

GRADUATED = datetime.date(2024, 6, 1)


def _add(index, *orgs, on=GRADUATED):
    return showcase_pages_add(index, [(o.pk, o.name, on) for o in orgs])


def _fresh(page):
    return Page.objects.get(pk=page.pk).specific


def _problems():
    return [p for p in Page.find_problems() if p]


def _steps(index):
    index = Page.objects.get(pk=index.pk)
    return [p.path[len(index.path) :] for p in index.get_children()]


def _text(html):
    html = re.sub(r"<(script|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _bulk(cms_site, make_organization, name="益阳市赫山区出壳社工服务中心"):
    org = make_organization(name=name)
    assert _add(cms_site["showcase"], org) == 1
    return org, OrganizationShowcasePage.objects.get(organization=org)


# ------------------------------------------------------------------ the tree


def test_paths_continue_after_a_gap_and_a_deleted_last_child(
    cms_site, make_showcase, make_organization
):
    index = cms_site["showcase"]
    first, middle, last = (make_showcase() for _ in range(3))
    middle.delete()
    last.delete()
    assert _steps(index) == ["0001"]
    orgs = [make_organization() for _ in range(2)]
    assert _add(index, *orgs) == 2
    # treebeard's next steps after the last child left (the deleted one's reused)
    assert _steps(index) == ["0001", "0002", "0003"]
    assert _fresh(index).numchild == 3
    assert _problems() == []
    later = _fresh(index).add_child(
        instance=OrganizationShowcasePage(
            title="后加风采", slug="later", organization=orgs[0]
        )
    )
    assert later.path.endswith("0004")
    assert _fresh(index).numchild == 4
    assert _problems() == []


def test_deleted_bulk_page_added_again(cms_site, make_organization):
    index = cms_site["showcase"]
    orgs = [make_organization() for _ in range(3)]
    assert _add(index, *orgs) == 3
    OrganizationShowcasePage.objects.get(organization=orgs[1]).delete()
    assert _fresh(index).numchild == 2
    # only the deleted one comes back, after the last child
    assert _add(index, *orgs) == 1
    assert _steps(index) == ["0001", "0003", "0004"]
    assert _fresh(index).numchild == 3
    assert _problems() == []
    assert sorted(
        OrganizationShowcasePage.objects.values_list("organization_id", flat=True)
    ) == sorted(o.pk for o in orgs)


def test_in_memory_index_stays_usable_for_treebeard(cms_site, make_organization):
    """The index passed in is the one the caller keeps: its child count is moved
    in memory too, so treebeard's add_child (which trusts it) places the next
    child after the bulk pages instead of on the first step."""
    index = cms_site["showcase"]
    org = make_organization()
    _add(index, org)
    assert index.numchild == 1
    later = index.add_child(
        instance=OrganizationShowcasePage(title="后加", slug="later", organization=org)
    )
    assert later.path.endswith("0002")
    assert _problems() == []


def test_high_last_step_overflows_cleanly(cms_site, make_showcase, make_organization):
    index = cms_site["showcase"]
    high = make_showcase()
    Page.objects.filter(pk=high.pk).update(path=f"{index.path}ZZZY")
    orgs = [make_organization() for _ in range(2)]
    with pytest.raises(PathOverflow):
        _add(index, *orgs)  # ZZZZ is the last step: the second has none
    assert not OrganizationShowcasePage.objects.filter(organization__in=orgs).exists()
    assert all(len(step) == 4 for step in _steps(index))
    assert _problems() == []


def test_slug_taken_by_a_child_of_another_kind(cms_site, make_organization):
    index = cms_site["showcase"]
    org = make_organization()
    index.add_child(instance=Page(title="占位", slug=f"bench-organization-{org.pk}"))
    _add(index, org)
    slugs = list(Page.objects.child_of(index).values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))


def test_two_indexes_each_get_their_own_pages(cms_site, make_organization):
    home = cms_site["home"]
    other = _publish(
        home, OrganizationShowcaseIndexPage(title="市级风采", slug="city-showcase")
    )
    org = make_organization()
    assert _add(cms_site["showcase"], org) == 1
    assert _add(other, org) == 1
    assert _add(_fresh(other), org) == 0
    url_paths = sorted(
        OrganizationShowcasePage.objects.filter(organization=org).values_list(
            "url_path", flat=True
        )
    )
    assert url_paths == [
        f"/portal/city-showcase/bench-organization-{org.pk}/",
        f"/portal/showcase/bench-organization-{org.pk}/",
    ]
    assert _fresh(other).numchild == 1
    assert _fresh(cms_site["showcase"]).numchild == 1
    assert _problems() == []


def test_wagtail_copy_move_unpublish_delete_afterwards(cms_site, make_organization):
    index = cms_site["showcase"]
    orgs = [make_organization() for _ in range(3)]
    _add(index, *orgs)
    first, second, third = (
        OrganizationShowcasePage.objects.get(organization=o) for o in orgs
    )
    copy = first.copy(
        to=_fresh(index), update_attrs={"slug": "copied", "title": "复制的风采"}
    )
    assert copy.path.endswith("0004") and copy.live
    assert _fresh(index).numchild == 4
    other = _publish(
        cms_site["home"], OrganizationShowcaseIndexPage(title="市级风采", slug="city")
    )
    _fresh(second).move(_fresh(other), pos="last-child")
    assert _fresh(second).url_path == f"/portal/city/bench-organization-{orgs[1].pk}/"
    assert _fresh(index).numchild == 3 and _fresh(other).numchild == 1
    _fresh(third).unpublish()
    assert not _fresh(third).live
    _fresh(first).delete()
    assert _fresh(index).numchild == 2
    assert _problems() == []
    # the index itself deleted with what it holds
    _fresh(index).delete()
    assert not OrganizationShowcasePage.objects.filter(
        organization__in=[orgs[0], orgs[2]]
    ).exists()
    assert _fresh(cms_site["home"]).numchild == 3  # news, statistics, city
    assert _problems() == []


# ------------------------------------------------------------- public site


def test_reader_gets_the_page_at_its_url(client, cms_site, make_organization):
    org, page = _bulk(cms_site, make_organization)
    response = client.get(f"/showcase/bench-organization-{org.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert org.name in html
    assert "孵化出壳后承接政府购买服务和公益金项目" in html
    assert page.url == f"/showcase/bench-organization-{org.pk}/"
    assert page.first_published_at == page.last_published_at
    assert page.live_revision_id == page.latest_revision_id is not None
    assert page.draft_title == page.title == org.name
    assert page.graduation_year == 2024
    assert page.live and not page.has_unpublished_changes and not page.expired
    assert page.locale_id is not None and page.translation_key is not None


def test_name_with_markup_is_escaped(client, cms_site, make_organization):
    name = "<b>阳光</b>&\"公益\"'中心'<script>alert(1)</script>"
    org, page = _bulk(cms_site, make_organization, name=name)
    assert page.title == name
    for url in (f"/showcase/bench-organization-{org.pk}/", "/showcase/", "/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html, url
        assert "&lt;b&gt;阳光&lt;/b&gt;" in html, url


def test_listings_order_and_filters(client, cms_site, make_organization, make_showcase):
    """The home page's cards by first publication (newest first): the bulk pages
    in the reverse of the order they were added, after them a page an editor
    published before; the index by year of graduation, then title."""
    published_today = make_showcase(title="今日发布风采", graduation_year=2020)
    a = make_organization(name="甲出壳中心")
    b = make_organization(name="乙出壳中心")
    c = make_organization(name="丙出壳中心")
    showcase_pages_add(
        cms_site["showcase"],
        [
            (a.pk, a.name, datetime.date(2023, 3, 1)),
            (b.pk, b.name, datetime.date(2025, 11, 30)),
            (c.pk, c.name, datetime.date(2024, 7, 15)),
        ],
    )
    home = client.get("/").content.decode()
    found = [
        t
        for t in re.findall(r'class="card__title">([^<]+)<', home)
        if "风采" in t or "出壳" in t
    ]
    assert found == ["丙出壳中心", "乙出壳中心", "甲出壳中心", "今日发布风采"]
    index = client.get("/showcase/").content.decode()
    titles = re.findall(r'class="card__title">([^<]+)<', index)
    assert titles == ["乙出壳中心", "丙出壳中心", "甲出壳中心", "今日发布风采"]
    only_2024 = client.get("/showcase/", {"year": 2024}).content.decode()
    assert re.findall(r'class="card__title">([^<]+)<', only_2024) == ["丙出壳中心"]
    assert published_today.live


def test_page_cache_and_filter_choices_not_stale(
    client, cms_site, make_organization, page_cache
):
    first = client.get("/showcase/")
    assert first.status_code == 200
    client.get("/")
    assert client.get("/showcase/")["X-Page-Cache"] == "hit"
    org, _page = _bulk(cms_site, make_organization)
    listed = client.get("/showcase/")
    assert listed.get("X-Page-Cache") == "miss"
    html = listed.content.decode()
    assert org.name in html
    assert 'value="2024"' in html  # the year filter offers the new year
    assert org.name in client.get("/").content.decode()
    shown = client.get(f"/showcase/bench-organization-{org.pk}/")
    assert shown.status_code == 200 and org.name in shown.content.decode()


def test_first_publication_is_the_moment_of_publishing(cms_site, make_organization):
    """Wagtail's publication sets both dates to the moment it runs, whatever the
    graduation day."""
    org = make_organization()
    before = timezone.now()
    _add(cms_site["showcase"], org, on=datetime.date(2025, 1, 1))
    page = OrganizationShowcasePage.objects.get(organization=org)
    assert before <= page.first_published_at <= timezone.now()
    assert page.graduation_year == 2025


# ---------------------------------------------------------------- the admin


def test_link_chooser_names_the_page(cms_site, make_organization, client_for):
    org, page = _bulk(cms_site, make_organization)
    editor = client_for(roles.EDITOR)
    response = editor.post(
        reverse("wagtailadmin_choose_page_external_link"),
        {
            "external-link-chooser-url": f"http://localhost/showcase/{page.slug}/",
            "external-link-chooser-link_text": "",
        },
    )
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["id"] == page.pk
    assert result["adminTitle"] == org.name


def test_link_chooser_names_a_page_published_normally(
    cms_site, make_showcase, client_for
):
    page = make_showcase(title="普通发布的风采")
    editor = client_for(roles.EDITOR)
    response = editor.post(
        reverse("wagtailadmin_choose_page_external_link"),
        {
            "external-link-chooser-url": f"http://localhost/showcase/{page.slug}/",
            "external-link-chooser-link_text": "",
        },
    )
    assert response.json()["result"]["adminTitle"] == "普通发布的风采"


def _explorer_row(html, page):
    start = html.rfind("<tr", 0, html.find(f'id="page_{page.pk}_title"'))
    return html[start : html.find("</tr>", start)]


def test_explorer_shows_when_the_page_was_updated(
    cms_site, make_organization, client_for
):
    _org, page = _bulk(cms_site, make_organization)
    editor = client_for(roles.EDITOR)
    html = editor.get(
        reverse("wagtailadmin_explore", args=[cms_site["showcase"].pk])
    ).content.decode()
    row = _explorer_row(html, page)
    assert "已发布" in _text(row)
    assert "w-human-readable-date" in row


def test_history_shows_the_publication(cms_site, make_organization, client_for):
    _org, page = _bulk(cms_site, make_organization)
    editor = client_for(roles.EDITOR)
    history = _text(
        editor.get(
            reverse("wagtailadmin_pages:history", args=[page.pk])
        ).content.decode()
    )
    assert "新建" in history
    assert "当前草稿" not in history
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").exists()


def test_the_history_holds_creation_and_publication_by_the_system(
    cms_site, make_organization, client_for
):
    """A 'wagtail.create' and a 'wagtail.publish' entry, by no user (the bench),
    the page editable and its history readable by an editor."""
    _org, page = _bulk(cms_site, make_organization)
    assert sorted(
        PageLogEntry.objects.filter(page=page).values_list("action", "user_id")
    ) == [("wagtail.create", None), ("wagtail.publish", None)]
    editor = client_for(roles.EDITOR)
    assert (
        editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code
        == 200
    )
    assert (
        editor.get(reverse("wagtailadmin_pages:history", args=[page.pk])).status_code
        == 200
    )


def test_admin_search_finds_the_page(cms_site, make_organization, client_for):
    """Indexed by Page.save's signal as a page published normally (the database
    backend matches whole words: the full name, not a part of it)."""
    org, page = _bulk(cms_site, make_organization, name="湘潭市雨湖区向阳社工中心")
    editor = client_for(roles.EDITOR)
    response = editor.get(reverse("wagtailadmin_pages:search"), {"q": org.name})
    assert response.status_code == 200
    assert f'id="page_{page.pk}_title"' in response.content.decode()


def _showcase_form(page, action, title):
    return nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "organization": page.organization_id,
            "graduation_year": page.graduation_year,
            "summary": page.summary,
            "cover_alt": "",
            "story": streamfield([]),
            "comments": inline_formset([]),
            f"action-{action}": "1",
        }
    )


def test_editor_draft_then_administrator_publishes(
    client, cms_site, make_organization, client_for
):
    org, page = _bulk(cms_site, make_organization)
    first_published = page.first_published_at
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    editor = client_for(roles.EDITOR)
    saved = editor.post(url, _showcase_form(page, "save", "编辑改过的标题"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    page = _fresh(page)
    assert page.has_unpublished_changes and page.live
    assert page.draft_title == "编辑改过的标题" and page.title == org.name
    public = f"/showcase/bench-organization-{org.pk}/"
    assert org.name in client.get(public).content.decode()
    assert (
        editor.get(
            reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
        ).status_code
        == 200
    )

    admin = client_for(roles.ADMINISTRATOR)
    published = admin.post(url, _showcase_form(page, "publish", "编辑改过的标题"))
    assert published.status_code == 302, published.content.decode()[:2000]
    page = _fresh(page)
    assert page.title == "编辑改过的标题" and not page.has_unpublished_changes
    assert page.live_revision_id == page.latest_revision_id is not None
    # first publication kept (to the millisecond the revision's JSON keeps, as
    # for any page Wagtail publishes), last publication now
    kept = page.first_published_at - first_published
    assert abs(kept) < datetime.timedelta(milliseconds=1)
    assert page.last_published_at > timezone.now() - datetime.timedelta(minutes=5)
    assert "编辑改过的标题" in client.get(public).content.decode()
    assert _problems() == []

    unpublish = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
    assert admin.post(unpublish).status_code == 302
    assert not _fresh(page).live
    assert client.get(public).status_code == 404
    delete = reverse("wagtailadmin_pages:delete", args=[page.pk])
    assert admin.post(delete).status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()
    assert _fresh(cms_site["showcase"]).numchild == 0
    assert _problems() == []


# --------------------------------------------------------- arguments, bench


def test_missing_graduation_date_adds_nothing(cms_site, make_organization):
    """A graduated residency without its date (the registry allows it) stops the
    whole call: an AttributeError (no year), every page of the call rolled back,
    the child count untouched. The bench's generator always writes the date of a
    graduation."""
    index = cms_site["showcase"]
    a, b = make_organization(), make_organization()
    with pytest.raises(AttributeError):
        showcase_pages_add(index, [(a.pk, a.name, GRADUATED), (b.pk, b.name, None)])
    assert not OrganizationShowcasePage.objects.exists()
    assert _fresh(index).numchild == 0


def test_bench_generate_tiny_scale(settings):
    from incubator.models import Residency

    settings.BENCH = True
    call_command("bench_generate", scale=0.002, seed=7, stdout=open("/dev/null", "w"))
    pages = list(OrganizationShowcasePage.objects.order_by("path"))
    assert len(pages) >= 1
    index = OrganizationShowcaseIndexPage.objects.get()
    assert index.numchild == len(pages)
    assert _problems() == []
    for page in pages:
        first = (
            Residency.objects.filter(
                organization_id=page.organization_id, stage="graduated"
            )
            .order_by("pk")
            .first()
        )
        assert first.graduated_on is not None
        assert page.slug == f"bench-organization-{page.organization_id}"
        assert page.title == page.organization.name
        assert page.graduation_year == first.graduated_on.year
        assert page.first_published_at <= timezone.now()
        assert page.live and page.url_path == (
            f"{index.url_path}bench-organization-{page.organization_id}/"
        )


def _loaded_revision(html):
    """The edit form's hidden fields naming the revision it was loaded from
    (absent when the page has no revision)."""
    found = {}
    for name in ("loaded_revision_id", "loaded_revision_created_at"):
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        if match:
            found[name] = match.group(1)
    return found


@pytest.mark.parametrize(
    "bulk",
    [
        pytest.param(False, id="published-normally"),
        pytest.param(True, id="bulk"),
    ],
)
def test_second_editor_warned_of_a_newer_version(
    cms_site, make_organization, make_showcase, make_user, bulk
):
    """Two editors open the same page; the first saves a draft; the second's save
    (the edit form's JSON save) is refused as overwriting a newer version."""
    from django.test import Client

    if bulk:
        _org, page = _bulk(cms_site, make_organization)
    else:
        page = make_showcase(title="普通发布的风采", graduation_year=2024)
    first, second = Client(), Client()
    first.force_login(make_user("editor-a", roles.EDITOR))
    second.force_login(make_user("editor-b", roles.EDITOR))
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    loaded = _loaded_revision(second.get(url).content.decode())
    assert (
        first.post(url, _showcase_form(page, "save", "甲改的标题")).status_code == 302
    )
    response = second.post(
        url,
        {**_showcase_form(page, "save", "乙改的标题"), **loaded},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid_revision"
    assert _fresh(page).draft_title == "甲改的标题"


@pytest.mark.parametrize(
    "bulk",
    [
        pytest.param(False, id="published-normally"),
        pytest.param(True, id="bulk"),
    ],
)
def test_open_editor_told_of_a_newer_version(
    cms_site, make_organization, make_showcase, make_user, bulk
):
    from django.test import Client

    if bulk:
        _org, page = _bulk(cms_site, make_organization)
    else:
        page = make_showcase(title="普通发布的风采", graduation_year=2024)
    first, second = Client(), Client()
    first.force_login(make_user("editor-a", roles.EDITOR))
    second.force_login(make_user("editor-b", roles.EDITOR))
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    html = second.get(url).content.decode()
    ping = re.search(
        r'class="w-editing-sessions".*?data-w-swap-src-value="([^"]+)"', html, re.S
    ).group(1)
    fields = {
        name: match.group(1)
        for name in ("revision_id", "revision_created_at")
        if (match := re.search(rf'name="{name}" value="([^"]*)"', html))
    }
    assert (
        first.post(url, _showcase_form(page, "save", "甲改的标题")).status_code == 302
    )
    newest = _fresh(page).latest_revision_id
    others = second.post(ping, fields).json()["other_sessions"]
    assert [s["revision_id"] for s in others] == [newest]
