"""Updating revitalization projects by key (name and pairing) from the command:
the project listing's export imports back with --update unchanged; a changed
budget is printed (column: old → new) and written, recorded in the history under
the importing user; a project outside the user's pairings is not changed."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import roles
from projects.choices import FundingKind, PeriodType
from projects.models import Project
from tests.support.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db

LISTING = reverse("wagtailsnippets_projects_project:list")
HEADERS = [
    "项目名称",
    "统一社会信用代码",
    "帮扶地区代码",
    "类别",
    "开始日期",
    "结束日期",
    "预算（元）",
    "资金来源",
]


@pytest.fixture
def coordinator(client_for):
    return client_for(roles.COORDINATOR)


@pytest.fixture
def two(tmp_path, coordinator, make_pairing, make_organization):
    """Two projects imported by the command for the coordinator, under a pairing
    they coordinate."""
    pairing = make_pairing(
        organization=make_organization(name="长沙市阳光社工服务中心"),
        coordinators=[coordinator.user],
    )
    uscc = pairing.organization.uscc
    path = tmp_path / "项目.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ["永顺莓茶消费帮扶", uscc, "433127", "消费帮扶", "2023-03-01",
                 "2023-12-31", "1,250,000.50", "省福彩公益金"],
                ["芙蓉镇宝贝小屋", uscc, "433127", "宝贝小屋", "", "", "", ""],
            ],
            headers=HEADERS,
        )
    )  # fmt: skip
    run(path, coordinator)
    assert Project.objects.count() == 2
    return pairing


def run(path, client, *options):
    call_command("import_projects", str(path), "--user", client.user.username, *options)


def exported(client, tmp_path, edit=None):
    """The project listing's own .xlsx export, as a user downloads it, saved to a
    file; `edit(sheet, headers)` changes it first."""
    response = client.get(LISTING, {"export": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    if edit:
        edit(sheet, [cell.value for cell in sheet[1]])
    path = tmp_path / "导出.xlsx"
    workbook.save(path)
    return path


def set_cell(title, header, value):
    def edit(sheet, headers):
        for row in sheet.iter_rows(min_row=2):
            if row[headers.index("项目名称")].value == title:
                row[headers.index(header)].value = value
                return
        raise AssertionError(title)

    return edit


def test_the_export_has_the_import_columns(coordinator, two, tmp_path):
    sheet = openpyxl.load_workbook(exported(coordinator, tmp_path)).active
    assert [cell.value for cell in sheet[1]] == [
        *HEADERS,
        "报告周期",
        "社会组织",
        "状态",
    ]


def test_the_export_imports_back_unchanged(coordinator, two, tmp_path, capsys):
    path = exported(coordinator, tmp_path)
    capsys.readouterr()
    run(path, coordinator, "--update")
    out = capsys.readouterr().out
    assert "0 条新增，0 条变更，2 条未变。" in out
    assert [p.history.count() for p in Project.objects.order_by("pk")] == [1, 1]
    assert Project.objects.count() == 2


def test_a_changed_budget_is_previewed_then_written_by_the_importing_user(
    coordinator, two, tmp_path, capsys
):
    tea = Project.objects.get(title="永顺莓茶消费帮扶")
    path = exported(coordinator, tmp_path, set_cell(tea.title, "预算（元）", 1300000))
    capsys.readouterr()

    run(path, coordinator, "--update", "--dry-run")
    out = capsys.readouterr().out
    assert "0 条新增，1 条变更，1 条未变。" in out
    assert "永顺莓茶消费帮扶，预算（元）：1250000.50 → 1300000" in out
    tea.refresh_from_db()
    assert tea.budget == Decimal("1250000.50")

    run(path, coordinator, "--update")
    assert "已更新 1 条记录" in capsys.readouterr().out
    tea.refresh_from_db()
    assert tea.budget == Decimal("1300000.00")
    latest = tea.history.latest()
    assert (latest.budget, latest.history_user, latest.history_type) == (
        Decimal("1300000.00"),
        coordinator.user,
        "~",
    )
    assert [p.history.count() for p in Project.objects.order_by("pk")] == [2, 1]
    # The funding source is as it was: its cell did not change.
    link = tea.funding_links.get()
    assert (link.fund_name, link.amount) == ("省福彩公益金", Decimal("1250000.50"))


def test_without_update_a_matching_row_is_refused(coordinator, two, tmp_path, capsys):
    path = exported(coordinator, tmp_path)
    with pytest.raises(CommandError):
        run(path, coordinator)
    assert "该结对已有同名项目；如需修改，请以更新方式导入。" in capsys.readouterr().err


def test_a_changed_funding_source_renames_the_self_raised_link(
    coordinator, two, tmp_path, capsys
):
    cabin = Project.objects.get(title="芙蓉镇宝贝小屋")
    tea = Project.objects.get(title="永顺莓茶消费帮扶")

    def edit(sheet, headers):
        set_cell(tea.title, "资金来源", "县财政衔接资金")(sheet, headers)
        set_cell(cabin.title, "预算（元）", 80000)(sheet, headers)
        set_cell(cabin.title, "资金来源", "爱心企业捐赠")(sheet, headers)

    run(exported(coordinator, tmp_path, edit), coordinator, "--update")
    link = tea.funding_links.get()
    assert (link.kind, link.fund_name, link.amount) == (
        FundingKind.SELF_RAISED,
        "县财政衔接资金",
        Decimal("1250000.50"),
    )
    link = cabin.funding_links.get()
    assert (link.fund_name, link.amount) == ("爱心企业捐赠", Decimal("80000.00"))
    assert link.history.latest().history_user == coordinator.user


def test_a_project_outside_the_users_pairings_is_not_changed(
    coordinator, two, tmp_path, make_pairing, make_organization, make_project, capsys
):
    """Another coordinator's project of the same name: the row is refused as a
    pairing the user does not have (as the create-only import refused it), and
    the project keeps its budget."""
    other = make_pairing(organization=make_organization(name="益阳市助老服务中心"))
    theirs = make_project(pairing=other, title="永顺莓茶消费帮扶", budget=5000)
    path = tmp_path / "别人的.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [[theirs.title, other.organization.uscc, "433127", "消费帮扶", "", "",
              "9000", ""]],
            headers=HEADERS,
        )
    )  # fmt: skip
    with pytest.raises(CommandError):
        run(path, coordinator, "--update")
    assert "在您的结对中，益阳市助老服务中心 与" in capsys.readouterr().err
    theirs.refresh_from_db()
    assert theirs.budget == Decimal("5000")


def test_the_reporting_period_changes_only_while_the_project_has_no_reports(
    coordinator, two, tmp_path, make_report, capsys
):
    """A province's yearly figures need 年度: an imported project without reports
    may still change its period; one with reports keeps it (its reports are by
    that period), and the refusal names it."""
    cabin = Project.objects.get(title="芙蓉镇宝贝小屋")
    tea = Project.objects.get(title="永顺莓茶消费帮扶")
    make_report(tea, 2023, 1, {})

    run(
        exported(coordinator, tmp_path, set_cell(cabin.title, "报告周期", "年度")),
        coordinator,
        "--update",
    )
    cabin.refresh_from_db()
    assert cabin.reporting_frequency == PeriodType.YEAR

    capsys.readouterr()
    with pytest.raises(CommandError):
        run(
            exported(coordinator, tmp_path, set_cell(tea.title, "报告周期", "年度")),
            coordinator,
            "--update",
        )
    assert "“永顺莓茶消费帮扶”已有按半年填报的成效报告，其报告周期不能再改。" in (
        capsys.readouterr().err
    )
    tea.refresh_from_db()
    assert tea.reporting_frequency == PeriodType.HALF_YEAR
