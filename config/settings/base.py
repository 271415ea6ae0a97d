"""Settings shared by every profile.

Everything environment-specific is read here, from the environment, in one place.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from .env import env_bool, env_int, env_list, env_str, media_origins, s3_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
# Proxies in front of the site that append to X-Forwarded-For (nginx: 1). The
# client's address (login throttling, history) is then read from that header.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)

INSTALLED_APPS = [
    # Our apps first so their templates and translations win.
    "core",
    "incubator",
    "funding",
    "projects",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_filters",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # REMOTE_ADDR from X-Forwarded-For behind TRUSTED_PROXY_HOPS proxies (off: 0).
    "core.proxy.ForwardedForMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, static files and cached pages too
    # (core/csp.py; the policy is CONTENT_SECURITY_POLICY below).
    "core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers of public pages get a stored copy (cms/page_cache.py).
    "cms.page_cache.PublicPageCacheMiddleware",
    # The Wagtail site of a request, read once per change of the site (cms/middleware.py).
    "cms.middleware.SiteLookupMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Statistics reads stay on the primary after a write (core/db.py).
    "core.db.PrimaryAfterWriteMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite with nothing to set up; PostgreSQL (or anything dj-database-url reads)
# through DATABASE_URL. CONN_MAX_AGE keeps connections open between requests (60 is
# a good value behind gunicorn); health checks then drop a dead one before use.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 0)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", CONN_MAX_AGE > 0),
    )
}
# Read replicas (comma-separated URLs) for the statistics reads: aliases replica_1,
# replica_2 … The router in core/db.py sends the statistics there and everything
# else to "default"; with no replica everything stays on "default".
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _alias = f"replica_{_number}"
    DATABASES[_alias] = dj_database_url.parse(
        _url,
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", CONN_MAX_AGE > 0),
    )
    # Test runs on this configuration read the primary's test database.
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["core.db.StatisticsReplicaRouter"]
# After a write, the visitor's statistics come from the primary for this long.
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # A web server and a task worker write the same file: wait instead of failing.
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: Chinese by default, English available (per user in the admin).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Amounts in the Chinese UI are grouped by thousands with commas (config/formats).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Private files on disk, outside MEDIA_ROOT and never on a public path (core/storage.py):
# outcome evidence, pairing agreements and import files (core.storage.private_storage),
# and Wagtail documents (core.storage.MediaStorage keeps `documents/` here).
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media")
)
# All that /media/ may ever serve (config/urls.py; nginx or a CDN likewise): Wagtail's
# images and their renditions, which are public by design.
PUBLIC_MEDIA_PREFIXES = ("original_images/", "images/")
STORAGES = {
    "default": {"BACKEND": "core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media on S3-compatible storage (AWS S3, MinIO, Aliyun OSS, Tencent COS …) when a
# bucket is named. Nothing in the bucket is public: objects are written with a
# private ACL and every URL is signed and expires (a custom domain, e.g. a CDN for
# the public images, turns signing off for the "default" storage only). Private
# files ("private": evidence, agreements) get their own prefix or bucket and are
# only ever streamed through the views that check who is asking.
STORAGES.update(s3_storages())
# Documents (some in restricted collections) are streamed by Wagtail's view after its
# permission check, never redirected to the storage's URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Cache: Redis when REDIS_URL is set (shared by every gunicorn worker and host: the
# public figures and the login-failure counts), else this process's memory.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "shezu"),
        }
    }
    # Sessions read from Redis, written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Who recomputes the public figures after a change while readers get the previous
# ones (cms.selectors.figures): "worker" queues a task for `db_worker`, which needs a
# cache shared with the web processes (Redis); "thread" recomputes in a thread of the
# web process that noticed, into its own memory.
FIGURES_REFRESH = "worker" if REDIS_URL else "thread"

# Public pages served to anonymous readers from the cache for this long (0: off); any
# publish or data change drops them sooner (cms/page_cache.py). Without Redis each
# worker process has its own copy, so a change reaches every worker within this time.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 300)

# Email: SMTP when EMAIL_HOST is set, else printed to the console.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Uploads: spreadsheets of 10,000 rows fit comfortably; larger bodies are refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_FILE_SIZE = 20 * 1024 * 1024
# Limits checked on an import file before it is parsed (core/spreadsheet_files.py).
# 100,000 rows is ten times the bench's 10,000-row import; a 10,000-row organization
# sheet unpacks to about 13 MB, so 100,000 rows of the widest template fit in 200 MB,
# which calamine reads in well under 1 GB (a 1 GB cell once took a worker to 4 GB).
# A workbook part inflating more than 100 times is a zip bomb: real sheets pack
# 8-15 times. 32,767 characters is Excel's own limit for one cell.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)
IMPORT_MAX_COLUMNS = 200
IMPORT_MAX_UNCOMPRESSED_SIZE = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 200) * 1024 * 1024
IMPORT_MAX_COMPRESSION_RATIO = 100
IMPORT_MAX_CELL_CHARS = 32_767
# A refused import keeps its first errors (and their count), not all of them.
IMPORT_MAX_STORED_ERRORS = 500
# Imports with more rows than this run in the background worker.
IMPORT_BACKGROUND_THRESHOLD = int(os.environ.get("IMPORT_BACKGROUND_THRESHOLD", "500"))
# The worker running an import beats this often; a running import whose worker has
# been silent for longer is shown (and marked) failed: the worker was stopped.
IMPORT_HEARTBEAT_SECONDS = float(os.environ.get("IMPORT_HEARTBEAT_SECONDS", "5"))
IMPORT_STALE_AFTER_SECONDS = float(os.environ.get("IMPORT_STALE_AFTER_SECONDS", "120"))

# Background work: django-tasks with the database backend; `manage.py db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

WAGTAIL_SITE_NAME = "社会组织孵化与资金项目管理平台"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploads are checked by content against one allow-list (core/uploads.py):
# these forms run the check on every document and image upload; the extension lists
# only tell the browser's file picker what to offer.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.upload_forms.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.upload_forms.ImageForm"
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "doc",
    "docx",
    "gif",
    "jpeg",
    "jpg",
    "pdf",
    "png",
    "pptx",
    "txt",
    "webp",
    "xls",
    "xlsx",
]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Documents are downloads (attachment) except PDF, shown inline by the browser's
# viewer; Wagtail adds nosniff and a "default-src 'none'" policy to each.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAIL_I18N_ENABLED = False
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

LOGIN_URL = "wagtailadmin_login"
WAGTAILADMIN_USER_LOGIN_FORM = "core.auth_forms.LoginForm"

# Logs go to stdout (the process manager or container runtime keeps them), one line
# per record: plain text, or JSON with LOG_FORMAT=json.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.log.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if env_str("LOG_FORMAT") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # One line per background task (Wagtail queues many) is noise; failures still show.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # django-axes: failures and lockouts are warnings; its start-up line is not.
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF (and of its own style sheets when it
        # is imported) at INFO; its warnings (a missing font, a refused URL) still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Security baseline: login lockout, sessions, cookies.

# Login lockout by django-axes (the rule and the project's pieces: core/login_lock.py).
# Its backend goes first: it refuses a locked account before any password is checked,
# on every path that calls authenticate().
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
# Counted per account and per (account, address); never per address alone, which
# would lock out a whole office behind one address. With one limit for both, the
# account's count is the one that trips first; the pair is kept so that the records
# and `axes_reset_ip_username` work on it.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "core.login_lock.login_username"
AXES_CLIENT_IP_CALLABLE = "core.login_lock.client_address"
AXES_LOCKOUT_CALLABLE = "core.login_lock.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Attempts while locked do not restart the 15 minutes (as before axes).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failures are kept in the database (AccessAttempt), shared by every process.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # Wagtail's admin JavaScript reads the CSRF token
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4), on every response: the
# public site, the admin, downloads and error pages alike. Why each source is there:
# docs/deployment.md "Content-Security-Policy". Served files (documents, evidence)
# get a stricter, sandboxed policy of their own (core/csp.py FILE_DIRECTIVES).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # Our scripts and Wagtail's are files; the few inline scripts Wagtail's
        # widgets write carry the request's nonce (core/wagtail_csp.py).
        "script-src": [SELF, NONCE],
        # Styles: files, plus inline ones. Wagtail's rich-text editor (vendor.js)
        # writes <style> elements whose text changes from page to page (no hash or
        # nonce can name them) and Wagtail and ECharts set style="" attributes, so
        # 'unsafe-inline' is unavoidable here; it is never allowed for scripts.
        "style-src": [SELF, UNSAFE_INLINE],
        # Public images from this site or the media bucket/CDN; data: for Wagtail's
        # and ECharts' small generated images, blob: for previews of an image
        # being uploaded.
        "img-src": [SELF, "data:", "blob:", *media_origins(MEDIA_URL)],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # Wagtail's preview shows the page in a same-origin iframe (X_FRAME_OPTIONS
        # is SAMEORIGIN for the same reason).
        "frame-ancestors": [SELF],
    }
}
# No Gravatar: the admin's avatars are drawn here, nothing (not even an email's hash)
# goes to an outside service, and img-src stays this site's.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No call from the admin to Wagtail's release server (connect-src stays this site's;
# upgrades are the deployers' business, docs/deployment.md).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Nor to Wagtail's guide site: no "what's new" banner on the dashboard, and the help
# menu's guide links are taken out (core/wagtail_hooks.py).
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# The whole country keeps Beijing time, and so do the deadlines of calls, reviews and
# 公示 periods: the account page offers no time-zone choice. (Offering every zone of
# the system's tz database listed "localtime", which the browser refuses:
# "Invalid time zone specified: localtime".)
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
