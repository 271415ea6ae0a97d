"""Importing annual-inspection results: the registries' Chinese headers, every bad
row refused with its row, column and a Chinese reason, formulas kept as text, and
the export that imports back."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from core.imports import import_plan_write, import_validate
from incubator.imports.inspections import InspectionImporter
from incubator.models import Inspection

pytestmark = pytest.mark.django_db

HEADERS = ["统一社会信用代码", "机构名称", "年度", "是否报送", "检查结果", "报送日期"]


def _xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def campaign_2024(bulk_organizations, open_campaign):
    organizations = bulk_organizations(3)
    return open_campaign(2024), organizations


def _run(user, fileobj):
    importer = InspectionImporter(user=user)
    result = import_validate(importer, fileobj, "年检结果.xlsx")
    plan = importer.plan(result)
    return importer, result, plan


def test_results_are_imported_with_the_registries_headers(campaign_2024, make_user):
    campaign, (a, b, c) = campaign_2024
    user = make_user("registrar", "registrar")
    fileobj = _xlsx(
        [
            [a.uscc, a.name, 2024, "是", "合格", "2025-03-15"],
            [b.uscc, b.name, "2024年度", "是", "基本合格", "2025/4/1"],
            [c.uscc, c.name, 2024, "否", "", ""],
        ]
    )
    importer, result, plan = _run(user, fileobj)
    assert result.errors == []
    assert len(plan.changed) == 2 and len(plan.unchanged) == 1
    import_plan_write(importer, plan, user)
    got = {
        i.organization_id: (i.submitted, i.result, i.submitted_on)
        for i in Inspection.objects.filter(campaign=campaign)
    }
    assert got[a.pk] == (True, "passed", datetime.date(2025, 3, 15))
    assert got[b.pk] == (True, "basically_passed", datetime.date(2025, 4, 1))
    assert got[c.pk] == (False, "", None)


def test_bad_rows_are_refused_in_chinese_and_nothing_is_written(
    campaign_2024, make_user, make_organization
):
    campaign, (a, b, c) = campaign_2024
    late = make_organization(founded_on=datetime.date(2025, 2, 1))
    user = make_user("registrar", "registrar")
    fileobj = _xlsx(
        [
            [a.uscc, a.name, 2024, "否", "合格", ""],  # a result without a report
            [b.uscc, "别的名字", 2024, "是", "合格", "2025-03-01"],  # wrong name
            [c.uscc, c.name, 2019, "是", "合格", "2025-03-01"],  # no such campaign
            [late.uscc, late.name, 2024, "是", "合格", "2025-03-01"],  # not due
            ['=HYPERLINK("http://x")', "x", 2024, "也许", "优秀", "明天"],
        ]
    )
    importer, result, plan = _run(user, fileobj)
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert messages[(2, "检查结果")] == "给出结论需已报送年报。"
    assert "登记的是" in messages[(3, "机构名称")]
    assert messages[(4, "年度")] == "尚无 2019 年度年检，请先开启。"
    assert "不在 2024 年度应参检名单中" in messages[(5, "统一社会信用代码")]
    assert messages[(6, "是否报送")] == "请填写“是”或“否”，而不是“也许”。"
    # a formula is never evaluated: the cell counts as empty (the code is required)
    assert messages[(6, "统一社会信用代码")] == "此单元格必填。"
    assert "优秀" in messages[(6, "检查结果")]
    assert "明天" in messages[(6, "报送日期")]
    assert all(e.row for e in result.errors)
    assert not Inspection.objects.filter(campaign=campaign, submitted=True).exists()


def test_wrong_headers_are_refused_in_chinese(campaign_2024, make_user):
    user = make_user("registrar", "registrar")
    fileobj = _xlsx([["x", "y"]], headers=["代码", "结果"])
    _importer, result, _plan = _run(user, fileobj)
    assert result.errors
    text = " ".join(str(e) for e in result.errors)
    assert "统一社会信用代码" in text and "年度" in text


def test_not_a_spreadsheet_is_refused(make_user):
    user = make_user("registrar", "registrar")
    importer = InspectionImporter(user=user)
    result = import_validate(importer, io.BytesIO(b"not a workbook"), "结果.xlsx")
    assert result.errors
    assert all(e.row is None for e in result.errors)


def test_the_export_has_chinese_headers_and_neutralises_formulas(
    campaign_2024, client_for
):
    campaign, (a, _b, _c) = campaign_2024
    a.name = "=1+1 社工中心"
    a.save()
    client = client_for("registrar")
    response = client.get(
        f"/admin/snippets/incubator/inspection/?export=xlsx&campaign={campaign.pk}"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]] == HEADERS
    names = {row[1].value: row[1] for row in sheet.iter_rows(min_row=2)}
    cell = names["=1+1 社工中心"]
    assert cell.data_type == "s"  # text, not a formula
