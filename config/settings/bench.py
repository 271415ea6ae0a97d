"""Settings of the benchmark (`make bench`): production, on a database of its own.

The production profile as deployed — DEBUG off, WhiteNoise serving collected static
files, persistent database connections — on a dedicated database, so a bench never
touches the development one.

- BENCH_DATABASE_URL: the bench database (default: SQLite file `bench.sqlite3`).
  DATABASE_URL is ignored on purpose: the bench may empty its database.
- BENCH_STATIC_ROOT: where collectstatic writes (default: `bench-static/`).
- MEDIA_ROOT as in every profile.
"""

import os

# The production profile refuses to start without these; the bench is local only.
os.environ.setdefault("SECRET_KEY", "bench-only-insecure-key-not-for-deployment")  # noqa: S105
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from pathlib import Path  # noqa: E402

import dj_database_url  # noqa: E402

from config.settings.production import *  # noqa: E402, F403
from config.settings.production import BASE_DIR, INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # its commands: bench, bench_generate

BENCH = True  # `manage.py bench` refuses to run under any other settings

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("BENCH_DATABASE_URL")
        or f"sqlite:///{BASE_DIR / 'bench.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # As in the base profile: web workers wait for each other's writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT") or BASE_DIR / "bench-static")

# Served over plain HTTP on 127.0.0.1: no redirect to HTTPS, no HSTS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False

# As deployed (Redis and a db_worker): a change queues the figures' refresh. The
# bench removes the rows (no worker runs) and times the recompute on its own.
FIGURES_REFRESH = "worker"
