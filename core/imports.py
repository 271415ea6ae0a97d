"""Spreadsheet imports: the importer contract (`BaseImporter`) and running a job.

An import kind (organizations, residents, outcome reports) is a `BaseImporter`
subclass in its app's `imports/` package, registered with `@register`;
`ImportJob.kind` names one. Every file is validated row by row first, then written
all at once inside one transaction, or not at all. A job runs here
(`import_job_run`); `core.tasks` decides whether it runs now or in the worker.
"""

import datetime
import io
import logging
import threading

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from core.models import ImportJob
from core.spreadsheets import (
    RowError,
    SpreadsheetError,
    ValidationResult,
    parsed_rows,
    read_table,
)

logger = logging.getLogger(__name__)


class BaseImporter:
    """
    Base class for an import kind.

    An importer turns the rows of an uploaded .xlsx/.csv file into records and
    writes them. This class owns what every kind shares — reading the file against
    the columns, the row loop, progress reports and the collected errors — so that
    the upload screen, the background worker and the management command all behave
    identically. It also builds, from the same column list, the downloadable empty
    workbook (`template_workbook`) and the listing's export (`export_fields`): an
    exported file can be edited and imported again.

    Subclasses set `kind`, `label`, `columns`, `permissions_required`, `model` and
    `index_url_name`, and implement `validate_row` and `write`; `prepare` and
    `finish` are optional hooks. Register a subclass with `@register`.

    The core calls, in this order: `validate(frame, progress)` (which calls
    `prepare()`, then `validate_row(row)` per data row, then `finish(result)`), and,
    when no row has an error, `write(records, user)` inside a transaction.
    """

    kind: str = ""
    """
    The name the importer is registered under and that `ImportJob.kind` stores,
    e.g. ``"organizations"``. Also the stem of the template's file name.
    """

    label = ""
    """The (lazy) title of the upload screen, e.g. "Import organizations"."""

    columns: list = []
    """
    The kind's one column list (`core.spreadsheets.Column`), in export order. The
    columns without `read_only` make the template and are read on import; the
    `read_only` ones are written by the export and ignored when a file comes back.
    """

    permissions_required: tuple = ()
    """The Django permissions a user needs to upload (and rerun) this kind."""

    model = None
    """The model whose listing the screens link back to (its plural name)."""

    index_url_name: str = ""
    """
    The URL name of that listing,
    e.g. ``"wagtailsnippets_incubator_organization:list"``.
    """

    natural_key: tuple = ()
    """
    The column keys that identify an existing record of this kind, e.g.
    ``("uscc",)`` for organizations, ``("fund", "year", "title", "uscc")`` for
    awards. Empty: every row creates a record and a row matching an existing one
    is refused. With a key, a row that matches an existing record updates it
    (after the preview's confirmation), and two rows with the same key in one
    file are refused.
    """

    progress_every: int = 250
    """Report progress every this many data rows (and once at the end)."""

    user = None
    """
    The user the import runs for (the job's uploader), or None (the management
    command): an importer may limit the rows to what this user may write.
    """

    def __init__(self, user=None):
        self.user = user

    # --- what the kind declares, derived ---------------------------------------

    @property
    def import_columns(self):
        """The columns read on import and shown in the template, in order."""
        return [column for column in self.columns if not column.read_only]

    @property
    def read_only_headers(self):
        """The (lazy) headers of the export-only columns: accepted in an uploaded
        file and ignored."""
        return [column.label for column in self.columns if column.read_only]

    @classmethod
    def export_fields(cls):
        """The listing's export as (attribute path, lazy heading) pairs, one per
        column, import and read-only alike, in the column list's order."""
        return [(column.export_field, column.label) for column in cls.columns]

    def template_workbook(self):
        """The downloadable empty template: .xlsx bytes whose one row is the header
        of every import column, in the current language."""
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append([str(column.label) for column in self.import_columns])
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()

    @property
    def index_label(self):
        """The plural name of `model`, for breadcrumbs and the back link."""
        return self.model._meta.verbose_name_plural

    def index_url(self):
        """The URL of the listing of `model`."""
        return reverse(self.index_url_name)

    # --- the row loop ------------------------------------------------------------

    def validate(self, frame, progress=None):
        """Check every data row of `frame` (from `read_table`); write nothing.

        Returns a `ValidationResult`: the records of the valid rows, and the
        `RowError`s of the others. `progress(done, total)` is called every
        `progress_every` rows and at the end; it may raise to stop the run (the
        job was interrupted)."""
        result = ValidationResult()
        self.prepare()
        total = len(frame)
        for row in parsed_rows(frame, self.import_columns):
            record = self.validate_row(row)
            if row.errors:
                result.errors.extend(row.errors)
            elif record is not None:
                result.records.append(record)
            done = row.index + 1
            if progress and done % self.progress_every == 0:
                progress(done, total)
        if progress:
            progress(total, total)
        return self.finish(result)

    def prepare(self):
        """Load, once before the rows, what every row is checked against
        (lookups, existing codes); the default does nothing."""

    def validate_row(self, row):
        """Check one `core.spreadsheets.ParsedRow` (its cells already parsed and
        required cells checked): report problems with `row.error(key, message)`
        or `row.error_from(validation_error)`, and return the record to write.
        A row with errors is not written; None means "nothing to append"."""
        raise NotImplementedError

    def finish(self, result):
        """The result after the last row (an importer that groups rows into
        records sets them here); the default returns it unchanged."""
        return result

    def write(self, records, user):
        """Write the validated `records` for `user` (None from the command);
        return how many were written. Called inside a transaction: raising
        (a domain rule's ValidationError included) writes nothing."""
        raise NotImplementedError


_registry = {}


def register(importer_class):
    """Class decorator: make an importer available under its `kind`."""
    _registry[importer_class.kind] = importer_class
    return importer_class


def get_importer(kind, user=None):
    """A new importer of `kind` for `user`; KeyError for an unknown kind."""
    return _registry[kind](user=user)


def importers():
    """Every registered importer class, by kind."""
    return dict(_registry)


def import_validate(importer, fileobj, filename, progress=None):
    """Read and validate a file; returns ValidationResult. Writes nothing."""
    try:
        frame = read_table(
            fileobj,
            filename,
            importer.import_columns,
            read_only=importer.read_only_headers,
        )
    except SpreadsheetError as exc:
        return ValidationResult(errors=[RowError(None, "", str(exc))])
    return importer.validate(frame, progress=progress)


def import_write(importer, records, user):
    """Write validated records in one transaction; returns how many."""
    with transaction.atomic():
        return importer.write(records, user=user)


class ImportInterrupted(Exception):
    """The job was declared interrupted (its worker went silent) while this process
    was still running it: stop, write nothing."""


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
    # The importer may narrow the rows to what the uploader may write.
    importer = get_importer(job.kind, user=job.created_by)
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
    IMPORT_MAX_STORED_ERRORS as dicts, and how many there were in all, so that a
    file of a million bad rows does not store hundreds of megabytes in one row."""
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
