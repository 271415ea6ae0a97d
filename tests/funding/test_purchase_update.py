"""Updating government service purchases by key: the purchase listing's export
imports back unchanged through the command; one changed score changes one purchase
(its evaluation re-graded); the upload screen's confirmation names the officer in
the history; what a re-import may not do is refused per row."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import roles
from core.models import ImportJob
from funding.models import PerformanceEvaluation, ServicePurchase
from tests.funding.test_purchase_import import row, to_xlsx
from tests.support.spreadsheets import upload

pytestmark = pytest.mark.django_db

IMPORT = reverse("funding_purchase_import")
LISTING = reverse("wagtailsnippets_funding_servicepurchase:list")


@pytest.fixture
def officer(client_for):
    return client_for(roles.FUND_MANAGER, username="officer")


@pytest.fixture
def purchases(tmp_path, make_organization):
    """Three purchases imported through the command, two of them evaluated."""
    a, b = (
        make_organization(name=n) for n in ("雨花区阳光社工中心", "雨花区助残服务社")
    )
    path = tmp_path / "购买服务.xlsx"
    path.write_bytes(
        to_xlsx(
            [
                row(a, "300,000", "2023-01-01", "2023-12-31", "92.5"),
                row(
                    b,
                    "150000",
                    "2023/3/1",
                    "2024年2月29日",
                    "78",
                    采购方式="竞争性磋商",
                ),
                row(a, "80000.50", "2024-01-01", "2024-12-31", 服务类别="技术性服务"),
            ]
        )
    )
    call_command("import_purchases", str(path))
    return list(ServicePurchase.objects.order_by("pk"))


def export_to(client, path, edit=None):
    """Write the purchase listing's .xlsx export to `path`, after `edit(sheet,
    headers)` if given."""
    response = client.get(LISTING, {"export": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    if edit:
        edit(sheet, headers)
    workbook.save(path)
    return headers


def set_cell(supplier, starts_on, header, value):
    """An edit: the cell `header` of the row of `supplier` starting `starts_on`."""

    def edit(sheet, headers):
        for cells in sheet.iter_rows(min_row=2):
            start = cells[headers.index("合同期起")].value
            if (
                cells[headers.index("供应方统一社会信用代码")].value == supplier.uscc
                and str(start)[:10] == starts_on
            ):
                cells[headers.index(header)].value = value
                return
        raise AssertionError(starts_on)

    return edit


def test_the_export_imports_back_unchanged_through_the_command(
    tmp_path, officer, purchases, capsys
):
    path = tmp_path / "导出.xlsx"
    headers = export_to(officer, path)
    assert headers[:8] == [
        "购买主体（部门）",
        "服务类别",
        "采购方式",
        "合同金额（元）",
        "供应方统一社会信用代码",
        "承接主体",
        "合同期起",
        "合同期止",
    ]
    capsys.readouterr()
    call_command("import_purchases", str(path), "--update")
    out = capsys.readouterr().out
    assert "0 条新增，0 条变更，3 条未变" in out
    assert [p.history.count() for p in purchases] == [1, 1, 1]


def test_one_changed_score_changes_one_purchase(tmp_path, officer, purchases, capsys):
    first = purchases[0]
    path = tmp_path / "导出.xlsx"
    export_to(
        officer,
        path,
        set_cell(first.supplier, "2023-01-01", "绩效评价得分", 85),
    )
    capsys.readouterr()
    call_command("import_purchases", str(path), "--update", "--dry-run")
    out = capsys.readouterr().out
    assert "0 条新增，1 条变更，2 条未变" in out
    assert "绩效评价得分：92.50 → 85" in out
    assert PerformanceEvaluation.objects.get(purchase=first).score == Decimal("92.50")

    call_command("import_purchases", str(path), "--update")
    assert "已更新 1 条记录" in capsys.readouterr().out
    evaluation = PerformanceEvaluation.objects.get(purchase=first)
    assert (evaluation.score, evaluation.grade) == (Decimal("85.00"), "good")
    assert str(evaluation.evaluated_on) == "2023-12-31"  # its date is kept
    assert PerformanceEvaluation.objects.get(purchase=purchases[1]).score == Decimal(
        "78.00"
    )


def test_the_upload_screen_confirms_a_changed_amount_under_the_officer(
    tmp_path, officer, purchases
):
    third = purchases[2]
    path = tmp_path / "导出.xlsx"
    export_to(
        officer, path, set_cell(third.supplier, "2024-01-01", "合同金额（元）", 90000)
    )
    response = officer.post(IMPORT, {"file": upload("导出.xlsx", path.read_bytes())})
    url = response["Location"]
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.AWAITING
    assert (job.preview["new"], job.preview["changed"], job.preview["unchanged"]) == (
        0,
        1,
        2,
    )
    assert job.preview["changes"][0]["changes"] == [
        ["合同金额（元）", "80000.50", "90000"]
    ]
    third.refresh_from_db()
    assert third.contract_amount == Decimal("80000.50")  # nothing written yet

    officer.post(url, {"action": "confirm"})
    third.refresh_from_db()
    assert third.contract_amount == Decimal("90000.00")
    # The one instalment of the whole contract follows.
    assert [i.amount for i in third.instalments.all()] == [Decimal("90000.00")]
    assert third.history.latest().history_user == officer.user


def test_an_emptied_score_is_refused_and_nothing_is_written(
    tmp_path, officer, purchases, capsys
):
    first = purchases[0]
    path = tmp_path / "导出.xlsx"
    export_to(
        officer, path, set_cell(first.supplier, "2023-01-01", "绩效评价得分", None)
    )
    with pytest.raises(CommandError):
        call_command("import_purchases", str(path), "--update")
    assert (
        # The export lists the latest contracts first: this one is the third row.
        "第 4 行，“绩效评价得分”列：绩效评价（92.50 分）已记录：导入不会删除它；"
        "请填写其得分。" in capsys.readouterr().err
    )
    assert PerformanceEvaluation.objects.get(purchase=first).score == Decimal("92.50")
