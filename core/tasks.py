from django_tasks import task

from core.models import ImportJob


@task()
def run_import_job(job_id, language):
    from core.imports import import_job_run

    job = ImportJob.objects.get(pk=job_id)
    # In the worker: beat while running, so that a killed worker shows as failed.
    import_job_run(job, language, heartbeat=True)
    return job.pk
