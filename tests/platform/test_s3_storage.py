"""Media on S3-compatible storage, against moto's S3 server (offline, in a thread on
127.0.0.1): the storages the settings build from the environment
(config/settings/env.py `s3_storages`) upload and read back; private files stay
private in the bucket and reach only the users the guarded views let through;
public media get signed, expiring URLs; documents are streamed after Wagtail's
check, not redirected to the bucket.

moto is not a real S3 (nor MinIO, OSS or COS): ACLs and signatures are checked as
moto implements them."""

import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils.functional import empty

from config.settings.env import s3_storages
from core import roles
from projects.models import OutcomeEvidence
from projects.models import _private_storage as private_storage

pytestmark = pytest.mark.django_db

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, monkeypatch):
    """Buckets on the server and the settings' storages pointed at them."""
    environment = {
        "AWS_STORAGE_BUCKET_NAME": "shezu-media",
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": "shezu-private",
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_ADDRESSING_STYLE": "path",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    for bucket in ("shezu-media", "shezu-private"):
        client.create_bucket(Bucket=bucket)
    storages = {
        **s3_storages(),
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    with override_settings(STORAGES=storages):
        private_storage._wrapped = empty
        yield client
    private_storage._wrapped = empty
    for bucket in ("shezu-media", "shezu-private"):
        objects = client.list_objects_v2(Bucket=bucket).get("Contents", [])
        for item in objects:
            client.delete_object(Bucket=bucket, Key=item["Key"])
        client.delete_bucket(Bucket=bucket)


def _status(url):
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310 - local moto
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def _public_grants(client, bucket, key):
    grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return [g for g in grants if g["Grantee"].get("URI") == ALL_USERS]


def test_evidence_is_private_in_the_bucket_and_served_by_the_guarded_view(
    s3, client_for, make_pairing, make_project, make_report, indicators
):
    mine = client_for(roles.COORDINATOR, "mine")
    other = client_for(roles.COORDINATOR, "other")
    project = make_project(pairing=make_pairing(coordinators=[mine.user]))
    report = make_report(project, 2024, 1, {"produce_sold": "1"}, author=mine.user)
    evidence = OutcomeEvidence.objects.create(
        report=report,
        indicator=indicators["produce_sold"],
        title="票据",
        kind="receipts",
        file=SimpleUploadedFile("receipt.txt", b"secret receipt"),
    )

    # In the private bucket, under its prefix, with no grant to everyone.
    key = f"private/{evidence.file.name}"
    stored = s3.get_object(Bucket="shezu-private", Key=key)["Body"].read()
    assert stored == b"secret receipt"
    assert _public_grants(s3, "shezu-private", key) == []
    assert s3.list_objects_v2(Bucket="shezu-media").get("KeyCount") == 0
    # Asked for without credentials, the bucket refuses.
    endpoint = s3.meta.endpoint_url
    assert _status(f"{endpoint}/shezu-private/{key}")[0] == 403

    # Its URL is the view that checks who asks, which streams it from the bucket.
    assert evidence.file.url == reverse(
        "projects_private_file", kwargs={"name": evidence.file.name}
    )
    response = mine.get(evidence.file.url)
    assert b"".join(response.streaming_content) == b"secret receipt"
    response = mine.get(reverse("projects_evidence_file", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == b"secret receipt"
    # Another coordinator's file does not exist for them: 404, the product's one
    # refusal for a record outside the user's scope.
    assert other.get(evidence.file.url).status_code == 404


def test_public_media_get_signed_expiring_urls(s3):
    name = default_storage.save("original_images/挂牌照片.jpg", ContentFile(b"plaque"))
    # A new upload of the same name never replaces the first one.
    again = default_storage.save("original_images/挂牌照片.jpg", ContentFile(b"new"))
    assert again != name

    key = f"media/{name}"
    assert _public_grants(s3, "shezu-media", key) == []
    url = default_storage.url(name)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=3600" in url
    assert _status(url) == (200, b"plaque")
    assert _status(url.split("?")[0])[0] == 403
    assert default_storage.open(name).read() == b"plaque"


def test_documents_are_streamed_after_the_check_not_redirected_to_the_bucket(
    s3, client_for
):
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="2024年度资金拨付明细",
        file=ContentFile(b"internal figures", name="拨付明细.pdf"),
    )
    response = client_for(roles.ADMINISTRATOR).get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"internal figures"
