"""Settings for the servers and workers a test starts as separate processes
(gunicorn for the load test, `manage.py db_worker` for the killed-worker test).

The test settings, but with files on disk (MEDIA_ROOT from the environment: the test
and its subprocess share one folder) instead of in memory, and, when
TASKS_BACKEND=database, the real database task backend that `db_worker` serves. The
database is DATABASE_URL, set by the test to its own test database."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import STORAGES

STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}

if os.environ.get("TASKS_BACKEND") == "database":
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default"],
        }
    }
