"""Money columns of the funding imports read a header in 万元 (`资助金额（万元）`,
`已拨付金额（万元）`, `合同金额（万元）`) as officers write it, converted to yuan exactly."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from funding.models import Award, Disbursement, ServicePurchase
from funding.models.awards import DisbursementStatus
from tests.support.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db


def test_past_awards_in_wan(tmp_path, make_organization):
    org = make_organization(name="雨花区阳光社工中心")
    path = tmp_path / "立项.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [[org.uscc, "湖南省福彩公益金", 2023, "社区营造", "12.25", "2023/6/30",
              "5.5", "2023/7/15"]],
            headers=["统一社会信用代码", "资金名称", "年度", "项目名称",
                     "资助金额（万元）", "立项日期", "已拨付金额（万元）", "拨付日期"],
        )
    )  # fmt: skip

    call_command("import_awards", str(path))

    award = Award.objects.get()
    # 12.25 万元 = 122,500 元; 5.5 万元 = 55,000 元 paid
    assert award.approved_amount == Decimal("122500")
    paid = Disbursement.objects.filter(tranche__award=award).get()
    assert (paid.amount, paid.status) == (Decimal("55000"), DisbursementStatus.PAID)


def test_purchases_in_wan(tmp_path, make_organization):
    org = make_organization(name="雨花区助残服务社")
    path = tmp_path / "购买服务.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [["长沙市民政局", "基本公共服务", "公开招标", "36.8", org.uscc,
              "2023-01-01", "2023-12-31"]],
            headers=["购买部门", "服务类别", "采购方式", "合同金额（万元）",
                     "供应方统一社会信用代码", "合同期起", "合同期止"],
        )
    )  # fmt: skip

    call_command("import_purchases", str(path))

    # 36.8 万元 = 368,000 元
    assert ServicePurchase.objects.get().contract_amount == Decimal("368000")
