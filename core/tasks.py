from django_tasks import task

from core.models import ImportJob


@task()
def run_import_job(job_id, language):
    from core.imports import import_job_run

    job = ImportJob.objects.get(pk=job_id)
    import_job_run(job, language)
    return job.pk
