"""A Content-Security-Policy on every response, strict on the
public site and the admin alike; an uploaded file is served under a policy that
lets nothing in it load or run (core/csp.py, config/settings/base.py).

The directives each response must carry are written here, not read from the
settings."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents.models import Document

from config.settings.env import media_origins
from core import roles
from core.wagtail_csp import _render as chooser_render

pytestmark = pytest.mark.django_db

# The strict policy of every page, public or admin.
STRICT = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
    # Inline styles: Wagtail's rich-text editor writes <style> elements that vary
    # (allowed for styles, never for scripts).
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "connect-src": ["'self'"],
}
# A served file: nothing of its own runs or loads.
FILE = {
    "default-src": ["'none'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'self'"],
}


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} response"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict(response):
    directives = policy(response)
    for name, sources in STRICT.items():
        assert directives[name] == sources, (name, directives[name])
    scripts = directives["script-src"]
    assert scripts[0] == "'self'"
    # Nothing but this site and, on pages that need one, this response's nonce.
    assert all(s == "'self'" or s.startswith("'nonce-") for s in scripts), scripts
    assert "'unsafe-inline'" not in " ".join(scripts)
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    return directives


def test_public_pages_carry_the_strict_policy(client, cms_site):
    for name in ("home", "news", "showcase", "statistics"):
        response = client.get(cms_site[name].url)
        assert response.status_code == 200
        directives = assert_strict(response)
        # A public page (shared by every reader through the page cache) uses no
        # nonce: its scripts are files.
        assert directives["script-src"] == ["'self'"]


def test_a_missing_page_carries_the_strict_policy(client, cms_site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_strict(response)


def test_a_server_error_carries_the_strict_policy(cms_site, monkeypatch):
    from cms.models import StatisticsPage

    def broken(*args, **kwargs):
        raise RuntimeError("a fault in the page")

    monkeypatch.setattr(StatisticsPage, "get_context", broken)
    client = Client(raise_request_exception=False)
    response = client.get(cms_site["statistics"].url)
    assert response.status_code == 500
    assert_strict(response)


def test_admin_pages_carry_the_strict_policy(client, client_for, cms_site):
    login = client.get("/admin/login/")
    assert login.status_code == 200
    assert_strict(login)
    admin = client_for(roles.ADMINISTRATOR)
    for url in (
        "/admin/",
        "/admin/snippets/incubator/organization/",
        f"/admin/pages/{cms_site['statistics'].pk}/edit/",
    ):
        response = admin.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_nonce_in_the_header_is_the_one_on_wagtails_inline_scripts(
    client_for, cms_site
):
    """The page editor's chooser and date scripts carry this response's nonce; no
    inline script goes without it."""
    import re

    admin = client_for(roles.ADMINISTRATOR)
    response = admin.get(f"/admin/pages/{cms_site['statistics'].pk}/edit/")
    nonces = [s for s in policy(response)["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    executable = [
        a for a in inline if "application/json" not in a and "text/template" not in a
    ]
    assert executable, "the page editor has inline scripts (the date inputs)"
    assert all(f'nonce="{nonce}"' in attrs for attrs in executable), executable


def test_chooser_script_cannot_be_closed_by_its_data():
    """A title in the chooser's data that holds `</script>` stays inside the
    script (written `<\\/script>`)."""

    class Widget:
        def get_value_data(self, value):
            return {"title": value}

        def render_html(self, name, value_data, attrs):
            return "<input>"

        def render_js_init(self, id_, name, value_data):
            return f'new Chooser("{id_}", {{"title": "{value_data["title"]}"}});'

    html = chooser_render(
        Widget(), "org", "</script><script>alert(1)</script>", attrs={"id": "id_org"}
    )
    # Only `</script` ends a script: the one Wagtail's script ends with.
    assert html.count("</script") == 1
    assert html.endswith("</script>")
    assert "<\\/script><script>alert(1)<\\/script>" in html


def test_a_document_download_is_served_sandboxed(client_for, settings, tmp_path):
    """An uploaded HTML file (the report's `photos.html`) is sent under a policy
    that runs no script of it and gives it an origin of its own."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    document = Document.objects.create(
        title="活动照片",
        file=ContentFile(b"<script>alert(1)</script>", name="photos.html"),
    )
    response = client_for(roles.ADMINISTRATOR).get(document.url)
    assert response.status_code == 200
    directives = policy(response)
    for name, sources in FILE.items():
        assert directives[name] == sources, (name, directives[name])
    assert directives["sandbox"] == []
    assert "script-src" not in directives


def test_a_pdf_download_is_not_sandboxed_but_runs_nothing(
    client_for, settings, tmp_path
):
    """Browsers' PDF viewers refuse a sandboxed PDF: a PDF gets the file policy
    without `sandbox`."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    document = Document.objects.create(
        title="成效报告", file=ContentFile(b"%PDF-1.4 report", name="report.pdf")
    )
    response = client_for(roles.ADMINISTRATOR).get(document.url)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'none'"]
    assert "sandbox" not in directives


def test_static_files_carry_the_policy(settings):
    settings.WHITENOISE_USE_FINDERS = True
    response = Client().get("/static/core/js/import-job.js")
    assert response.status_code == 200
    # A file like any other: opened on its own it runs nothing (a page's
    # <script src> is governed by that page's policy, not this one).
    assert policy(response)["default-src"] == ["'none'"]


def test_images_may_come_from_the_media_bucket(monkeypatch):
    """With media on S3 the public images' origin is allowed, and only it."""
    for name in ("AWS_S3_CUSTOM_DOMAIN", "CSP_MEDIA_ORIGINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "shezu-media")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://oss-cn-hangzhou.aliyuncs.com")
    monkeypatch.setenv("AWS_S3_ADDRESSING_STYLE", "virtual")
    assert media_origins("/media/") == [
        "https://shezu-media.oss-cn-hangzhou.aliyuncs.com"
    ]
    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "img.example.org")
    assert media_origins("/media/") == ["https://img.example.org"]
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME")
    assert media_origins("/media/") == []
