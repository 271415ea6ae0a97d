"""Running spreadsheet imports: validate every row first, then write all or nothing.

An importer (see `incubator.importers.OrganizationImporter`) provides:
  - `kind`, `label`, `columns`
  - `validate(frame, progress)` → ValidationResult(records, errors)
  - `write(records, user)` → number of records written (called inside a transaction)
Importers register with `register`; `ImportJob.kind` names one.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from core.models import ImportJob
from core.spreadsheets import RowError, SpreadsheetError, read_table

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
        frame = read_table(fileobj, filename, importer.columns)
    except SpreadsheetError as exc:
        return ValidationResult(errors=[RowError(None, "", str(exc))])
    return importer.validate(frame, progress=progress)


def import_write(importer, records, user):
    with transaction.atomic():
        return importer.write(records, user=user)


def import_job_create(*, kind, uploaded_file, user, language=None):
    """Store the upload as an ImportJob; small files run now, large ones in the worker."""
    from core.tasks import run_import_job

    job = ImportJob.objects.create(
        kind=kind,
        file=uploaded_file,
        original_name=uploaded_file.name,
        created_by=user,
    )
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if _row_estimate(job) > settings.IMPORT_BACKGROUND_THRESHOLD:
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk, language))
    else:
        import_job_run(job, language)
    return job


def _row_estimate(job):
    """A cheap upper bound on data rows without parsing the whole file."""
    size = job.file.size or 0
    return size // 40  # an organization row is well over 40 bytes


def import_job_run(job, language=None):
    """Validate and write one job, recording progress and the outcome on the job."""
    language = language or settings.LANGUAGE_CODE
    importer = get_importer(job.kind)
    importer.user = job.created_by  # importers may narrow what this user may write
    with translation.override(language):
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.VALIDATING, processed_rows=0, errors=[]
        )

        def progress(done, total):
            ImportJob.objects.filter(pk=job.pk).update(
                processed_rows=done, total_rows=total
            )

        with job.file.open("rb") as fileobj:
            result = import_validate(importer, fileobj, job.original_name, progress)
        job.refresh_from_db()
        if result.errors:
            job.status = ImportJob.Status.FAILED
            job.errors = [e.as_dict() for e in result.errors]
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "errors", "finished_at"])
            return job
        job.status = ImportJob.Status.WRITING
        job.total_rows = len(result.records)
        job.save(update_fields=["status", "total_rows"])
        try:
            created = import_write(importer, result.records, job.created_by)
        except ValidationError as exc:
            # A domain rule refused a row while writing: the transaction rolled
            # back, so nothing is written; the user sees the rule's own message.
            job.status = ImportJob.Status.FAILED
            job.errors = [RowError(None, "", m).as_dict() for m in exc.messages]
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "errors", "finished_at"])
            return job
        except Exception as exc:
            job.status = ImportJob.Status.FAILED
            job.errors = [RowError(None, "", str(exc)).as_dict()]
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "errors", "finished_at"])
            raise
        job.status = ImportJob.Status.SUCCEEDED
        job.created_count = created
        job.processed_rows = job.total_rows
        job.finished_at = timezone.now()
        job.save(
            update_fields=["status", "created_count", "processed_rows", "finished_at"]
        )
    return job
