"""Background work: the import task, and starting a job now or in the worker.

A small file is imported in the request; a larger one (more rows than
IMPORT_BACKGROUND_THRESHOLD, judged from its size) is queued for the worker once
the job's row is committed. Either way the job runs through
`core.imports.import_job_run`. A job run by the worker tells its uploader when it
is settled (`import_job_settled_notify`): in the request, they see it at once.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core.imports import import_job_confirm, import_job_run
from core.models import ImportJob
from core.notifications import NotificationKind, notify


@task()
def run_import_job(job_id, language):
    """The worker's task: run ImportJob `job_id` with messages in `language`,
    beating while it runs so that a killed worker shows as failed; returns the pk."""
    job = ImportJob.objects.get(pk=job_id)
    job = import_job_run(job, language, heartbeat=True)
    import_job_settled_notify(job)
    return job.pk


def import_job_settled_notify(job):
    """Tell the uploader of `job` (an ImportJob the worker ran) how it ended:
    written (with its counts), awaiting their confirmation of the preview, or
    failed (with its error count); linked to the job's screen. Nothing while it
    still runs."""
    if job.status == ImportJob.Status.SUCCEEDED:
        title = format_lazy(
            _("Import finished: {name}, {created} new, {updated} updated"),
            name=job.original_name,
            created=job.created_count,
            updated=job.updated_count,
        )
    elif job.status == ImportJob.Status.AWAITING:
        title = format_lazy(
            _("Import checked, awaiting your confirmation: {name}"),
            name=job.original_name,
        )
    elif job.status == ImportJob.Status.FAILED:
        title = format_lazy(
            _("Import failed: {name}, {errors} errors, nothing written"),
            name=job.original_name,
            errors=job.total_errors,
        )
    else:
        return
    notify(
        NotificationKind.IMPORT_FINISHED,
        [job.created_by],
        title=title,
        link=reverse("core_import_job", args=[job.pk]),
    )


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
    one stays as it was, for the record). ValueError for a job not interrupted."""
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


def import_job_confirm_run(job, *, user, seen=None, language=None):
    """The officer `user` confirms the preview of a job awaiting confirmation: the
    file is checked again and written, now or in the worker as on upload. A
    replayed confirmation (the job no longer waiting, or showing another preview
    than `seen`, see `core.imports.import_job_confirm`) does nothing. Raises
    PermissionError when `user` may not import this kind. Returns the job."""
    if import_job_confirm(job, user, seen=seen):
        _dispatch(job, language)
        job.refresh_from_db()
    return job


def _dispatch(job, language):
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if _row_estimate(job) > settings.IMPORT_BACKGROUND_THRESHOLD:
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk, language))
    else:
        import_job_run(job, language)


def _row_estimate(job):
    """A cheap upper bound on data rows without parsing the whole file."""
    size = job.file.size or 0
    return size // 40  # an organization row is well over 40 bytes
