"""An import run by the worker tells the person who uploaded it how it ended, linked
to the job's screen; a rolled-back or still-running job tells no one."""

import pytest
from django.core import mail
from django.urls import reverse

from core import roles
from core.models import ImportJob, Notification, NotificationKind
from core.tasks import run_import_job
from tests.incubator.test_organization_import import good_row, rows_to_xlsx
from tests.support.spreadsheets import upload

pytestmark = pytest.mark.django_db


def _job(user, rows):
    return ImportJob.objects.create(
        kind="organizations",
        file=upload("机构名录.xlsx", rows_to_xlsx(rows)),
        original_name="机构名录.xlsx",
        created_by=user,
    )


def test_a_finished_import_tells_its_uploader(
    make_user, service_fields, django_capture_on_commit_callbacks
):
    officer = make_user("officer", roles.ADMINISTRATOR)
    make_user("other", roles.ADMINISTRATOR)
    job = _job(officer, [good_row(1), good_row(2)])
    with django_capture_on_commit_callbacks(execute=True):
        run_import_job.call(job.pk, "zh-hans")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    row = Notification.objects.get()
    assert (row.recipient, row.kind, row.title) == (
        officer,
        NotificationKind.IMPORT_FINISHED,
        "导入完成：机构名录.xlsx，新增 2 条，更新 0 条",
    )
    assert row.link == reverse("core_import_job", args=[job.pk])
    assert [m.to for m in mail.outbox] == [["officer@example.org"]]


def test_a_failed_import_says_so(make_user, service_fields):
    officer = make_user("officer", roles.ADMINISTRATOR)
    job = _job(
        officer, [good_row(1, 类型="不存在的类型"), good_row(2, 行政区划代码="1")]
    )
    run_import_job.call(job.pk, "zh-hans")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert Notification.objects.get().title == (
        "导入失败：机构名录.xlsx，共 2 处错误，未写入任何数据"
    )
