"""Uploads are checked by content, private files are served
as downloads and are never on a public path, evidence is public only once its
report is approved.

Each upload screen is used by the role that uses it (DESIGN.md §1): the coordinator
adds evidence to an outcome report; the fund manager uploads documents (application
attachments, award agreements and reports are Wagtail documents); the editor uploads
documents and images for the public site."""

import importlib
import io
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse
from django.utils.functional import empty
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from core import roles
from core.models import ImportJob
from projects.choices import ReportStatus
from projects.models import OutcomeEvidence, OutcomeReport

pytestmark = pytest.mark.django_db

REFUSED = "不接受此类文件"  # core.uploads.REFUSED in Chinese
MISMATCH = "与文件内容"  # core.uploads.MISMATCH
HTML = b"<html><body><script>fetch('/admin/users/add/')</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
PHP = b"<?php system($_GET['c']); ?>"
JS = b"fetch('/admin/users/add/', {method: 'POST'})"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


# Every file the attack used, and its name.
BAD_FILES = [
    ("photos.html", HTML),
    ("photos.jpg", HTML),
    ("logo.svg", SVG),
    ("shell.php", PHP),
    ("app.js", JS),
]


@pytest.fixture
def disk(settings, tmp_path):
    """Real files on disk, as in the dev profile: MediaStorage for the default
    storage, the private storage under its own root."""
    from core.storage import _private_storage

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "core.storage.MediaStorage"},
    }
    _private_storage._wrapped = empty
    yield tmp_path
    _private_storage._wrapped = empty


def stored_files(root):
    root = Path(root)
    return sorted(p.name for p in root.rglob("*") if p.is_file())


# --- coordinator: evidence on an outcome report --------------------------------------


def _report_with_evidence(project, indicator, name, content, is_public=False):
    data = {
        "project": project.pk,
        "period_type": "half",
        "year": "2024",
        "number": "1",
        "note": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-indicator": indicator.pk,
        "lines-0-target": "3",
        "lines-0-actual": "3",
        "lines-0-numerator": "",
        "lines-0-denominator": "",
        "lines-0-note": "",
        "lines-0-ORDER": "1",
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
        "evidence-0-indicator": indicator.pk,
        "evidence-0-kind": "photos",
        "evidence-0-title": "宝贝小屋挂牌照片",
        "evidence-0-file": SimpleUploadedFile(name, content),
        "evidence-0-ORDER": "1",
    }
    if is_public:
        data["evidence-0-is_public"] = "on"
    return data


@pytest.fixture
def coordinator(client_for, make_pairing, make_project):
    client = client_for(roles.COORDINATOR)
    client.project = make_project(pairing=make_pairing(coordinators=[client.user]))
    return client


@pytest.mark.parametrize(("name", "content"), BAD_FILES)
def test_evidence_screen_refuses_pages_and_scripts(
    coordinator, indicators, disk, name, content
):
    url = reverse("wagtailsnippets_projects_outcomereport:add")
    response = coordinator.post(
        url,
        _report_with_evidence(
            coordinator.project, indicators["cabins_baby"], name, content
        ),
    )

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not OutcomeReport.objects.exists()
    assert not OutcomeEvidence.objects.exists()
    assert stored_files(disk) == []


@pytest.mark.parametrize(
    ("name", "content", "content_type", "disposition"),
    [
        ("plaque.png", png_bytes(), "image/png", "inline"),
        ("receipts.pdf", PDF, "application/pdf", "inline"),
    ],
)
def test_evidence_screen_accepts_image_and_pdf_served_inline(
    coordinator, indicators, disk, name, content, content_type, disposition
):
    url = reverse("wagtailsnippets_projects_outcomereport:add")
    response = coordinator.post(
        url,
        _report_with_evidence(
            coordinator.project, indicators["cabins_baby"], name, content
        ),
    )

    assert response.status_code == 302
    evidence = OutcomeEvidence.objects.get()
    # stored outside MEDIA_ROOT
    assert stored_files(disk / "private") == [Path(evidence.file.name).name]
    assert stored_files(disk / "media") == []
    served = coordinator.get(reverse("projects_evidence_file", args=[evidence.pk]))
    assert served["Content-Type"] == content_type
    assert served["Content-Disposition"].startswith(disposition)
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == content


def test_evidence_named_jpg_but_pdf_is_refused_for_its_name(
    coordinator, indicators, disk
):
    url = reverse("wagtailsnippets_projects_outcomereport:add")
    response = coordinator.post(
        url,
        _report_with_evidence(
            coordinator.project, indicators["cabins_baby"], "photos.jpg", PDF
        ),
    )

    assert response.status_code == 200
    assert MISMATCH in response.content.decode()
    assert not OutcomeEvidence.objects.exists()


def test_html_stored_before_the_check_is_a_download_not_a_page(
    client_for, coordinator, make_report, disk
):
    """A page uploaded before the fix: the administrator opening the link gets a
    download of unknown type, never a page that runs in the admin's session."""
    report = make_report(coordinator.project, 2024, 1, {"cabins_baby": "3"})
    evidence = OutcomeEvidence.objects.create(
        report=report,
        title="照片",
        file=ContentFile(HTML, name="photos.html"),
    )
    admin = client_for(roles.ADMINISTRATOR)

    for url in (
        reverse("projects_evidence_file", args=[evidence.pk]),
        reverse("projects_private_file", kwargs={"name": evidence.file.name}),
    ):
        served = admin.get(url)
        assert served.status_code == 200
        assert served["Content-Type"] == "application/octet-stream"
        assert served["Content-Disposition"].startswith("attachment")
        assert served["X-Content-Type-Options"] == "nosniff"


# --- evidence becomes public only once its report is approved ------------------------


def test_draft_report_evidence_is_not_public_approved_is(
    client, coordinator, make_report, disk
):
    report = make_report(
        coordinator.project, 2024, 1, {"cabins_baby": "3"}, status=ReportStatus.DRAFT
    )
    evidence = OutcomeEvidence.objects.create(
        report=report,
        title="挂牌照片",
        file=ContentFile(png_bytes(), name="plaque.png"),
        is_public=True,
    )
    url = reverse("projects_public_evidence", args=[evidence.pk])

    for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED):
        OutcomeReport.objects.filter(pk=report.pk).update(status=status)
        assert client.get(url).status_code == 404, status

    OutcomeReport.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["Content-Disposition"].startswith("inline")


# --- fund manager and editor: Wagtail documents ----------------------------------------


def _document_post(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": "附件", "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize("role", [roles.FUND_MANAGER, roles.EDITOR])
@pytest.mark.parametrize(("name", "content"), BAD_FILES)
def test_document_screen_refuses_pages_and_scripts(
    client_for, disk, role, name, content
):
    response = _document_post(client_for(role), name, content)

    assert response.status_code == 200
    page = response.content.decode()
    # ours, or Django's extension message (in Chinese) for a name outside the list
    assert REFUSED in page or "文件扩展“" in page
    assert not Document.objects.exists()
    assert stored_files(disk) == []


def test_document_named_pdf_holding_html_is_refused(client_for, disk):
    response = _document_post(client_for(roles.FUND_MANAGER), "agreement.pdf", HTML)

    assert REFUSED in response.content.decode()
    assert not Document.objects.exists()


def test_multiple_and_chooser_uploads_are_checked_too(client_for, disk):
    client = client_for(roles.FUND_MANAGER)
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("photos.jpg", HTML)},
    )
    assert REFUSED in json.loads(response.content)["error_message"]
    response = client.post(
        reverse("wagtaildocs_chooser:create"),
        {
            "document-chooser-upload-title": "附件",
            "document-chooser-upload-file": SimpleUploadedFile("photos.jpg", HTML),
        },
    )
    assert REFUSED in json.loads(response.content)["htmlFragment"]
    assert not Document.objects.exists()
    assert stored_files(disk) == []


@pytest.mark.parametrize(
    ("name", "content", "disposition"),
    [
        ("agreement.pdf", PDF, "inline"),
        ("photo.png", png_bytes(), "attachment"),
    ],
)
def test_document_screen_accepts_pdf_and_png_kept_off_media(
    client_for, disk, name, content, disposition
):
    client = client_for(roles.FUND_MANAGER)
    response = _document_post(client, name, content)

    assert response.status_code == 302
    document = Document.objects.get()
    assert stored_files(disk / "private") == [Path(document.file.name).name]
    assert stored_files(disk / "media") == []
    served = client.get(document.url)
    assert served["Content-Disposition"].startswith(disposition)
    assert served["X-Content-Type-Options"] == "nosniff"


# --- editor: Wagtail images -------------------------------------------------------------


def _image_data(file):
    """The image form as the editor posts it: in 公开文件, the one collection the
    editor may add to (core.roles.DOCUMENT_COLLECTIONS); without it the form
    refuses the post for the missing collection, whatever the file."""
    from core.roles import public_collection

    return {"title": "图片", "collection": public_collection().pk, "file": file}


@pytest.mark.parametrize(("name", "content"), BAD_FILES)
def test_image_screen_refuses_pages_svg_and_scripts(client_for, disk, name, content):
    client = client_for(roles.EDITOR)
    response = client.post(
        reverse("wagtailimages:add"),
        _image_data(SimpleUploadedFile(name, content)),
    )

    assert response.status_code == 200
    assert "error-message" in response.content.decode()
    assert list(response.context["form"].errors) == ["file"]
    assert not Image.objects.exists()
    assert stored_files(disk) == []


def test_image_screen_refuses_pdf_and_accepts_png(client_for, disk):
    client = client_for(roles.EDITOR)
    refused = client.post(
        reverse("wagtailimages:add"),
        _image_data(SimpleUploadedFile("poster.png", PDF)),
    )
    assert refused.status_code == 200
    assert not Image.objects.exists()

    accepted = client.post(
        reverse("wagtailimages:add"),
        _image_data(SimpleUploadedFile("poster.png", png_bytes())),
    )
    assert accepted.status_code == 302
    image = Image.objects.get()
    assert image.file.name.startswith("original_images/")
    assert stored_files(disk / "media") == [Path(image.file.name).name]


# --- no private file on a public path, dev profile included -----------------------------


@pytest.fixture
def dev_urls(settings):
    """The URLs `make run` has (config.urls under DEBUG)."""
    import config.urls

    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_dev_profile_keeps_private_roots_apart():
    from config.settings import dev

    media = Path(dev.MEDIA_ROOT).resolve()
    private = Path(dev.PRIVATE_MEDIA_ROOT).resolve()
    assert not private.is_relative_to(media)
    assert dev.STORAGES["default"]["BACKEND"] == "core.storage.MediaStorage"


@pytest.mark.parametrize("profile", ["dev", "test"])
def test_anonymous_cannot_fetch_private_files_through_media(
    request, client, client_for, coordinator, make_report, disk, profile
):
    if profile == "dev":
        request.getfixturevalue("dev_urls")
    # a public image (served in dev: proves /media/ is there)
    editor = client_for(roles.EDITOR)
    editor.post(
        reverse("wagtailimages:add"),
        _image_data(SimpleUploadedFile("poster.png", png_bytes())),
    )
    image = Image.objects.get()
    # private files of every kind
    fund_manager = client_for(roles.FUND_MANAGER)
    _document_post(fund_manager, "id-card.pdf", PDF)
    document = Document.objects.get()
    job = ImportJob.objects.create(
        kind="organizations",
        file=ContentFile(b"name,phone\n", name="legal-representatives.csv"),
        original_name="法定代表人.csv",
    )
    report = make_report(coordinator.project, 2024, 1, {"cabins_baby": "3"})
    evidence = OutcomeEvidence.objects.create(
        report=report, title="照片", file=ContentFile(PDF, name="faces.pdf")
    )
    assert stored_files(disk / "media") == [Path(image.file.name).name]

    image_response = client.get(f"/media/{image.file.name}")
    assert image_response.status_code == (200 if profile == "dev" else 404)
    for name in (document.file.name, job.file.name, evidence.file.name):
        for path in (f"/media/{name}", f"/media/original_images/../{name}"):
            assert client.get(path).status_code == 404, path
    # and the views that serve them ask who is asking
    assert client.get(f"/admin/projects/files/{job.file.name}").status_code == 302
    assert client.get(f"/admin/projects/files/{evidence.file.name}").status_code == 302
