"""The production profile (config/settings/production.py on top of base.py): loaded in
a fresh process with a deployment's environment, the settings it produces; its
refusal without a secret key; `check --deploy` clean.

The S3 settings are checked as configuration here (classes and options); an upload
and download against an S3 server (moto, offline) is in tests/platform/test_s3_storage.py."""

import json
import logging
import os
import runpy
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from core.log import JSONFormatter
from core.proxy import ForwardedForMiddleware

ROOT = Path(__file__).resolve().parents[2]
KEY = "x" * 60 + "-production-test-key-with-enough-entropy"

# What a deployment sets (docs/deployment.md lists every variable).
FULL_ENV = {
    "SECRET_KEY": KEY,
    "ALLOWED_HOSTS": "shezu.example.gov.cn,www.shezu.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://shezu.example.gov.cn",
    "DATABASE_URL": "postgres://platform:pw@db-primary.internal:5432/platform",
    "DATABASE_REPLICA_URLS": (
        "postgres://reader:pw@db-replica-1.internal:5432/platform,"
        " postgres://reader:pw@db-replica-2.internal:5432/platform"
    ),
    "CONN_MAX_AGE": "60",
    "REDIS_URL": "redis://cache.internal:6379/1",
    "AWS_STORAGE_BUCKET_NAME": "shezu-media",
    "AWS_PRIVATE_STORAGE_BUCKET_NAME": "shezu-private",
    "AWS_S3_ENDPOINT_URL": "https://oss-cn-hangzhou.aliyuncs.com",
    "AWS_S3_REGION_NAME": "cn-hangzhou",
    "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "secret-example",
    "AWS_S3_ADDRESSING_STYLE": "virtual",
    "EMAIL_HOST": "smtp.example.gov.cn",
    "EMAIL_PORT": "465",
    "EMAIL_HOST_USER": "noreply",
    "EMAIL_HOST_PASSWORD": "mail-secret",
    "DEFAULT_FROM_EMAIL": "社会组织平台 <noreply@example.gov.cn>",
    "LOG_FORMAT": "json",
    "TRUSTED_PROXY_HOPS": "1",
}
# Variables of the machine running the tests that would change the outcome.
DEPLOYMENT_VARIABLES = {
    *FULL_ENV,
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_DEFAULT_ACL",
    "AWS_LOCATION",
    "AWS_PRIVATE_LOCATION",
    "CACHE_KEY_PREFIX",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
}

# Prints what the profile made of the environment, as JSON.
DUMP = textwrap.dedent(
    """
    import json
    import django
    from django.conf import settings

    django.setup()
    from django.core.files.storage import storages
    from projects.models import private_storage

    def s3(storage):
        names = ("bucket_name", "endpoint_url", "region_name", "location",
                 "default_acl", "querystring_auth", "custom_domain",
                 "file_overwrite", "addressing_style", "access_key")
        return {n: getattr(storage, n, None) for n in names}

    default = storages["default"]
    private = private_storage()
    print(json.dumps({
        "DEBUG": settings.DEBUG,
        "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
        "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
        "DATABASES": settings.DATABASES,
        "DATABASE_REPLICAS": settings.DATABASE_REPLICAS,
        "DATABASE_ROUTERS": settings.DATABASE_ROUTERS,
        "CACHES": settings.CACHES,
        "SESSION_ENGINE": settings.SESSION_ENGINE,
        "STORAGES": settings.STORAGES,
        "default_storage": [type(default).__name__, s3(default)],
        "private_storage": [type(private._wrapped).__name__, s3(private._wrapped)],
        "private_url": private.url("evidence/2025/06/报告.pdf"),
        "WAGTAILDOCS_SERVE_METHOD": settings.WAGTAILDOCS_SERVE_METHOD,
        "security": {n: getattr(settings, n) for n in (
            "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
            "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS")},
        "email": {n: getattr(settings, n) for n in (
            "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER",
            "EMAIL_USE_SSL", "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL")},
        "log_formatter": settings.LOGGING["handlers"]["console"]["formatter"],
        "TASKS": settings.TASKS,
        "TRUSTED_PROXY_HOPS": settings.TRUSTED_PROXY_HOPS,
    }, default=str))
    """
)


def _environment(extra):
    env = {k: v for k, v in os.environ.items() if k not in DEPLOYMENT_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    env.update(extra)
    return env


def _run(args, extra):
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env=_environment(extra),
        capture_output=True,
        text=True,
        check=False,
    )


def _settings(extra):
    proc = _run(["-c", DUMP], extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_full_environment_configures_every_service():
    s = _settings(FULL_ENV)

    assert s["DEBUG"] is False
    assert s["ALLOWED_HOSTS"] == ["shezu.example.gov.cn", "www.shezu.example.gov.cn"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://shezu.example.gov.cn"]

    # PostgreSQL primary and two read replicas, persistent connections checked
    # before use; the replicas are only mirrors in test runs.
    databases = s["DATABASES"]
    assert set(databases) == {"default", "replica_1", "replica_2"}
    primary = databases["default"]
    assert primary["ENGINE"] == "django.db.backends.postgresql"
    assert (primary["HOST"], primary["NAME"]) == ("db-primary.internal", "platform")
    assert primary["CONN_MAX_AGE"] == 60 and primary["CONN_HEALTH_CHECKS"] is True
    for number in (1, 2):
        replica = databases[f"replica_{number}"]
        assert replica["HOST"] == f"db-replica-{number}.internal"
        assert replica["USER"] == "reader"
        assert replica["CONN_MAX_AGE"] == 60 and replica["CONN_HEALTH_CHECKS"] is True
        assert replica["TEST"]["MIRROR"] == "default"
    assert s["DATABASE_REPLICAS"] == ["replica_1", "replica_2"]
    assert s["DATABASE_ROUTERS"] == ["core.db.StatisticsReplicaRouter"]

    # Redis for the cache (figures, login failures) and the sessions' read cache.
    cache = s["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/1"
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"

    # Media in the bucket: private objects, signed expiring URLs, no overwriting.
    assert s["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    kind, media = s["default_storage"]
    assert kind == "S3Storage"
    assert media == {
        "bucket_name": "shezu-media",
        "endpoint_url": "https://oss-cn-hangzhou.aliyuncs.com",
        "region_name": "cn-hangzhou",
        "location": "media",
        "default_acl": "private",
        "querystring_auth": True,
        "custom_domain": None,
        "file_overwrite": False,
        "addressing_style": "virtual",
        "access_key": "AKIDEXAMPLE",
    }
    # Evidence and agreements: their own bucket, private, and their URL is the view
    # that checks who is asking — never the bucket's.
    kind, private = s["private_storage"]
    assert kind == "PrivateS3Storage"
    assert private["bucket_name"] == "shezu-private"
    assert private["location"] == "private"
    assert private["default_acl"] == "private"
    assert private["querystring_auth"] is True
    assert private["custom_domain"] is None
    assert s["private_url"].startswith("/admin/projects/files/evidence/2025/06/")
    assert "aliyuncs" not in s["private_url"]
    # Restricted documents are streamed after Wagtail's permission check.
    assert s["WAGTAILDOCS_SERVE_METHOD"] == "serve_view"

    assert s["security"] == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "SAMEORIGIN",
    }
    # Port 465 is SMTP over TLS from the first byte (not STARTTLS).
    assert s["email"] == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.gov.cn",
        "EMAIL_PORT": 465,
        "EMAIL_HOST_USER": "noreply",
        "EMAIL_USE_SSL": True,
        "EMAIL_USE_TLS": False,
        "DEFAULT_FROM_EMAIL": "社会组织平台 <noreply@example.gov.cn>",
    }
    assert s["log_formatter"] == "json"
    assert s["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert s["TRUSTED_PROXY_HOPS"] == 1


def test_a_custom_domain_serves_public_media_unsigned_but_never_private_files():
    s = _settings(
        {
            "SECRET_KEY": KEY,
            "AWS_STORAGE_BUCKET_NAME": "shezu-media",
            "AWS_S3_CUSTOM_DOMAIN": "media.shezu.example.gov.cn",
            "AWS_DEFAULT_ACL": "",  # a bucket with ACLs disabled
        }
    )
    _kind, media = s["default_storage"]
    assert media["custom_domain"] == "media.shezu.example.gov.cn"
    assert media["querystring_auth"] is False
    assert media["default_acl"] is None
    _kind, private = s["private_storage"]
    # Same bucket, its own prefix, still signed and never behind the domain.
    assert private["bucket_name"] == "shezu-media"
    assert private["location"] == "private"
    assert private["custom_domain"] is None
    assert private["querystring_auth"] is True


def test_only_a_secret_key_gives_one_machine_with_local_services():
    s = _settings({"SECRET_KEY": KEY})
    assert set(s["DATABASES"]) == {"default"}
    assert s["DATABASE_REPLICAS"] == []
    assert s["CACHES"]["default"]["BACKEND"] == (
        "django.core.cache.backends.locmem.LocMemCache"
    )
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    # On disk: images in MEDIA_ROOT, documents kept outside it.
    assert s["STORAGES"]["default"]["BACKEND"] == "core.storage.MediaStorage"
    assert "private" not in s["STORAGES"]
    assert s["private_storage"][0] == "PrivateFileSystemStorage"
    assert s["email"]["EMAIL_BACKEND"] == (
        "django.core.mail.backends.console.EmailBackend"
    )
    assert s["log_formatter"] == "plain"
    assert s["TRUSTED_PROXY_HOPS"] == 0


@pytest.mark.parametrize("key", [None, "", "dev-only-insecure-key-change-me"])
def test_production_refuses_to_start_without_a_secret_key(key):
    extra = {} if key is None else {"SECRET_KEY": key}
    proc = _run(["manage.py", "check"], extra)
    assert proc.returncode != 0
    assert "Set SECRET_KEY in the environment for production." in proc.stderr


def test_production_profile_passes_the_deploy_check():
    """`check --deploy` with every service configured. The database is the one the
    suite runs on (its replica too), so the check could reach it."""
    database = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
    env = {
        **FULL_ENV,
        "DATABASE_URL": database,
        "DATABASE_REPLICA_URLS": database,
    }
    proc = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "System check identified no issues" in proc.stdout


def test_json_log_lines_are_one_object_each():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "导入失败：%s", ("第 3 行",), None
    )
    line = JSONFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "导入失败：第 3 行"
    assert entry["time"].endswith("+00:00")


def _address_seen(forwarded_for, remote="10.0.0.2"):
    request = RequestFactory().get(
        "/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for
    )
    return ForwardedForMiddleware(lambda r: r.META["REMOTE_ADDR"])(request)


def test_the_client_address_is_read_behind_the_trusted_proxies_only():
    # No proxy trusted: the header is the client's word, ignored.
    with override_settings(TRUSTED_PROXY_HOPS=0):
        assert _address_seen("203.0.113.7") == "10.0.0.2"
    # One proxy (nginx) appends the address it saw; anything further left was sent
    # by the client (a forged "1.1.1.1" does not escape the throttle).
    with override_settings(TRUSTED_PROXY_HOPS=1):
        assert _address_seen("203.0.113.7") == "203.0.113.7"
        assert _address_seen("1.1.1.1, 203.0.113.7") == "203.0.113.7"
    # A CDN in front of nginx: two hops.
    with override_settings(TRUSTED_PROXY_HOPS=2):
        assert _address_seen("1.1.1.1, 203.0.113.7, 198.51.100.9") == "203.0.113.7"
        # Fewer addresses than proxies: not behind them, the address stays.
        assert _address_seen("203.0.113.7") == "10.0.0.2"


def test_the_gunicorn_configuration_reads_the_environment(monkeypatch):
    config = ROOT / "config" / "gunicorn.conf.py"
    defaults = runpy.run_path(str(config))
    assert defaults["bind"] == "127.0.0.1:8000"
    assert defaults["workers"] == 2 * os.cpu_count() + 1
    assert (defaults["worker_class"], defaults["threads"]) == ("gthread", 2)
    assert defaults["forwarded_allow_ips"] == "127.0.0.1"
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:8080")
    monkeypatch.setenv("WEB_CONCURRENCY", "9")
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "120")
    set_ = runpy.run_path(str(config))
    assert (set_["bind"], set_["workers"], set_["threads"], set_["timeout"]) == (
        "0.0.0.0:8080",
        9,
        4,
        120,
    )
