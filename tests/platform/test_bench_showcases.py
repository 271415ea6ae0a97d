"""The bench's showcase pages, added in bulk (`bench.generate.showcase_pages_add`):
pages a reader and an editor cannot tell from pages Wagtail published one by one."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import Page

from bench.generate import showcase_pages_add
from cms.models import OrganizationShowcasePage
from core import roles


@pytest.fixture
def added(cms_site, make_organization):
    """Three graduated organizations, one listed twice, added under the index."""
    orgs = [make_organization(name=f"益阳市出壳社工服务中心{n}") for n in range(3)]
    graduated = [
        (orgs[0].pk, orgs[0].name, datetime.date(2024, 6, 1)),
        (orgs[1].pk, orgs[1].name, datetime.date(2025, 3, 2)),
        (orgs[0].pk, orgs[0].name, datetime.date(2025, 9, 9)),  # a second residency
        (orgs[2].pk, orgs[2].name, datetime.date(2026, 1, 5)),
    ]
    count = showcase_pages_add(cms_site["showcase"], graduated)
    return {"count": count, "orgs": orgs, "index": cms_site["showcase"]}


def test_one_page_per_organization_in_a_sound_tree(added):
    index = Page.objects.get(pk=added["index"].pk)
    pages = OrganizationShowcasePage.objects.child_of(index).order_by("path")
    assert added["count"] == 3
    assert [p.organization_id for p in pages] == [o.pk for o in added["orgs"]]
    assert [p.graduation_year for p in pages] == [2024, 2025, 2026]
    assert index.numchild == 3
    assert [p.url_path for p in pages] == [
        f"{index.url_path}bench-organization-{o.pk}/" for o in added["orgs"]
    ]
    # treebeard's own check of paths, depths and child counts finds nothing
    assert all(not problem for problem in Page.find_problems())
    assert all(p.live and not p.has_unpublished_changes for p in pages)


def test_adding_again_adds_nothing_and_wagtail_adds_after_them(added):
    index = added["index"]
    assert (
        showcase_pages_add(
            index, [(added["orgs"][1].pk, "x", datetime.date(2025, 1, 1))]
        )
        == 0
    )
    index = Page.objects.get(pk=index.pk)
    later = index.add_child(
        instance=OrganizationShowcasePage(
            title="后来发布的风采", slug="later", organization=added["orgs"][2]
        )
    )
    assert later.path > max(
        OrganizationShowcasePage.objects.exclude(pk=later.pk).values_list(
            "path", flat=True
        )
    )
    assert Page.objects.get(pk=index.pk).numchild == 4
    assert all(not problem for problem in Page.find_problems())


def test_readers_see_the_pages_and_editors_can_edit_them(added, client, client_for):
    org = added["orgs"][1]
    page = OrganizationShowcasePage.objects.get(organization=org)
    shown = client.get(f"/showcase/bench-organization-{org.pk}/")
    assert shown.status_code == 200
    assert org.name in shown.content.decode()
    listed = client.get("/showcase/").content.decode()
    assert all(o.name in listed for o in added["orgs"])
    editor = client_for(roles.EDITOR)
    edit = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == 200
    assert org.name in edit.content.decode()
