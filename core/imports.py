"""Running spreadsheet imports: validate every row first, then write all or nothing.

An importer (see `incubator.importers.OrganizationImporter`) provides:
  - `kind`, `label`, `columns`
  - `validate(frame, progress)` → ValidationResult(records, errors)
  - `write(records, user)` → number of records written (called inside a transaction)
Importers register with `register`; `ImportJob.kind` names one.
"""

import datetime
import logging
import threading

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation

from core.models import ImportJob
from core.spreadsheets import RowError, SpreadsheetError, read_table

logger = logging.getLogger(__name__)

_registry = {}


def register(importer_class):
    _registry[importer_class.kind] = importer_class
    return importer_class


def get_importer(kind):
    return _registry[kind]()


def importers():
    return dict(_registry)


def import_validate(importer, fileobj, filename, progress=None):
    """Read and validate a file; returns ValidationResult. Writes nothing."""
    from core.spreadsheets import ValidationResult

    try:
        frame = read_table(
            fileobj,
            filename,
            importer.columns,
            read_only=getattr(importer, "read_only_headers", ()),
        )
    except SpreadsheetError as exc:
        return ValidationResult(errors=[RowError(None, "", str(exc))])
    return importer.validate(frame, progress=progress)


def import_write(importer, records, user):
    with transaction.atomic():
        return importer.write(records, user=user)


class ImportInterrupted(Exception):
    """The job was declared interrupted (its worker went silent) while this process
    was still running it: stop, write nothing."""


def import_job_create(*, kind, uploaded_file, user, language=None):
    """Store the upload as an ImportJob; small files run now, large ones in the worker."""
    job = ImportJob.objects.create(
        kind=kind,
        file=uploaded_file,
        original_name=uploaded_file.name,
        created_by=user,
    )
    _dispatch(job, language)
    return job


def import_job_rerun(job, *, user, language=None):
    """Import the file of an interrupted job again, as a new job (the interrupted
    one stays as it was, for the record)."""
    if not job.interrupted:
        raise ValueError("only an interrupted import is run again")
    again = ImportJob.objects.create(
        kind=job.kind,
        file=job.file.name,
        original_name=job.original_name,
        created_by=user,
    )
    _dispatch(again, language)
    return again


def _dispatch(job, language):
    from core.tasks import run_import_job

    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if _row_estimate(job) > settings.IMPORT_BACKGROUND_THRESHOLD:
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk, language))
    else:
        import_job_run(job, language)


def _row_estimate(job):
    """A cheap upper bound on data rows without parsing the whole file."""
    size = job.file.size or 0
    return size // 40  # an organization row is well over 40 bytes


def import_jobs_interrupt_stale(jobs=None, now=None):
    """Mark running jobs whose worker has gone silent (no heartbeat for
    IMPORT_STALE_AFTER_SECONDS) as failed and interrupted; returns how many.

    Called whenever someone looks at a job, so the user sees the failure instead of a
    progress bar that never moves. The update is conditional: a worker that finishes
    at the same moment wins or loses cleanly (see `import_job_run`)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.IMPORT_STALE_AFTER_SECONDS)
    jobs = ImportJob.objects.all() if jobs is None else jobs
    stale = jobs.filter(status__in=ImportJob.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None, created_at__lt=cutoff)
    )
    # Look first (a read never waits), write only when there is something to mark.
    if not stale.exists():
        return 0
    try:
        with transaction.atomic():
            return stale.update(
                status=ImportJob.Status.FAILED, interrupted=True, finished_at=now
            )
    except OperationalError:
        # SQLite while the worker holds the write lock: the worker is busy writing,
        # so not silent; look again on the next poll.
        logger.info("could not mark stale import jobs now", exc_info=True)
        return 0


class _Heartbeat:
    """Touches the job's heartbeat every IMPORT_HEARTBEAT_SECONDS from a thread of
    its own (with its own database connection), so that a long write in one
    transaction still shows the worker alive. A killed worker stops beating."""

    def __init__(self, job_pk):
        self.job_pk = job_pk
        self.interval = settings.IMPORT_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"import-heartbeat-{job_pk}", daemon=True
        )

    def _run(self):
        try:
            while not self._stop.wait(self.interval):
                try:
                    ImportJob.objects.filter(
                        pk=self.job_pk, status__in=ImportJob.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    # e.g. SQLite's write lock held by the import itself: the next
                    # beat tries again.
                    logger.info("import heartbeat skipped", exc_info=True)
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def import_job_run(job, language=None, heartbeat=False):
    """Validate and write one job, recording progress and the outcome on the job.

    Runs a job once: a job that is no longer waiting (already run, or run by another
    worker) is left alone. `heartbeat` (the background worker) beats from a thread
    while the job runs; progress reports beat too. If the job is declared interrupted
    meanwhile, the run stops and its write is rolled back."""
    language = language or settings.LANGUAGE_CODE
    started = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.PENDING
    ).update(
        status=ImportJob.Status.VALIDATING,
        processed_rows=0,
        errors=[],
        error_count=0,
        heartbeat_at=timezone.now(),
    )
    if not started:
        job.refresh_from_db()
        return job
    try:
        if heartbeat:
            with _Heartbeat(job.pk):
                _run(job, language)
        else:
            _run(job, language)
    except ImportInterrupted:
        logger.warning("import job %s was interrupted; nothing written", job.pk)
    job.refresh_from_db()
    if job.is_finished and not job.interrupted:
        # Saved once more, after the write committed, so that post_save listeners
        # (the public figures' cache) hear of the outcome.
        job.save(update_fields=["finished_at"])
    return job


def _run(job, language):
    importer = get_importer(job.kind)
    importer.user = job.created_by  # importers may narrow what this user may write
    with translation.override(language):

        def progress(done, total):
            beat = ImportJob.objects.filter(
                pk=job.pk, status=ImportJob.Status.VALIDATING
            ).update(processed_rows=done, total_rows=total, heartbeat_at=timezone.now())
            if not beat:
                raise ImportInterrupted

        with job.file.open("rb") as fileobj:
            result = import_validate(importer, fileobj, job.original_name, progress)
        if result.errors:
            _finish(
                job,
                ImportJob.Status.VALIDATING,
                status=ImportJob.Status.FAILED,
                **stored_errors(result.errors),
            )
            return
        moved = ImportJob.objects.filter(
            pk=job.pk, status=ImportJob.Status.VALIDATING
        ).update(
            status=ImportJob.Status.WRITING,
            total_rows=len(result.records),
            heartbeat_at=timezone.now(),
        )
        if not moved:
            raise ImportInterrupted
        try:
            with transaction.atomic():
                created = importer.write(result.records, user=job.created_by)
                # In the same transaction as the rows: either both the rows and
                # "succeeded" are stored, or neither is.
                _finish(
                    job,
                    ImportJob.Status.WRITING,
                    status=ImportJob.Status.SUCCEEDED,
                    created_count=created,
                    processed_rows=len(result.records),
                )
        except ImportInterrupted:
            raise
        except ValidationError as exc:
            # A domain rule refused a row while writing: the transaction rolled
            # back, so nothing is written; the user sees the rule's own message.
            _finish(
                job,
                ImportJob.Status.WRITING,
                status=ImportJob.Status.FAILED,
                **stored_errors([RowError(None, "", m) for m in exc.messages]),
            )
            return
        except Exception as exc:
            _finish(
                job,
                ImportJob.Status.WRITING,
                status=ImportJob.Status.FAILED,
                **stored_errors([RowError(None, "", str(exc))]),
            )
            raise


def stored_errors(errors):
    """The fields of an ImportJob recording `errors` (RowError list): the first
    IMPORT_MAX_STORED_ERRORS as dicts, and how many there were in all. A file of a
    million bad rows once stored 180 MB of errors in one row (issue 13 item 5)."""
    cap = settings.IMPORT_MAX_STORED_ERRORS
    return {
        "errors": [error.as_dict() for error in errors[:cap]],
        "error_count": len(errors),
    }


def _finish(job, expected, **fields):
    """Record the outcome if the job is still at `expected` (not interrupted meanwhile)."""
    with transaction.atomic():
        current = (
            ImportJob.objects.select_for_update()
            .filter(pk=job.pk)
            .values_list("status", flat=True)
            .first()
        )
        if current != expected:
            raise ImportInterrupted
        now = timezone.now()
        ImportJob.objects.filter(pk=job.pk).update(
            **fields, finished_at=now, heartbeat_at=now
        )
