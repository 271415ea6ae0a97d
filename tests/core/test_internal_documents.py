"""Files attached to applications are never downloadable by the public, nor by roles
that have no business with them, through Wagtail's document URL."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from core import roles
from core.roles import INTERNAL_COLLECTION
from funding.models import Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(make_application, settings, tmp_path):
    # Wagtail serves documents from a local path: use real files for this module.
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    application = make_application()
    document = Document.objects.create(
        title="法定代表人身份证复印件",
        file=ContentFile(b"%PDF-1.4 private", name="id-card-copy.pdf"),
    )
    return Attachment.objects.create(
        application=application, title=document.title, document=document
    )


def test_attached_document_moves_to_the_restricted_collection(attachment):
    attachment.document.refresh_from_db()
    assert attachment.document.collection.name == INTERNAL_COLLECTION


def test_public_and_unrelated_roles_cannot_download_it(client, client_for, attachment):
    url = attachment.document.url
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    # logged in without the right: 403 (core/documents.py document_serve_refusal)
    for role in (roles.OPERATOR, roles.COORDINATOR, roles.EDITOR, roles.REVIEWER):
        response = client_for(role).get(url)
        assert response.status_code == 403, role


def test_fund_manager_can_download_it(client_for, attachment):
    response = client_for(roles.FUND_MANAGER).get(attachment.document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 private"
