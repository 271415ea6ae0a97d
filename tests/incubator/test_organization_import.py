"""Importing organizations: every row validated, errors per row, all or nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from core.imports import get_importer, import_validate
from incubator.models import Organization
from incubator.uscc import uscc_make
from tests.support.spreadsheets import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def good_row(serial, **overrides):
    row = {
        "名称": f"长沙市雨花区第{serial}社会工作服务中心",
        "统一社会信用代码": uscc_make("2", "430111", 9000 + serial),
        "备案号": "",
        "类型": "社会服务机构",
        "登记级别": "县级",
        "行政区划代码": "430111",
        "成立日期": "2018-05-16",
        "服务领域": "养老、儿童",
        "评估等级": "3A",
        "评估日期": "2022-06-30",
        "法定代表人": "王芳",
    }
    row.update(overrides)
    return row


def rows_to_xlsx(rows):
    return xlsx_bytes([list(r.values()) for r in rows], headers=list(rows[0]))


def validate(data, name="orgs.xlsx"):
    return import_validate(get_importer("organizations"), io.BytesIO(data), name)


def messages(result):
    return [str(e) for e in result.errors]


def test_good_file_is_valid_and_written(service_fields):
    result = validate(rows_to_xlsx([good_row(1), good_row(2)]))
    assert result.errors == []
    importer = get_importer("organizations")
    from core.imports import import_write

    assert import_write(importer, result.records, user=None) == 2
    org = Organization.objects.get(name="长沙市雨花区第1社会工作服务中心")
    assert org.org_type == "social_service"
    assert org.region.code == "430111"
    assert org.rating_valid_until.isoformat() == "2027-06-29"
    assert sorted(f.name for f in org.service_fields.all()) == ["儿童", "养老"]
    assert org.history.count() == 1


def test_csv_in_gb18030_is_read(service_fields):
    rows = [good_row(1)]
    data = csv_bytes(
        [list(rows[0].values())], headers=list(rows[0]), encoding="gb18030"
    )
    result = validate(data, "orgs.csv")
    assert result.errors == []
    assert result.records[0][0].name == "长沙市雨花区第1社会工作服务中心"


def test_labels_in_english_and_stored_values_are_accepted(service_fields):
    row = good_row(1, **{"类型": "Social service agency", "登记级别": "county"})
    assert validate(rows_to_xlsx([row])).errors == []


@pytest.mark.parametrize(
    ("override", "column", "reason"),
    [
        ({"统一社会信用代码": "52430111MJ0000001"}, "统一社会信用代码", "18 位"),
        ({"统一社会信用代码": "524301110000900100"}, "统一社会信用代码", "校验位"),
        ({"行政区划代码": "439999"}, "行政区划代码", "不是有效的行政区划代码"),
        ({"类型": "合作社"}, "类型", "不在可选值中"),
        ({"成立日期": "2018-02-30"}, "成立日期", "不是有效日期"),
        ({"成立日期": "去年"}, "成立日期", "不是日期"),
        ({"名称": ""}, "名称", "必填"),
        ({"服务领域": "养老、炒股"}, "服务领域", "不是服务领域"),
        ({"统一社会信用代码": ""}, "统一社会信用代码", "必须填写"),
    ],
)
def test_each_bad_cell_is_reported_with_row_and_column(
    service_fields, override, column, reason
):
    rows = [good_row(1), good_row(2, **override)]
    result = validate(rows_to_xlsx(rows))
    assert len(result.errors) == 1, messages(result)
    error = result.errors[0]
    assert error.row == 3  # the header is row 1; the bad row is the second data row
    assert error.column == column
    assert reason in error.message
    assert str(error).startswith("第 3 行，")


def test_duplicate_code_in_the_file_names_the_first_row(service_fields):
    first = good_row(1)
    twin = good_row(2, **{"统一社会信用代码": first["统一社会信用代码"]})
    result = validate(rows_to_xlsx([first, twin]))
    assert [(e.row, e.message) for e in result.errors] == [
        (3, "同一代码已出现在本文件第 2 行。")
    ]


def test_duplicate_code_against_the_database(service_fields, make_organization):
    """Without update (the command without --update) a registered code is refused;
    with update it is a change (tests/incubator/test_organization_update.py)."""
    existing = make_organization()
    importer = get_importer("organizations")
    data = rows_to_xlsx([good_row(1, 统一社会信用代码=existing.uscc)])
    result = import_validate(importer, io.BytesIO(data), "orgs.xlsx")
    assert result.errors == []
    importer.plan(result, update=False)
    assert [e.message for e in result.errors] == [
        "已有社会组织使用此统一社会信用代码。"
    ]


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "orgs.xlsx", "文件是空的"),
        (b"this is not a spreadsheet at all", "orgs.xlsx", "不是 Excel 工作簿"),
        (b"%PDF-1.4 ...", "orgs.pdf", "不支持的文件类型"),
        (
            xlsx_bytes([], headers=["名称", "类型", "登记级别", "行政区划代码"]),
            "o.xlsx",
            "没有数据行",
        ),
        (
            xlsx_bytes(
                [["甲", "社会团体", "县级"]], headers=["名称", "类型", "登记级别"]
            ),
            "o.xlsx",
            "表头缺少以下列：行政区划代码",
        ),
    ],
)
def test_unreadable_files_get_one_clear_error(db, data, name, reason):
    result = validate(data, name)
    assert len(result.errors) == 1
    assert result.errors[0].row is None
    assert reason in result.errors[0].message


def test_a_column_not_in_the_template_is_refused_not_dropped(service_fields):
    """Whatever was typed in a column the import does not know would be lost without
    a word: the file is refused, naming the column (a header typo, say)."""
    row = good_row(1)
    row["联系电话号码"] = "0731-88886666"  # the template says 联系电话
    result = validate(rows_to_xlsx([row]))
    assert [e.message for e in result.errors] == [
        "这些列不在导入模板中：联系电话号码。请删除这些列，或改用模板中的列名，"
        "然后重新上传。"
    ]
    assert result.records == []


def test_a_row_number_column_and_empty_extra_columns_are_accepted(service_fields):
    rows = [{"序号": str(n), **good_row(n), "备注（空）": ""} for n in (1, 2)]
    result = validate(rows_to_xlsx(rows))
    assert result.errors == []
    assert len(result.records) == 2


def test_a_column_without_header_is_named_by_its_position(service_fields):
    row = good_row(1)
    headers = [*row, ""]
    data = xlsx_bytes([[*row.values(), "王芳的手机"]], headers=headers)
    result = validate(data)
    assert "第 12 列" in result.errors[0].message


def test_english_user_gets_english_messages(service_fields):
    from django.utils import translation

    with translation.override("en"):
        result = validate(rows_to_xlsx([good_row(1, 行政区划代码="439999")]))
        assert str(result.errors[0]) == (
            "row 2, column division code: “439999” is not a known administrative "
            "division code."
        )


# --- the command -------------------------------------------------------------


def write(tmp_path, rows, name="orgs.xlsx"):
    path = tmp_path / name
    path.write_bytes(rows_to_xlsx(rows))
    return path


def test_command_imports_and_counts(tmp_path, service_fields, capsys):
    path = write(tmp_path, [good_row(1), good_row(2), good_row(3)])
    call_command("import_organizations", str(path))
    assert "已导入 3 个社会组织" in capsys.readouterr().out
    assert Organization.objects.count() == 3


def test_command_dry_run_writes_nothing(tmp_path, service_fields, capsys):
    path = write(tmp_path, [good_row(1), good_row(2)])
    call_command("import_organizations", str(path), "--dry-run")
    assert "2 行全部有效" in capsys.readouterr().out
    assert Organization.objects.count() == 0


def test_command_fails_with_one_line_per_bad_row_and_writes_nothing(
    tmp_path, service_fields, make_organization, capsys
):
    before = make_organization(name="原有组织")
    path = write(
        tmp_path,
        [good_row(1), good_row(2, 行政区划代码="000000"), good_row(3, 成立日期="x")],
    )
    with pytest.raises(CommandError, match="2"):
        call_command("import_organizations", str(path), "--language", "en")
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "row 3, column division code: “000000” is not a known administrative division code.",
        "row 4, column founded on: “x” is not a date; write it as 2024-03-31.",
    ]
    assert list(Organization.objects.all()) == [before]


def test_command_exit_status(tmp_path, service_fields, capsys, monkeypatch):
    """As from a shell: exit status 0 on success, non-zero on failure."""
    from django.core.management import execute_from_command_line
    from django.db import connections

    # run_from_argv closes connections when done; the test's connection must stay.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    good = write(tmp_path, [good_row(1)], "good.xlsx")
    execute_from_command_line(["manage.py", "import_organizations", str(good)])
    bad = write(tmp_path, [good_row(2, 类型="合作社")], "bad.xlsx")
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "import_organizations", str(bad)])
    assert exit_info.value.code != 0
    assert "第 2 行，“类型”列" in capsys.readouterr().err
    assert Organization.objects.count() == 1
