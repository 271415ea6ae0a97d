"""Internal documents (内部文件) reach only the roles whose work needs them: fund
managers, finance (download) and administrators. The editor — and every other
role — neither sees nor lists, edits, moves, replaces or deletes them, nor reads
their titles; anonymous visitors never download them, whatever collection they have
been moved to. Rules: core/documents.py, core/roles.py
DOCUMENT_COLLECTIONS."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection, GroupCollectionPermission

from core import roles
from core.roles import INTERNAL_COLLECTION, PUBLIC_COLLECTION
from funding.models import Attachment

pytestmark = pytest.mark.django_db

TITLE = "申报书-张三-13800138000"  # the applicant's name and phone, as in the report


@pytest.fixture
def files(settings, tmp_path):
    # Wagtail serves documents from a local path: use real files for this module.
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def internal(files, make_application):
    document = Document.objects.create(
        title=TITLE, file=ContentFile(b"%PDF-1.4 private", name="application-1.pdf")
    )
    Attachment.objects.create(
        application=make_application(), title=document.title, document=document
    )
    document.refresh_from_db()
    assert document.collection.name == INTERNAL_COLLECTION
    return document


@pytest.fixture
def public(files):
    return Document.objects.create(
        title="2023年度社会组织年检公告",
        file=ContentFile(b"%PDF-1.4 public", name="notice.pdf"),
        collection=Collection.objects.get(name=PUBLIC_COLLECTION),
    )


def _collection_of(document):
    return Document.objects.get(pk=document.pk).collection.name


def test_the_reported_attack_editor_moves_document_1_to_root(client_for, internal):
    editor = client_for(roles.EDITOR)
    root = Collection.get_first_root_node()
    response = editor.post(
        reverse("wagtaildocs:edit", args=[internal.pk]),
        {"title": internal.title, "collection": root.pk, "tags": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")  # refused
    assert _collection_of(internal) == INTERNAL_COLLECTION
    anonymous = Client().get(internal.url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_editor_sees_no_internal_title_anywhere(client_for, internal, public):
    editor = client_for(roles.EDITOR)
    pages = {
        "library": reverse("wagtaildocs:index"),
        "search": reverse("wagtaildocs:index") + "?q=张三",
        "chooser": reverse("wagtaildocs_chooser:choose"),
        "chooser search": reverse("wagtaildocs_chooser:choose_results") + "?q=张三",
        "admin API": reverse("wagtailadmin_api:documents:listing"),
    }
    for name, url in pages.items():
        response = editor.get(url)
        assert response.status_code == 200, name
        assert "13800138000" not in response.content.decode(), name
    library = editor.get(reverse("wagtaildocs:index")).content.decode()
    assert "2023年度社会组织年检公告" in library  # the editor's own work is there


@pytest.mark.parametrize(
    "name", ["wagtaildocs:edit", "wagtaildocs:delete", "wagtaildocs:document_usage"]
)
def test_editor_cannot_open_an_internal_document(client_for, internal, name):
    response = client_for(roles.EDITOR).get(reverse(name, args=[internal.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert "13800138000" not in response.content.decode()


def test_editor_cannot_replace_delete_or_bulk_move_it(client_for, internal):
    editor = client_for(roles.EDITOR)
    root = Collection.get_first_root_node()
    editor.post(
        reverse("wagtaildocs:edit", args=[internal.pk]),
        {
            "title": "公开",
            "collection": root.pk,
            "file": ContentFile(b"%PDF-1.4 replaced", name="x.pdf"),
        },
    )
    editor.post(reverse("wagtaildocs:delete", args=[internal.pk]))
    bulk = reverse(
        "wagtail_bulk_action", args=["wagtaildocs", "document", "add_to_collection"]
    )
    editor.post(f"{bulk}?id={internal.pk}", {"collection": root.pk})
    editor.post(
        reverse("wagtail_bulk_action", args=["wagtaildocs", "document", "delete"])
        + f"?id={internal.pk}"
    )
    document = Document.objects.get(pk=internal.pk)
    assert document.title == TITLE
    assert document.collection.name == INTERNAL_COLLECTION
    with document.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 private"


def test_the_editors_edit_form_offers_only_the_public_collection(client_for, public):
    response = client_for(roles.EDITOR).get(
        reverse("wagtaildocs:edit", args=[public.pk])
    )
    assert response.status_code == 200
    form = response.context["form"]
    # one collection it may add to: Wagtail shows no choice and saves it there
    assert [c.name for c in form.collections] == [PUBLIC_COLLECTION]
    assert "collection" not in form.fields


def test_fund_manager_keeps_internal_documents_internal(client_for, internal):
    manager = client_for(roles.FUND_MANAGER)
    library = manager.get(reverse("wagtaildocs:index")).content.decode()
    assert TITLE in library
    response = manager.get(reverse("wagtaildocs:edit", args=[internal.pk]))
    form = response.context["form"]
    # no permission on 公开文件: the fund manager cannot move it out
    assert [c.name for c in form.collections] == [INTERNAL_COLLECTION]
    assert "collection" not in form.fields


@pytest.mark.parametrize(
    "role",
    [roles.OPERATOR, roles.COORDINATOR, roles.REVIEWER, roles.EDITOR],
)
def test_other_roles_are_refused_the_download(client_for, internal, role):
    assert client_for(role).get(internal.url).status_code == 403


def test_a_linked_document_moved_to_a_public_collection_stays_closed(
    client_for, internal
):
    # an administrator (permission on both collections) moves it: the link to the
    # application still makes it internal for the download URL
    Document.objects.filter(pk=internal.pk).update(
        collection=Collection.objects.get(name=PUBLIC_COLLECTION)
    )
    anonymous = Client().get(internal.url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert client_for(roles.EDITOR).get(internal.url).status_code == 403
    response = client_for(roles.FUND_MANAGER).get(internal.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 private"
    response = client_for(roles.FINANCE).get(internal.url)
    assert response.status_code == 200


def test_public_documents_download_for_everyone(public):
    response = Client().get(public.url)
    assert response.status_code == 200


def test_only_the_administrator_holds_documents_on_the_root_collection():
    root = Collection.get_first_root_node()
    internal = Collection.objects.get(name=INTERNAL_COLLECTION)
    public = Collection.objects.get(name=PUBLIC_COLLECTION)

    def documents_on(collection):
        return set(
            GroupCollectionPermission.objects.filter(
                collection=collection,
                permission__content_type__app_label="wagtaildocs",
                group__name__in=roles.GROUP_NAMES.values(),  # not Wagtail's samples
            ).values_list("group__name", flat=True)
        )

    names = roles.GROUP_NAMES
    assert documents_on(root) == {names[roles.ADMINISTRATOR]}
    assert documents_on(internal) == {names[roles.FUND_MANAGER]}
    assert documents_on(public) == {names[roles.EDITOR]}


def test_fund_manager_cannot_delete_a_document_an_application_links(
    client_for, internal
):
    response = client_for(roles.FUND_MANAGER).post(
        reverse("wagtaildocs:delete", args=[internal.pk])
    )
    assert response.status_code in (200, 302)  # a refusal, not a 500
    assert Document.objects.filter(pk=internal.pk).exists()


def test_a_group_outside_the_roles_loses_its_grant_over_internal_documents(
    internal, make_user
):
    """Wagtail ships sample groups ("Editors", "Moderators") with document rights on
    the root collection; a person an administrator adds to one must not reach
    internal documents. After the roles are synced (every migrate), such a group
    holds no document permission on the root or on 内部文件; a grant on 公开文件 stays."""
    from django.contrib.auth.models import Group, Permission

    from core.roles import sync_roles

    group, _ = Group.objects.get_or_create(name="Editors")  # Wagtail creates it
    GroupCollectionPermission.objects.filter(group=group).delete()
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    change = Permission.objects.get(
        content_type__app_label="wagtaildocs", codename="change_document"
    )
    root = Collection.get_first_root_node()
    public_collection = Collection.objects.get(name=PUBLIC_COLLECTION)
    for collection in (root, Collection.objects.get(name=INTERNAL_COLLECTION)):
        GroupCollectionPermission.objects.create(
            group=group, collection=collection, permission=change
        )
    GroupCollectionPermission.objects.create(
        group=group, collection=public_collection, permission=change
    )
    user = make_user("sample_editor")
    user.groups.add(group)
    client = Client()
    client.force_login(user)

    sync_roles(Group, Permission, collections=True)

    left = GroupCollectionPermission.objects.filter(group=group)
    assert [grant.collection.name for grant in left] == [PUBLIC_COLLECTION]
    response = client.get(reverse("wagtaildocs:edit", args=[internal.pk]))
    assert response.status_code != 200
    assert TITLE not in response.content.decode()
