"""Importing past awards: recorded as made with their real dates (no review), the
fund and call created when missing, paid money as paid disbursements; every row
checked, errors per row and column, all or nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.urls import reverse

from core import roles
from core.imports import get_importer, import_plan_write, import_validate
from funding.choices import ApplicationStatus
from funding.models import Application, Award, Call, Disbursement, Fund
from funding.models.awards import DisbursementStatus
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "统一社会信用代码",
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
FUND = "湖南省福彩公益金"


def row(org, title, amount, awarded_on, year, paid="", paid_on="", **overrides):
    cells = {
        "统一社会信用代码": org.uscc,
        "资金名称": FUND,
        "年度": str(year),
        "项目名称": title,
        "资助金额（元）": amount,
        "立项日期": awarded_on,
        "申报批次": "",
        "协议编号": "",
        "已拨付金额（元）": paid,
        "拨付日期": paid_on,
    }
    cells.update(overrides)
    return cells


def to_xlsx(rows):
    return xlsx_bytes([list(r.values()) for r in rows], headers=list(rows[0]))


def messages(data):
    """The errors of importing `data` without update, as the command lists them
    (a row matching a stored record is one)."""
    importer = get_importer("awards")
    result = import_validate(importer, io.BytesIO(data), "awards.xlsx")
    if not result.errors:
        importer.plan(result, update=False)
    return [str(e) for e in result.errors]


@pytest.fixture
def orgs(make_organization):
    return [
        make_organization(name=name)
        for name in (
            "雨花区阳光社工中心",
            "雨花区夕阳红养老服务中心",
            "雨花区助残服务社",
        )
    ]


def three_years(a, b, c):
    """Six awards over 2022–2024; the totals are written in the test below."""
    return [
        row(a, "留守儿童关爱", "100000", "2022-06-15", 2022, "60000", "2022-07-01"),
        row(b, "社区养老服务", "80,000", "2022-06-15", 2022, "80000", "2022-12-20"),
        row(
            a,
            "乡村儿童阅读",
            "120000",
            "2023-05-20",
            2023,
            "72000",
            "2023-06-10",
            申报批次="2023年度福彩公益金资助项目",
            协议编号="HN2023-001",
        ),
        row(
            c,
            "助残就业",
            "150000",
            "2023-05-20",
            2023,
            申报批次="2023年度福彩公益金资助项目",
        ),
        row(b, "社区养老服务（二期）", "100,000.50", "2024/4/8", 2024, "0"),
        row(c, "助残就业（续）", "90000", "2024年4月8日", 2024, "45000", "2024-05-01"),
    ]


def test_three_years_of_awards_through_the_command(tmp_path, orgs, capsys):
    path = tmp_path / "历年资助.xlsx"
    path.write_bytes(to_xlsx(three_years(*orgs)))

    call_command("import_awards", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "6 行全部有效；试运行，未写入数据。" in out
    assert "新建资金“湖南省福彩公益金”（2022年度" in out
    assert Award.objects.count() == 0 and Fund.objects.count() == 0

    call_command("import_awards", str(path))
    assert "已记录 6 项历史立项。" in capsys.readouterr().out

    # Per year (hand-computed): 2022 100,000 + 80,000 = 180,000, paid 140,000;
    # 2023 120,000 + 150,000 = 270,000, paid 72,000;
    # 2024 100,000.50 + 90,000 = 190,000.50, paid 45,000.
    expected = {
        2022: (Decimal("180000.00"), Decimal("140000.00")),
        2023: (Decimal("270000.00"), Decimal("72000.00")),
        2024: (Decimal("190000.50"), Decimal("45000.00")),
    }
    for year, (awarded, paid) in expected.items():
        fund = Fund.objects.get(name=FUND, year=year)
        assert fund.budget == awarded
        assert fund.source == "lottery_province"
        awards = Award.objects.filter(application__call__fund=fund)
        assert awards.aggregate(s=Sum("approved_amount"))["s"] == awarded
        paid_sum = Disbursement.objects.filter(
            tranche__award__in=awards, status=DisbursementStatus.PAID
        ).aggregate(s=Sum("amount"))["s"]
        assert paid_sum == paid
    assert Award.objects.count() == 6
    assert Disbursement.objects.count() == 4  # the 2024 "0" paid nothing

    award = Award.objects.get(application__title="乡村儿童阅读")
    assert award.imported and award.notice is None
    assert award.awarded_on == datetime.date(2023, 5, 20)
    assert award.agreement_number == "HN2023-001"
    assert award.application.status == ApplicationStatus.AWARDED
    assert award.application.organization == orgs[0]
    assert award.application.call.name == "2023年度福彩公益金资助项目"
    assert award.paid_total == Decimal("72000.00")
    assert award.last_paid_on == datetime.date(2023, 6, 10)
    [payment] = Disbursement.objects.filter(tranche__award=award)
    assert (payment.status, payment.paid_on) == ("paid", datetime.date(2023, 6, 10))
    assert Award.objects.get(application__title="社区养老服务（二期）").awarded_on == (
        datetime.date(2024, 4, 8)
    )
    # A file without a call name: one call per fund year for the past awards.
    assert set(Call.objects.filter(fund__year=2022).values_list("name", flat=True)) == {
        "2022年 湖南省福彩公益金（历史立项）"
    }
    # Recorded as made: no review, no eligibility check ran on them.
    assert not Application.objects.filter(reviews__isnull=False).exists()
    assert not Application.objects.exclude(eligibility_failures=[]).exists()


def test_english_headers_are_accepted(orgs):
    english = [
        "unified social credit code",
        "fund name",
        "year",
        "project name",
        "amount awarded (yuan)",
        "awarded on",
    ]
    data = xlsx_bytes(
        [[orgs[0].uscc, FUND, "2023", "留守儿童关爱", "100000", "2023-05-20"]],
        headers=english,
    )
    assert messages(data) == []


def test_an_existing_fund_and_call_are_used_not_duplicated(orgs, fund, call):
    rows = [
        row(
            orgs[0],
            "留守儿童关爱",
            "100000",
            "2023-05-20",
            2023,
            资金名称=fund.name,
            申报批次=call.name,
        )
    ]
    importer = get_importer("awards")
    result = import_validate(importer, io.BytesIO(to_xlsx(rows)), "a.xlsx")
    plan = importer.plan(result)
    # The fund and call exist: the preview announces nothing to create.
    assert plan.notices == [] and len(plan.new) == 1
    import_plan_write(importer, plan, user=None)
    assert Fund.objects.count() == 1 and Call.objects.count() == 1
    assert Award.objects.get().application.call == call


def test_bad_rows_are_each_reported_and_nothing_is_written(tmp_path, orgs):
    a, b, c = orgs
    rows = [
        row(a, "留守儿童关爱", "100000", "2022-06-15", 2022),
        row(
            a,
            "未知机构项目",
            "1000",
            "2022-06-15",
            2022,
            统一社会信用代码="52430111MJ0000000X",
        ),
        row(a, "留守儿童关爱", "100000", "2022-06-15", 2022),
        row(b, "日期错误", "1000", "2022-13-45", 2022),
        row(b, "", "1000", "2022-06-15", 2022),
        row(c, "金额错误", "十万元", "2022-06-15", 2022),
        row(c, "超额拨付", "1000", "2022-06-15", 2022, "2000", "2022-07-01"),
    ]
    data = to_xlsx(rows)
    assert messages(data) == [
        "第 3 行，“统一社会信用代码”列：未登记统一社会信用代码为“52430111MJ0000000X”"
        "的社会组织：请先导入或添加该组织。",
        "第 4 行，“项目名称”列：同一立项（资金、年度、项目名称、统一社会信用代码）"
        "已出现在本文件第 2 行。",
        "第 5 行，“立项日期”列：“2022-13-45”不是有效日期。",
        "第 6 行，“项目名称”列：此单元格必填。",
        "第 7 行，“资助金额（元）”列：“十万元”不是以元计的金额。",
        "第 8 行，“已拨付金额（元）”列：已拨付 2,000.00 元，超过资助金额 1,000.00 元。",
    ]
    with pytest.raises(CommandError, match="共 6 处错误，未写入任何数据"):
        path = tmp_path / "bad.xlsx"
        path.write_bytes(data)
        call_command("import_awards", str(path))
    assert Award.objects.count() == 0
    assert Fund.objects.count() == 0 and Application.objects.count() == 0


def test_an_award_already_recorded_is_refused(tmp_path, orgs):
    path = tmp_path / "a.xlsx"
    path.write_bytes(
        to_xlsx([row(orgs[0], "留守儿童关爱", "100000", "2022-06-15", 2022)])
    )
    call_command("import_awards", str(path))
    assert messages(path.read_bytes()) == [
        "第 2 行，“项目名称”列：该立项（资金、年度、项目名称、统一社会信用代码）已记录。"
    ]


def test_payment_dates_must_follow_the_award_and_not_be_in_the_future(orgs):
    rows = [
        row(orgs[0], "先拨付", "1000", "2022-06-15", 2022, "500", "2022-06-01"),
        row(orgs[0], "无日期", "1000", "2022-06-15", 2022, "500", ""),
        row(orgs[0], "未来", "1000", "2999-01-01", 2022),
    ]
    assert messages(to_xlsx(rows)) == [
        "第 2 行，“拨付日期”列：拨付日期 2022-06-01 早于立项日期 2022-06-15。",
        "第 3 行，“拨付日期”列：请填写拨付日期。",
        "第 4 行，“立项日期”列：2999-01-01 是将来的日期：历史立项应填写实际立项日期。",
    ]


def test_fund_manager_imports_from_the_award_listing(client_for, orgs):
    client = client_for(roles.FUND_MANAGER)
    listing = client.get(reverse("wagtailsnippets_funding_award:list"))
    assert reverse("funding_award_import") in listing.content.decode()
    template = client.get(reverse("funding_award_import") + "?template=xlsx")
    assert template.status_code == 200
    data = to_xlsx([row(orgs[0], "留守儿童关爱", "100000", "2022-06-15", 2022)])
    response = client.post(
        reverse("funding_award_import"), {"file": upload("立项.xlsx", data)}
    )
    # The fund and call the file names are missing: the preview lists them and
    # nothing is written until the officer confirms.
    job_url = response["Location"]
    preview = client.get(job_url).content.decode()
    assert "已校验，待确认" in preview and "确认导入" in preview
    assert not Award.objects.exists() and not Fund.objects.exists()
    response = client.post(job_url, {"action": "confirm"}, follow=True)
    assert "已导入 1 条记录" in response.content.decode()
    award = Award.objects.get()
    assert award.history.first().history_user == client.user
    desk = client.get(reverse("funding_award_desk", args=[award.pk]))
    assert (
        "历史立项，由导入记录，立项日期 2022年6月15日：未在平台上经过评审和公示。"
        in desk.content.decode()
    )


def test_roles_without_award_rights_see_no_import(client_for):
    # An operator runs incubation, not awards (DESIGN.md §1): Wagtail turns the
    # refusal into a redirect to the dashboard.
    client = client_for(roles.OPERATOR)
    response = client.get(reverse("funding_award_import"))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    listing = client_for(roles.FINANCE).get(
        reverse("wagtailsnippets_funding_award:list")
    )
    assert reverse("funding_award_import") not in listing.content.decode()
