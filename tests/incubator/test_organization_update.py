"""Updating organizations by key: the listing's export imports back unchanged; a
changed cell is previewed (column: old → new), written only once confirmed, by an
officer allowed to import, and recorded in the history under the importer."""

import io
from types import SimpleNamespace
from unittest.mock import patch

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from core import roles
from core.models import ImportJob
from core.tasks import run_import_job
from incubator.models import Organization
from tests.incubator.test_organization_import import good_row, rows_to_xlsx
from tests.support.spreadsheets import upload

pytestmark = pytest.mark.django_db

IMPORT = reverse("incubator_organization_import")
LISTING = reverse("wagtailsnippets_incubator_organization:list")


@pytest.fixture
def officer(client_for):
    return client_for(roles.OPERATOR)


@pytest.fixture
def three(officer, service_fields):
    """Three organizations imported from a file (every column filled)."""
    rows = [
        good_row(1),
        good_row(2, 法定代表人="王芳", 服务领域="儿童、养老"),
        good_row(3, 登记级别="市级", 评估等级="", 评估日期=""),
    ]
    officer.post(IMPORT, {"file": upload("机构.xlsx", rows_to_xlsx(rows))})
    assert ImportJob.objects.get().errors == []
    assert Organization.objects.count() == 3
    return Organization.objects.order_by("pk")


def exported(client):
    """The organization listing's own .xlsx export, as an openpyxl workbook."""
    response = client.get(LISTING, {"export": "xlsx"})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def set_cell(workbook, name, header, value):
    """Change the cell of column `header` in the row of organization `name`."""
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("名称")].value == name:
            row[headers.index(header)].value = value
            return
    raise AssertionError(name)


def as_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_file(client, data, name="导出.xlsx"):
    response = client.post(IMPORT, {"file": upload(name, data)})
    assert response.status_code == 302
    return ImportJob.objects.latest("pk"), response["Location"]


def test_the_export_imports_back_unchanged(officer, three):
    job, _url = upload_file(officer, as_bytes(exported(officer)))
    assert job.status == ImportJob.Status.AWAITING
    assert (job.preview["new"], job.preview["changed"], job.preview["unchanged"]) == (
        0,
        0,
        3,
    )
    assert [org.history.count() for org in three] == [1, 1, 1]


def test_one_changed_cell_is_previewed_then_written_once_on_confirmation(
    officer, three
):
    second = three[1]
    workbook = exported(officer)
    set_cell(workbook, second.name, "法定代表人", "李娜")
    job, url = upload_file(officer, as_bytes(workbook))

    # The preview: 0 new, 1 changed (法定代表人: 王芳 → 李娜), 2 unchanged; nothing
    # written yet.
    page = officer.get(url).content.decode()
    assert job.status == ImportJob.Status.AWAITING
    assert job.preview["changes"] == [
        {"row": 3, "record": second.name, "changes": [["法定代表人", "王芳", "李娜"]]}
    ]
    assert (job.preview["new"], job.preview["changed"], job.preview["unchanged"]) == (
        0,
        1,
        2,
    )
    assert "已校验，待确认" in page and "确认导入" in page
    assert "王芳" in page and "李娜" in page
    second.refresh_from_db()
    assert second.legal_representative == "王芳"

    response = officer.post(url, {"action": "confirm"}, follow=True)
    assert "已更新 1 条记录" in response.content.decode()
    second.refresh_from_db()
    assert second.legal_representative == "李娜"
    latest = second.history.latest()
    assert (latest.legal_representative, latest.history_user) == ("李娜", officer.user)
    assert [org.history.count() for org in three] == [1, 2, 1]

    # Replaying the confirmation writes nothing twice.
    officer.post(url, {"action": "confirm"})
    job.refresh_from_db()
    assert (job.status, job.created_count, job.updated_count) == ("succeeded", 0, 1)
    assert second.history.count() == 2


def test_the_same_value_written_as_officers_write_it_is_unchanged(officer, three):
    first = three[0]  # 成立日期 2018-05-16, 服务领域 养老、儿童
    workbook = exported(officer)
    set_cell(workbook, first.name, "成立日期", "2018/5/16")
    set_cell(workbook, first.name, "服务领域", "儿童，养老")
    job, _url = upload_file(officer, as_bytes(workbook))
    assert (job.preview["changed"], job.preview["unchanged"]) == (0, 3)


def test_a_confirmation_by_an_officer_without_the_permission_is_refused(officer, three):
    workbook = exported(officer)
    set_cell(workbook, three[0].name, "法定代表人", "赵六")
    _job, url = upload_file(officer, as_bytes(workbook))
    # The uploader becomes a reviewer: still in the admin, no longer an importer.
    officer.user.groups.set([roles.role_group(roles.REVIEWER)])
    response = officer.post(url, {"action": "confirm"})
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    three[0].refresh_from_db()
    assert three[0].legal_representative == "王芳"
    assert ImportJob.objects.latest("pk").status == ImportJob.Status.AWAITING


def test_a_file_of_new_and_matched_rows_writes_both_on_confirmation(officer, three):
    rows = [good_row(1, 法定代表人="周七"), good_row(4)]
    job, url = upload_file(officer, rows_to_xlsx(rows))
    assert (job.preview["new"], job.preview["changed"]) == (1, 1)
    assert Organization.objects.count() == 3
    officer.post(url, {"action": "confirm"})
    job.refresh_from_db()
    assert (job.created_count, job.updated_count) == (1, 1)
    assert Organization.objects.get(pk=three[0].pk).legal_representative == "周七"
    assert Organization.objects.count() == 4


def test_a_filed_community_organization_is_matched_by_its_filing_number(
    officer, service_fields, make_organization
):
    org = make_organization(
        org_type="community", filing_number="雨花备2020001", legal_representative=""
    )
    row = good_row(
        1,
        名称=org.name,
        统一社会信用代码="",
        备案号="雨花备2020001",
        类型="社区社会组织",
        法定代表人="钱八",
    )
    job, url = upload_file(officer, rows_to_xlsx([row]))
    assert (job.preview["new"], job.preview["changed"]) == (0, 1)
    officer.post(url, {"action": "confirm"})
    org.refresh_from_db()
    assert org.legal_representative == "钱八"


def test_two_rows_with_the_same_filing_number_are_refused(officer, service_fields):
    row = good_row(1, 统一社会信用代码="", 备案号="雨花备2020009", 类型="社区社会组织")
    twin = dict(row, 名称="另一个社区组织")
    response = officer.post(
        IMPORT, {"file": upload("机构.xlsx", rows_to_xlsx([row, twin]))}, follow=True
    )
    html = response.content.decode()
    assert "文件有 1 处错误" in html
    job = ImportJob.objects.get()
    assert job.errors == [
        {"row": 3, "column": "备案号", "message": "同一代码已出现在本文件第 2 行。"}
    ]
    assert Organization.objects.count() == 0


def test_validation_in_the_worker_then_the_job_waits_for_confirmation(
    officer, three, django_capture_on_commit_callbacks
):
    """A large file: the worker validates it, the job waits for the officer; the
    confirmed job is written by the worker too."""
    workbook = exported(officer)
    set_cell(workbook, three[2].name, "法定代表人", "孙九")
    queued = []
    with override_settings(IMPORT_BACKGROUND_THRESHOLD=1):
        worker = SimpleNamespace(enqueue=lambda *args: queued.append(args))
        with patch("core.tasks.run_import_job", worker):
            with django_capture_on_commit_callbacks(execute=True):
                job, url = upload_file(officer, as_bytes(workbook))
            assert job.status == ImportJob.Status.PENDING
            run_import_job.call(*queued.pop())  # the worker
            status = officer.get(url, {"format": "json"}).json()
            assert (status["status"], status["finished"]) == ("awaiting", True)
            assert Organization.objects.get(pk=three[2].pk).legal_representative == (
                "王芳"
            )
            with django_capture_on_commit_callbacks(execute=True):
                officer.post(url, {"action": "confirm"})
            assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.PENDING
            run_import_job.call(*queued.pop())
    job.refresh_from_db()
    assert (job.status, job.updated_count) == ("succeeded", 1)
    assert Organization.objects.get(pk=three[2].pk).legal_representative == "孙九"


# --- the command -------------------------------------------------------------------


def test_command_refuses_a_match_without_update_and_applies_it_with(
    tmp_path, three, capsys
):
    path = tmp_path / "机构.xlsx"
    path.write_bytes(rows_to_xlsx([good_row(2, 法定代表人="吴十")]))
    with pytest.raises(CommandError):
        call_command("import_organizations", str(path))
    assert "第 2 行，“统一社会信用代码”列：已有社会组织使用此统一社会信用代码" in (
        capsys.readouterr().err
    )

    call_command("import_organizations", str(path), "--update", "--dry-run")
    out = capsys.readouterr().out
    assert "0 条新增，1 条变更，0 条未变" in out
    assert "法定代表人：王芳 → 吴十" in out
    assert Organization.objects.get(pk=three[1].pk).legal_representative == "王芳"

    call_command("import_organizations", str(path), "--update")
    assert "已更新 1 条记录" in capsys.readouterr().out
    assert Organization.objects.get(pk=three[1].pk).legal_representative == "吴十"
