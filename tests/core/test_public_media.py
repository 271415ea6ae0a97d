"""/media/ in the development profile (`core.views.public_media`): Wagtail's images
from the default storage, every other stored file a 404. The browser tests serve
their pages' images through it (`tests.support.urls_media`)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    return Image.objects.create(title="社区活动", file=get_test_image_file())


def test_an_image_and_its_rendition_are_served_with_their_type(
    client, media_served, photo
):
    with default_storage.open(photo.file.name) as stored:
        picture = stored.read()
    original = client.get(photo.file.url)
    assert original.status_code == 200
    assert original["Content-Type"] == "image/png"
    assert original.content == picture
    assert client.get(photo.file.url).content == picture  # and again

    rendition = photo.get_rendition("width-100")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_a_private_file_a_climb_out_and_a_missing_image_are_not_found(
    client, media_served
):
    default_storage.save("documents/申报书.pdf", ContentFile(b"%PDF-1.4 private"))
    default_storage.save("imports/organizations.xlsx", ContentFile(b"PK private"))

    for path in (
        "/media/documents/申报书.pdf",
        "/media/imports/organizations.xlsx",
        "/media/images/../documents/申报书.pdf",
        "/media/original_images/../../imports/organizations.xlsx",
        "/media/images/no-such-picture.png",
    ):
        assert client.get(path).status_code == 404, path
