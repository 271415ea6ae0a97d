"""Importing government service purchases: the contract with a registered social
organization, one final instalment of the whole amount, and the performance
evaluation's score and grade; every row checked, all or nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.urls import reverse

from core import roles
from core.imports import get_importer, import_validate
from funding.models import PerformanceEvaluation, ServicePurchase
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

DEPARTMENT = "长沙市民政局"


def row(org, amount, starts, ends, score="", **overrides):
    cells = {
        "购买部门": DEPARTMENT,
        "服务类别": "基本公共服务",
        "采购方式": "公开招标",
        "合同金额（元）": amount,
        "供应方统一社会信用代码": org.uscc,
        "合同期起": starts,
        "合同期止": ends,
        "绩效评价得分": score,
    }
    cells.update(overrides)
    return cells


def to_xlsx(rows):
    return xlsx_bytes([list(r.values()) for r in rows], headers=list(rows[0]))


def messages(data):
    """The errors of importing `data` without update, as the command lists them
    (a row matching a stored record is one)."""
    importer = get_importer("purchases")
    result = import_validate(importer, io.BytesIO(data), "p.xlsx")
    if not result.errors:
        importer.plan(result, update=False)
    return [str(e) for e in result.errors]


@pytest.fixture
def orgs(make_organization):
    return [
        make_organization(name=n) for n in ("雨花区阳光社工中心", "雨花区助残服务社")
    ]


def test_purchases_through_the_command(tmp_path, orgs, capsys):
    a, b = orgs
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
    call_command("import_purchases", str(path), "--dry-run")
    assert ServicePurchase.objects.count() == 0
    call_command("import_purchases", str(path))
    assert "已导入 3 项政府购买服务。" in capsys.readouterr().out

    # 300,000 + 150,000 + 80,000.50 = 530,000.50
    assert ServicePurchase.objects.aggregate(s=Sum("contract_amount"))["s"] == D(
        "530000.50"
    )
    first = ServicePurchase.objects.get(supplier=a, starts_on=datetime.date(2023, 1, 1))
    assert (first.purchasing_department, first.service_category) == (
        DEPARTMENT,
        "basic_public",
    )
    assert first.procurement_method == "open_tender"
    assert first.signed_on == datetime.date(2023, 1, 1)
    assert first.ends_on == datetime.date(2023, 12, 31)
    [instalment] = first.instalments.all()
    assert (instalment.amount, instalment.is_final) == (D("300000.00"), True)
    assert (first.evaluation.score, first.evaluation.grade) == (D("92.50"), "excellent")
    assert first.evaluation.evaluated_on == datetime.date(2023, 12, 31)
    second = ServicePurchase.objects.get(supplier=b)
    assert second.procurement_method == "consultation"
    assert second.evaluation.grade == "fair"  # 78: 60–79.99 中
    third = ServicePurchase.objects.get(starts_on=datetime.date(2024, 1, 1))
    assert third.service_category == "technical"
    assert not PerformanceEvaluation.objects.filter(purchase=third).exists()


D = Decimal


def test_bad_rows_are_each_reported_and_nothing_is_written(tmp_path, orgs):
    a, b = orgs
    rows = [
        row(a, "300000", "2023-01-01", "2023-12-31"),
        row(
            a,
            "1000",
            "2023-01-01",
            "2023-12-31",
            供应方统一社会信用代码="52430111MJ0000000X",
        ),
        row(a, "300000", "2023-01-01", "2023-12-31"),
        row(b, "1000", "2023-02-30", "2023-12-31"),
        row(b, "1000", "2023-01-01", "2023-12-31", 购买部门=""),
        row(b, "三十万", "2023-05-01", "2023-12-31"),
        row(b, "1000", "2023-06-01", "2023-12-31", "120"),
        row(b, "1000", "2023-07-01", "2023-12-31", 采购方式="拍卖"),
        row(b, "1000", "2023-08-01", "2023-01-31"),
    ]
    data = to_xlsx(rows)
    assert messages(data) == [
        "第 3 行，“供应方统一社会信用代码”列：未登记统一社会信用代码为"
        "“52430111MJ0000000X”的社会组织：请先导入或添加该组织。",
        "第 4 行，“供应方统一社会信用代码”列：同一购买服务（购买部门、服务类别、供应方、"
        "合同期起）已出现在本文件第 2 行。",
        "第 5 行，“合同期起”列：“2023-02-30”不是有效日期。",
        "第 6 行，“购买主体（部门）”列：此单元格必填。",
        "第 7 行，“合同金额（元）”列：“三十万”不是以元计的金额。",
        "第 8 行，“绩效评价得分”列：得分须在0到100之间。",
        "第 9 行，“采购方式”列：“拍卖”不在可选值中：公开招标、邀请招标、竞争性谈判、"
        "竞争性磋商、单一来源、询价、框架协议、其他方式",
        "第 10 行，“合同期止”列：合同期止不能早于合同期起。",
    ]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="共 8 处错误，未写入任何数据"):
        call_command("import_purchases", str(path))
    assert ServicePurchase.objects.count() == 0


def test_a_purchase_already_recorded_and_a_score_before_the_end(tmp_path, orgs):
    path = tmp_path / "p.xlsx"
    path.write_bytes(to_xlsx([row(orgs[0], "1000", "2023-01-01", "2023-12-31")]))
    call_command("import_purchases", str(path))
    future = to_xlsx([row(orgs[1], "1000", "2023-01-01", "2999-12-31", "90")])
    assert messages(path.read_bytes()) == [
        "第 2 行，“供应方统一社会信用代码”列：该购买服务（购买部门、服务类别、供应方、"
        "合同期起）已记录。"
    ]
    assert messages(future) == [
        "第 2 行，“绩效评价得分”列：合同期至 2999-12-31 结束：此前不能进行绩效评价。"
    ]


def test_fund_manager_imports_from_the_purchase_listing(client_for, orgs):
    client = client_for(roles.FUND_MANAGER)
    listing = client.get(reverse("wagtailsnippets_funding_servicepurchase:list"))
    assert reverse("funding_purchase_import") in listing.content.decode()
    page = client.get(reverse("funding_purchase_import"))
    assert "供应方统一社会信用代码" in page.content.decode()
    data = to_xlsx([row(orgs[0], "1000", "2023-01-01", "2023-12-31", "85")])
    response = client.post(
        reverse("funding_purchase_import"),
        {"file": upload("购买服务.xlsx", data)},
        follow=True,
    )
    assert "已导入 1 条记录" in response.content.decode()
    purchase = ServicePurchase.objects.get()
    assert purchase.history.first().history_user == client.user
    assert purchase.evaluation.grade == "good"
