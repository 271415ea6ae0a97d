"""Attack on the streaming organization import: a code written with a
space, a hyphen or full-width digits is the same code (it is stored compact), so
it is a duplicate inside the file — even thousands of rows and two write batches
apart — and a code already registered; the import refuses it with the Chinese
message, never with a database error at write time."""

import io

import pytest

from core.imports import get_importer, import_validate
from incubator.imports.organizations import WRITE_CHUNK
from incubator.models import Organization
from incubator.uscc import uscc_make
from tests.support.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def row(serial, code=None):
    return [
        f"长沙市雨花区第{serial}社会工作服务中心",
        code or uscc_make("2", "430111", 20000 + serial),
        "社会服务机构",
        "县级",
        "430111",
    ]


HEADERS = ["名称", "统一社会信用代码", "类型", "登记级别", "行政区划代码"]


def _validate(rows):
    importer = get_importer("organizations")
    data = xlsx_bytes(rows, headers=HEADERS)
    return importer, import_validate(importer, io.BytesIO(data), "orgs.xlsx")


@pytest.mark.parametrize(
    "spelling",
    [
        lambda code: f"{code[:8]} {code[8:]}",
        lambda code: f"{code[:8]}-{code[8:]}",
        lambda code: code.translate(FULL_WIDTH),
    ],
    ids=["space", "hyphen", "full-width"],
)
def test_the_same_code_spelt_otherwise_three_thousand_rows_later_is_a_duplicate(
    spelling,
):
    rows = [row(n) for n in range(1, 3001)]
    code = rows[9][1]  # Excel row 11 (after the header)
    rows[2999][1] = spelling(code)  # Excel row 3001, in the second write batch
    assert 2999 >= WRITE_CHUNK

    _importer, result = _validate(rows)

    assert [(e.row, e.message) for e in result.errors] == [
        (3001, "同一代码已出现在本文件第 11 行。")
    ]
    assert Organization.objects.count() == 0


def test_a_registered_code_spelt_with_a_space_is_the_registered_one(
    make_organization,
):
    existing = make_organization()
    spelt = f"{existing.uscc[:8]} {existing.uscc[8:]}"
    importer, result = _validate([row(1, spelt)])
    assert result.errors == []

    importer.plan(result, update=False)

    assert [e.message for e in result.errors] == [
        "已有社会组织使用此统一社会信用代码。"
    ]
    assert Organization.objects.count() == 1


def _rows_with_fields(count):
    rows = [row(n) + ["养老"] for n in range(1, count + 1)]
    return rows, [*HEADERS, "服务领域"]


def test_a_service_field_named_twice_in_the_third_batch_is_written_once(
    service_fields,
):
    from core.imports import import_write

    rows, headers = _rows_with_fields(2 * WRITE_CHUNK + 1)  # row 4,001: 3rd batch
    rows[-1][-1] = "养老、儿童、养老"
    importer = get_importer("organizations")
    data = xlsx_bytes(rows, headers=headers)
    result = import_validate(importer, io.BytesIO(data), "orgs.xlsx")
    assert result.errors == []

    assert import_write(importer, result.records, user=None) == 4001

    last = Organization.objects.get(name="长沙市雨花区第4001社会工作服务中心")
    assert sorted(f.name for f in last.service_fields.all()) == ["儿童", "养老"]


def test_a_failure_in_the_third_batch_leaves_nothing_no_history_no_index_rows(
    service_fields, monkeypatch
):
    from django.db import connection

    from core import bulk
    from core.imports import import_write
    from incubator.imports import organizations

    rows, headers = _rows_with_fields(2 * WRITE_CHUNK + 1)
    importer = get_importer("organizations")
    data = xlsx_bytes(rows, headers=headers)
    result = import_validate(importer, io.BytesIO(data), "orgs.xlsx")
    assert result.errors == []
    real, calls = bulk.values_insert, []

    def failing(model, attnames, rows, **kwargs):
        calls.append(len(rows))
        if len(calls) == 3:
            raise RuntimeError("the disk is full")
        return real(model, attnames, rows, **kwargs)

    monkeypatch.setattr(organizations, "values_insert", failing)

    with pytest.raises(RuntimeError):
        import_write(importer, result.records, user=None)

    assert calls == [2000, 2000, 1]
    assert Organization.objects.count() == 0
    assert Organization.history.count() == 0
    assert Organization.service_fields.through.objects.count() == 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM incubator_organization_fts "
                "WHERE incubator_organization_fts MATCH %s",
                ['"社会工作服务中心"'],
            )
            assert cursor.fetchone()[0] == 0


def test_a_code_registered_meanwhile_fails_the_job_in_chinese_and_writes_nothing(
    make_user, region, monkeypatch, settings, tmp_path
):
    """Between the check of a big file and its write (minutes at national scale)
    someone registers one of its codes: the database refuses the row. The job
    fails with a Chinese message, keeps none of the file's rows and does not
    answer a server error."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import ImportJob
    from core.tasks import import_job_create
    from incubator.choices import OrganizationType, RegistrationLevel
    from incubator.imports.organizations import OrganizationImporter

    settings.MEDIA_ROOT = str(tmp_path)
    user = make_user("registrar", is_superuser=True)
    rows = [row(n) for n in range(1, 4)]
    taken = rows[2][1]
    real = OrganizationImporter.write

    def write(self, records, user):
        Organization.objects.create(
            name="同时登记的社会组织",
            uscc=taken,
            org_type=OrganizationType.SOCIAL_SERVICE,
            registration_level=RegistrationLevel.COUNTY,
            region=region,
        )
        return real(self, records, user)

    monkeypatch.setattr(OrganizationImporter, "write", write)
    upload = SimpleUploadedFile("orgs.xlsx", xlsx_bytes(rows, headers=HEADERS))

    job = import_job_create(
        kind="organizations", uploaded_file=upload, user=user, language="zh-hans"
    )

    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == ImportJob.Status.FAILED
    assert [e["message"] for e in job.errors] == [
        "写入时数据库拒绝了文件中的一行（可能有人同时登记了相同的代码）："
        "文件中的数据一条也没有保存。请检查后重新导入。"
    ]
    assert Organization.objects.count() == 0  # the meanwhile one rolled back too
