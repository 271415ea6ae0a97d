"""Importing organizations through the admin: small files at once, large ones in the
background worker with visible progress; nothing is written when a row is bad."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from core import roles
from core.models import ImportJob
from incubator.models import Organization
from tests.incubator.test_organization_import import good_row, rows_to_xlsx
from tests.support.spreadsheets import upload

IMPORT = reverse("incubator_organization_import")


@pytest.mark.django_db
def test_upload_writes_all_rows_and_shows_the_count(client_for, service_fields):
    client = client_for(roles.OPERATOR)
    data = rows_to_xlsx([good_row(1), good_row(2)])
    response = client.post(IMPORT, {"file": upload("机构.xlsx", data)}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "已导入 2 条记录" in html
    assert Organization.objects.count() == 2
    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.created_by) == (
        "succeeded",
        2,
        client.user,
    )


@pytest.mark.django_db
def test_upload_with_a_bad_row_lists_errors_and_writes_nothing(
    client_for, service_fields, make_organization
):
    existing = make_organization()
    client = client_for(roles.OPERATOR)
    # A row matching a registered organization is no error on the screen (it is
    # an update, shown in the preview: tests/incubator/test_organization_update.py),
    # but the file's bad row keeps the whole file out.
    rows = [
        good_row(1),
        good_row(2, 行政区划代码="123"),
        good_row(3, 统一社会信用代码=existing.uscc),
    ]
    response = client.post(
        IMPORT, {"file": upload("机构.xlsx", rows_to_xlsx(rows))}, follow=True
    )
    html = response.content.decode()
    assert "文件有 1 处错误，未写入任何数据" in html
    assert "“123”不是有效的行政区划代码" in html
    assert list(Organization.objects.all()) == [existing]
    assert existing.history.count() == 1


@pytest.mark.django_db
def test_form_refuses_other_file_types(client_for):
    client = client_for(roles.OPERATOR)
    response = client.post(IMPORT, {"file": upload("名单.pdf", b"%PDF-1.4")})
    assert response.status_code == 200
    assert "pdf" in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_only_the_uploader_sees_a_job(client_for, service_fields):
    owner = client_for(roles.OPERATOR)
    owner.post(IMPORT, {"file": upload("a.xlsx", rows_to_xlsx([good_row(1)]))})
    job = ImportJob.objects.get()
    other = client_for(roles.OPERATOR, username="operator2")
    response = other.get(reverse("core_import_job", args=[job.pk]))
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_large_file_runs_in_the_worker_with_progress(client_for, service_fields):
    rows = [good_row(n) for n in range(1, 61)]
    client = client_for(roles.OPERATOR)
    db_tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(IMPORT_BACKGROUND_THRESHOLD=10, TASKS=db_tasks):
        response = client.post(
            IMPORT, {"file": upload("大批量.xlsx", rows_to_xlsx(rows))}
        )
        job = ImportJob.objects.get()
        assert response["Location"] == reverse("core_import_job", args=[job.pk])
        status = client.get(response["Location"], {"format": "json"}).json()
        assert status["status"] == "pending" and status["finished"] is False
        page = client.get(response["Location"]).content.decode()
        assert "<progress" in page
        assert Organization.objects.count() == 0

        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
        )

    status = client.get(response["Location"], {"format": "json"}).json()
    assert status == {
        "status": "succeeded",
        "status_display": "成功",
        "percent": 100,
        "processed_rows": 60,
        "total_rows": 60,
        "finished": True,
        "message": "",
    }
    assert Organization.objects.count() == 60


@pytest.mark.django_db
def test_template_download_has_the_import_headers(client_for):
    import io

    import pandas as pd

    response = client_for(roles.OPERATOR).get(IMPORT, {"template": "xlsx"})
    frame = pd.read_excel(io.BytesIO(b"".join(response.streaming_content)))
    assert list(frame.columns[:6]) == [
        "名称",
        "统一社会信用代码",
        "备案号",
        "类型",
        "登记级别",
        "行政区划代码",
    ]
