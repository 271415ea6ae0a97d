"""The background worker killed (SIGKILL) in the middle of writing an import: nothing
of the file is stored, the user sees the import failed with a clear message once the
worker has been silent for IMPORT_STALE_AFTER_SECONDS, and the same file imported
again is written exactly once.

A real `manage.py db_worker` runs in another process against this test's database
(on SQLite a file copy of it: see tests/support/processes.py). The kill is aimed: the worker
is frozen (SIGSTOP) until it is caught inside its write transaction — on PostgreSQL
its connection has an open transaction that has inserted organizations (INSERT, or
COPY for the bulk writes), on SQLite
it holds the database's write lock — and is then killed. No timing is asserted.
"""

import os
import signal
import sqlite3
import time

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.users.models import UserProfile

from core import roles
from core.models import ImportJob
from incubator.models import Organization, ServiceField
from tests.incubator.test_organization_import import good_row
from tests.support.processes import (
    log_tail,
    manage,
    sqlite_file_database,
    start,
    stop,
    subprocess_env,
)
from tests.support.spreadsheets import csv_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROWS = 2000  # about a second of writing: long enough to be caught inside it
STALE_AFTER = 2  # seconds of silence before a running import is declared failed
IMPORT = reverse("incubator_organization_import")
INTERRUPTED_ZH = "导入中断：后台任务意外停止，未写入任何数据，请重新导入。"
INTERRUPTED_EN = (
    "Import interrupted: the background worker stopped unexpectedly. "
    "Nothing was written; please import the file again."
)


@pytest.fixture
def shared_database(tmp_path):
    """The test database, reachable from other processes; returns its SQLite file
    (None on PostgreSQL)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "db.sqlite3"
        with sqlite_file_database(path):
            yield path
    else:
        yield None


@pytest.fixture
def worker_settings(settings, tmp_path, shared_database):
    """Files on disk, tasks through the database, a short silence allowed."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_THRESHOLD = 10
    settings.IMPORT_STALE_AFTER_SECONDS = STALE_AFTER
    return subprocess_env(
        TASKS_BACKEND="database",
        MEDIA_ROOT=settings.MEDIA_ROOT,
        IMPORT_HEARTBEAT_SECONDS="0.2",
        IMPORT_STALE_AFTER_SECONDS=STALE_AFTER,
    )


@pytest.fixture
def workers(worker_settings, tmp_path):
    """Starts db_worker processes; every one is stopped at the end, pass or fail."""
    started = []

    def start_worker():
        process = start(
            manage("db_worker", "--interval", "0.05", "--no-startup-delay"),
            worker_settings,
            tmp_path / f"worker{len(started)}.log",
        )
        started.append(process)
        return process

    yield start_worker
    for process in started:
        stop(process)


def _rows():
    return [good_row(n) for n in range(1, ROWS + 1)]


def _file_organizations(rows):
    return Organization.objects.filter(uscc__in=[r["统一社会信用代码"] for r in rows])


def _inside_write_transaction(sqlite_path):
    """Whether the (frozen) worker is inside its write transaction."""
    if sqlite_path is None:
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT count(*) FROM pg_stat_activity
                   WHERE datname = current_database() AND pid <> pg_backend_pid()
                     AND backend_xid IS NOT NULL
                     AND (query ILIKE 'INSERT INTO "incubator_%%'
                          OR query ILIKE 'COPY "incubator_%%')"""
            )
            return cursor.fetchone()[0] > 0
    probe = sqlite3.connect(sqlite_path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True  # someone holds the write lock: the worker, mid-write
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


def _kill_inside_the_write(worker, job, sqlite_path, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"the worker exited by itself:\n{log_tail(worker)}")
        status = ImportJob.objects.values_list("status", flat=True).get(pk=job.pk)
        assert status not in ("succeeded", "failed"), (
            "the import finished before the worker could be killed: use more rows"
        )
        if status == "writing":
            os.kill(worker.pid, signal.SIGSTOP)
            if _inside_write_transaction(sqlite_path):
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait(10)
                return
            os.kill(worker.pid, signal.SIGCONT)
        time.sleep(0.01)
    pytest.fail(f"the worker never reached the write:\n{log_tail(worker)}")


def _wait_until_finished(client, url, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(url, {"format": "json"}).json()
        if status["finished"]:
            return status
        time.sleep(0.2)
    pytest.fail(f"the import did not finish: {status}")


def test_killed_worker_writes_nothing_shows_failed_and_the_file_imports_again(
    shared_database, workers, client_for
):
    for name in ["养老", "儿童"]:
        ServiceField.objects.get_or_create(name=name)
    operator = client_for(roles.OPERATOR)
    rows = _rows()
    data = csv_bytes([list(r.values()) for r in rows], headers=list(rows[0]))

    worker = workers()
    response = operator.post(IMPORT, {"file": upload("全省社会组织名录.csv", data)})
    job = ImportJob.objects.get()
    job_url = reverse("core_import_job", args=[job.pk])
    assert response["Location"] == job_url

    _kill_inside_the_write(worker, job, shared_database)

    # All or nothing: not one organization (nor its history or fields) of the file.
    assert not _file_organizations(rows).exists()
    assert Organization.objects.count() == 0
    assert Organization.history.count() == 0
    assert Organization.service_fields.through.objects.count() == 0
    # The task queue still believes the task runs: it cannot tell a dead worker
    # from a slow one, which is why the job has a heartbeat of its own.
    assert DBTaskResult.objects.get().status == "RUNNING"

    # Once the worker has been silent long enough the user sees the failure.
    status = _wait_until_finished(operator, job_url)
    assert status["status"] == "failed"
    assert status["status_display"] == "失败"
    assert status["message"] == INTERRUPTED_ZH
    page = operator.get(job_url).content.decode()
    assert INTERRUPTED_ZH in page
    assert "再次导入同一文件" in page
    assert "<progress" not in page
    job.refresh_from_db()
    assert (job.status, job.interrupted, job.created_count) == ("failed", True, 0)
    assert "全省社会组织名录.csv</a> — 失败" in operator.get(IMPORT).content.decode()
    # ... in the user's own language
    profile = UserProfile.get_for_user(operator.user)
    profile.preferred_language = "en"
    profile.save()
    assert INTERRUPTED_EN in operator.get(job_url).content.decode()
    profile.preferred_language = "zh-hans"
    profile.save()

    # Run it again: a new job with the same file, written exactly once.
    workers()
    response = operator.post(job_url)
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("core_import_job", args=[again.pk])
    status = _wait_until_finished(operator, reverse("core_import_job", args=[again.pk]))
    assert status["status"] == "succeeded", status
    assert status["processed_rows"] == ROWS
    assert _file_organizations(rows).count() == ROWS
    assert Organization.objects.count() == ROWS
    assert Organization.history.count() == ROWS
    names = list(Organization.objects.values_list("name", flat=True))
    assert len(set(names)) == ROWS
    # every row: 养老 and 儿童
    assert Organization.service_fields.through.objects.count() == 2 * ROWS
    again.refresh_from_db()
    assert (again.created_count, again.original_name, again.created_by) == (
        ROWS,
        "全省社会组织名录.csv",
        operator.user,
    )
    job.refresh_from_db()
    assert (job.status, job.interrupted) == ("failed", True)
