"""An import whose worker went silent is shown, and marked, failed; a worker that was
declared dead but was only slow writes nothing when it wakes up, so that running the
file again cannot write it twice. (The real kill: tests/platform/test_import_worker_killed.py.)"""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.imports import import_job_run, import_jobs_interrupt_stale
from core.models import ImportJob
from incubator.imports.organizations import OrganizationImporter
from incubator.models import Organization
from tests.incubator.test_organization_import import good_row, rows_to_xlsx
from tests.support.concurrency import in_thread
from tests.support.spreadsheets import upload

INTERRUPTED = "导入中断：后台任务意外停止，未写入任何数据，请重新导入。"


def _job(user, status, heartbeat_ago, rows=3):
    job = ImportJob.objects.create(
        kind="organizations",
        file=upload("机构名录.xlsx", rows_to_xlsx([good_row(n) for n in range(rows)])),
        original_name="机构名录.xlsx",
        created_by=user,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        heartbeat_at=None
        if heartbeat_ago is None
        else timezone.now() - datetime.timedelta(seconds=heartbeat_ago),
    )
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_silent_worker_shows_the_job_failed_and_offers_to_run_it_again(
    client_for, settings
):
    settings.IMPORT_STALE_AFTER_SECONDS = 120
    client = client_for(roles.OPERATOR)
    silent = _job(client.user, ImportJob.Status.WRITING, heartbeat_ago=121)
    alive = _job(client.user, ImportJob.Status.VALIDATING, heartbeat_ago=60)
    waiting = _job(client.user, ImportJob.Status.PENDING, heartbeat_ago=None)
    ImportJob.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )

    status = client.get(
        reverse("core_import_job", args=[silent.pk]), {"format": "json"}
    ).json()
    assert (status["status"], status["finished"], status["message"]) == (
        "failed",
        True,
        INTERRUPTED,
    )
    page = client.get(reverse("core_import_job", args=[silent.pk])).content.decode()
    assert INTERRUPTED in page and "再次导入同一文件" in page
    silent.refresh_from_db()
    assert (silent.interrupted, silent.finished_at is not None) == (True, True)

    # heard from 60 s ago (< 120 s): still running
    status = client.get(
        reverse("core_import_job", args=[alive.pk]), {"format": "json"}
    ).json()
    assert (status["status"], status["message"]) == ("validating", "")
    # not picked up yet: waiting for a worker is not a failure
    status = client.get(
        reverse("core_import_job", args=[waiting.pk]), {"format": "json"}
    ).json()
    assert status["status"] == "pending"


@pytest.mark.django_db
def test_running_again_makes_a_new_job_with_the_same_file(client_for, service_fields):
    client = client_for(roles.OPERATOR)
    job = _job(client.user, ImportJob.Status.WRITING, heartbeat_ago=3600)
    url = reverse("core_import_job", args=[job.pk])
    client.get(url)  # looked at: marked interrupted

    response = client.post(url)
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("core_import_job", args=[again.pk])
    # three rows: small enough to run at once
    assert (again.status, again.created_count) == ("succeeded", 3)
    assert again.file.name == job.file.name
    assert Organization.objects.count() == 3
    job.refresh_from_db()
    assert (job.status, job.interrupted) == ("failed", True)


@pytest.mark.django_db
def test_only_an_interrupted_job_of_ones_own_can_be_run_again(
    client_for, service_fields
):
    owner = client_for(roles.OPERATOR)
    running = _job(owner.user, ImportJob.Status.WRITING, heartbeat_ago=1)
    response = owner.post(reverse("core_import_job", args=[running.pk]))
    assert response.status_code == 302 and response["Location"] == "/admin/"

    interrupted = _job(owner.user, ImportJob.Status.WRITING, heartbeat_ago=3600)
    other = client_for(roles.OPERATOR, username="operator2")
    response = other.post(reverse("core_import_job", args=[interrupted.pk]))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert ImportJob.objects.count() == 2
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_a_worker_declared_dead_while_validating_stops_and_writes_nothing(
    make_user, service_fields, monkeypatch
):
    job = _job(make_user("operator"), ImportJob.Status.PENDING, heartbeat_ago=None)
    validate = OrganizationImporter.validate

    def validate_slowly(self, frame, progress=None):
        result = validate(self, frame, progress=progress)
        # meanwhile the worker was silent too long and someone looked at the job
        later = timezone.now() + datetime.timedelta(hours=1)
        assert import_jobs_interrupt_stale(now=later) == 1
        return result

    monkeypatch.setattr(OrganizationImporter, "validate", validate_slowly)
    job = import_job_run(job)
    assert (job.status, job.interrupted, job.created_count) == ("failed", True, 0)
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_a_job_already_started_is_not_run_twice(make_user, service_fields):
    job = _job(make_user("operator"), ImportJob.Status.VALIDATING, heartbeat_ago=1)
    job = import_job_run(job)  # e.g. the task delivered twice
    assert job.status == ImportJob.Status.VALIDATING
    assert Organization.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two connections writing at once (PostgreSQL); on SQLite the "
    "import's write lock keeps anyone from marking the job meanwhile",
)
def test_a_worker_declared_dead_while_writing_rolls_its_write_back(
    make_user, service_fields, monkeypatch
):
    job = _job(make_user("operator"), ImportJob.Status.PENDING, heartbeat_ago=None)
    write = OrganizationImporter.write
    errors = []

    def write_slowly(self, records, user):
        written = write(self, records, user)
        # rows inserted, not committed: another connection declares the job dead
        later = timezone.now() + datetime.timedelta(hours=1)
        marker = in_thread(lambda: import_jobs_interrupt_stale(now=later), errors)
        marker.join(30)
        return written

    monkeypatch.setattr(OrganizationImporter, "write", write_slowly)
    job = import_job_run(job)
    assert errors == []
    assert (job.status, job.interrupted, job.created_count) == ("failed", True, 0)
    assert Organization.objects.count() == 0
    assert Organization.history.count() == 0
