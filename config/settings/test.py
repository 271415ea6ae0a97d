"""Settings of the test suite: the base profile, in-memory storage, inline tasks."""

import copy

from .base import *  # noqa: F403

# The benchmark app: its generator and harness are tested here.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run inline in tests unless a test swaps the backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
WHITENOISE_AUTOREFRESH = True
# Whatever the environment says: this process's cache, no replicas, no proxy. A
# "replica" alias reading the test database is there for the routing tests, which
# turn it on with DATABASE_REPLICAS = ["replica"] (tests/platform/test_replica_routing.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
TRUSTED_PROXY_HOPS = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The test database is thrown away: a commit (every transactional test's
    # flush, every live-server request) need not wait for the disk.
    # Options the DATABASE_URL gives (`?options=-c search_path=…`) are kept.
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = " ".join(
        filter(None, (_options.get("options"), "-c synchronous_commit=off"))
    )
DATABASES = {
    "default": DATABASES["default"],  # noqa: F405
    "replica": {
        **copy.deepcopy(DATABASES["default"]),  # noqa: F405
        "TEST": {"MIRROR": "default"},
    },
}
DATABASE_REPLICAS = []
# Pages are rendered on every request in tests; tests of the page cache turn it on.
PUBLIC_PAGE_CACHE_SECONDS = 0

# Tests queue the figures' refresh as production does (the immediate task backend
# runs it at once); tests/cms/test_figures_refresh.py also drives the thread.
FIGURES_REFRESH = "worker"
