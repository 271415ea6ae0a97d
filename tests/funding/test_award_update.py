"""Updating past awards by key: the award listing's export imports back unchanged;
one changed cell is previewed (column: old → new), written only once confirmed, the
history naming the officer; an award made through a call is not rewritten."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import roles
from core.models import ImportJob
from funding.models import Award, Disbursement
from tests.funding.test_award_import import row, to_xlsx
from tests.support.spreadsheets import upload

pytestmark = pytest.mark.django_db

IMPORT = reverse("funding_award_import")
LISTING = reverse("wagtailsnippets_funding_award:list")
CITY_FUND = "长沙市福彩公益金"


@pytest.fixture
def officer(client_for):
    return client_for(roles.FUND_MANAGER, username="officer")


@pytest.fixture
def made(make_award):
    """An award made through a call on the platform: reviewed, publicly noticed,
    signed; 100,000 yuan (of the provincial fund; the recorded ones are the
    city's)."""
    return make_award()


@pytest.fixture
def recorded(tmp_path, make_organization):
    """Three past awards of the city's fund imported through the command, one
    with a payment."""
    a, b, c = (
        make_organization(name=name)
        for name in (
            "雨花区阳光社工中心",
            "雨花区夕阳红养老服务中心",
            "雨花区助残服务社",
        )
    )
    path = tmp_path / "历年资助.xlsx"
    path.write_bytes(
        to_xlsx(
            [
                row(
                    a,
                    "留守儿童关爱",
                    "100000",
                    "2022-06-15",
                    2022,
                    "60000",
                    "2022-07-01",
                    资金名称=CITY_FUND,
                ),
                row(
                    b, "社区养老服务", "80,000", "2022-06-15", 2022, 资金名称=CITY_FUND
                ),
                row(
                    c,
                    "助残就业",
                    "150000",
                    "2023-05-20",
                    2023,
                    申报批次="2023年度福彩公益金资助项目",
                    协议编号="HN2023-001",
                    资金名称=CITY_FUND,
                ),
            ]
        )
    )
    call_command("import_awards", str(path))
    return {award.application.title: award for award in Award.objects.all()}


def exported(client):
    """The award listing's own .xlsx export, as an openpyxl workbook."""
    response = client.get(LISTING, {"export": "xlsx"})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def set_cell(workbook, title, header, value):
    """Change the cell of column `header` in the row of project `title`."""
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        if cells[headers.index("项目名称")].value == title:
            cells[headers.index(header)].value = value
            return
    raise AssertionError(title)


def upload_workbook(client, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(IMPORT, {"file": upload("立项导出.xlsx", buffer.getvalue())})
    assert response.status_code == 302
    return ImportJob.objects.latest("pk"), response["Location"]


def counts(job):
    return job.preview["new"], job.preview["changed"], job.preview["unchanged"]


def test_the_export_has_the_import_columns_and_imports_back_unchanged(
    officer, recorded
):
    workbook = exported(officer)
    headers = [cell.value for cell in workbook.active[1]]
    assert headers[:11] == [
        "统一社会信用代码",
        "社会组织",
        "资金名称",
        "年度",
        "项目名称",
        "资助金额（元）",
        "立项日期",
        "申报批次",
        "协议编号",
        "已拨付金额（元）",
        "拨付日期",
    ]
    job, _url = upload_workbook(officer, workbook)
    assert job.status == ImportJob.Status.AWAITING
    assert counts(job) == (0, 0, 3)
    assert [award.history.count() for award in recorded.values()] == [1, 1, 1]


def test_one_changed_amount_is_previewed_then_written_on_confirmation(
    officer, recorded
):
    award = recorded["社区养老服务"]
    workbook = exported(officer)
    set_cell(workbook, "社区养老服务", "资助金额（元）", 90000)
    job, url = upload_workbook(officer, workbook)

    assert job.status == ImportJob.Status.AWAITING
    assert counts(job) == (0, 1, 2)
    assert job.preview["changes"] == [
        {
            "row": 3,
            "record": "雨花区夕阳红养老服务中心 · 社区养老服务",
            "changes": [["资助金额（元）", "80000.00", "90000"]],
        }
    ]
    page = officer.get(url).content.decode()
    assert "已校验，待确认" in page and "确认导入" in page
    award.refresh_from_db()
    assert award.approved_amount == Decimal("80000.00")  # nothing written yet

    response = officer.post(url, {"action": "confirm"}, follow=True)
    assert "已更新 1 条记录" in response.content.decode()
    award.refresh_from_db()
    assert award.approved_amount == Decimal("90000.00")
    assert award.application.approved_amount == Decimal("90000.00")
    assert [t.amount for t in award.tranches.all()] == [Decimal("90000.00")]
    latest = award.history.latest()
    assert (latest.approved_amount, latest.history_user) == (
        Decimal("90000.00"),
        officer.user,
    )
    # The other two are left alone.
    assert [a.history.count() for a in recorded.values()] == [1, 2, 1]


def test_a_changed_payment_rewrites_the_imported_payment(officer, recorded):
    award = recorded["留守儿童关爱"]
    workbook = exported(officer)
    set_cell(workbook, "留守儿童关爱", "已拨付金额（元）", "70,000")
    set_cell(workbook, "留守儿童关爱", "拨付日期", "2022年8月1日")
    job, url = upload_workbook(officer, workbook)
    assert counts(job) == (0, 1, 2)
    officer.post(url, {"action": "confirm"})
    [payment] = Disbursement.objects.filter(tranche__award=award)
    assert (payment.amount, str(payment.paid_on)) == (Decimal("70000.00"), "2022-08-01")
    assert payment.history.latest().history_user == officer.user


def test_less_awarded_than_paid_is_refused_and_nothing_is_written(officer, recorded):
    workbook = exported(officer)
    set_cell(workbook, "留守儿童关爱", "资助金额（元）", 50000)
    job, _url = upload_workbook(officer, workbook)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        {
            "row": 4,
            "column": "已拨付金额（元）",
            "message": "已拨付 60,000.00 元，超过资助金额 50,000.00 元。",
        }
    ]
    assert recorded["留守儿童关爱"].history.count() == 1


def test_an_award_made_through_a_call_is_not_rewritten(officer, made, recorded):
    workbook = exported(officer)
    set_cell(workbook, made.application.title, "资助金额（元）", 120000)
    job, _url = upload_workbook(officer, workbook)
    assert job.status == ImportJob.Status.FAILED
    [error] = job.errors
    assert error["column"] == "资助金额（元）"
    assert error["message"] == (
        f"“{made}”是在平台上经申报批次的评审和公示立项的：导入不会改动它"
        "（请在立项页面修改）。"
    )
    made.refresh_from_db()
    assert made.approved_amount == Decimal("100000.00")


def test_an_award_made_through_a_call_comes_back_unchanged(
    officer, recorded, make_award
):
    make_award()
    job, _url = upload_workbook(officer, exported(officer))
    assert counts(job) == (0, 0, 4)


def test_the_command_refuses_a_recorded_award_without_update(
    tmp_path, recorded, capsys
):
    path = tmp_path / "again.xlsx"
    award = recorded["助残就业"]
    org = award.application.organization
    path.write_bytes(
        to_xlsx(
            [
                row(
                    org,
                    "助残就业",
                    "160000",
                    "2023-05-20",
                    2023,
                    申报批次="2023年度福彩公益金资助项目",
                    资金名称=CITY_FUND,
                )
            ]
        )
    )
    with pytest.raises(CommandError):
        call_command("import_awards", str(path))
    assert (
        "第 2 行，“项目名称”列：该立项（资金、年度、项目名称、统一社会信用代码）已记录。"
        in capsys.readouterr().err
    )
    call_command("import_awards", str(path), "--update")
    award.refresh_from_db()
    assert award.approved_amount == Decimal("160000.00")
    # The file's agreement number cell is empty: the number is emptied.
    assert award.agreement_number == ""
