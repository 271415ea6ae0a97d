"""Importing revitalization projects (帮扶项目) from a province's spreadsheet: the
command, the coordinator's scope, all or nothing, and the bad-row set."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import roles
from core.models import ImportJob
from projects.choices import FundingKind, ProjectCategory, ProjectStatus
from projects.models import Project
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

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


def write(tmp_path, rows):
    path = tmp_path / "projects.xlsx"
    path.write_bytes(xlsx_bytes(rows, headers=HEADERS))
    return path


@pytest.fixture
def pairing(make_pairing, make_organization):
    return make_pairing(organization=make_organization(name="长沙市阳光社工服务中心"))


def test_command_imports_projects_under_their_pairing(tmp_path, pairing, capsys):
    uscc = pairing.organization.uscc
    path = write(
        tmp_path,
        [
            ["永顺莓茶消费帮扶", uscc, "433127", "消费帮扶", "2023-03-01",
             "2023-12-31", "1,250,000.50", "省福彩公益金"],
            ["芙蓉镇宝贝小屋", uscc, "433127", "宝贝小屋", "", "", "", ""],
        ],
    )  # fmt: skip

    call_command("import_projects", str(path))

    assert "已导入 2 个帮扶项目" in capsys.readouterr().out
    tea = Project.objects.get(title="永顺莓茶消费帮扶")
    assert tea.pairing == pairing
    assert tea.category == ProjectCategory.CONSUMPTION
    assert (tea.start_date, tea.end_date) == (
        datetime.date(2023, 3, 1),
        datetime.date(2023, 12, 31),
    )
    assert tea.budget == Decimal("1250000.50")
    assert tea.status == ProjectStatus.COMPLETED  # ended before today
    link = tea.funding_links.get()
    assert (link.kind, link.fund_name, link.amount) == (
        FundingKind.SELF_RAISED,
        "省福彩公益金",
        Decimal("1250000.50"),
    )
    cabin = Project.objects.get(title="芙蓉镇宝贝小屋")
    assert cabin.category == ProjectCategory.CABIN_BABY
    assert (cabin.start_date, cabin.budget, cabin.status) == (
        None,
        Decimal("0"),
        ProjectStatus.PLANNED,
    )
    assert not cabin.funding_links.exists()


def test_bad_rows_are_each_reported_and_nothing_is_written(
    tmp_path, pairing, make_project, capsys
):
    uscc = pairing.organization.uscc
    make_project(pairing=pairing, title="已有项目")
    path = write(
        tmp_path,
        [
            ["新项目", uscc, "433127", "产业", "2023-01-05", "", "1000", ""],  # good
            ["未知组织", "91430100MA4L000000", "433127", "产业", "", "", "", ""],
            ["未知地区", uscc, "999999", "产业", "", "", "", ""],
            ["新项目", uscc, "433127", "产业", "", "", "", ""],  # duplicate of row 2
            ["坏日期", uscc, "433127", "产业", "2023/13/01", "", "", ""],
            ["", uscc, "433127", "产业", "", "", "", ""],  # empty required cell
            ["坏金额", uscc, "433127", "产业", "", "", "十万", ""],
            ["未结对", uscc, "610924", "产业", "", "", "", ""],
            ["坏类别", uscc, "433127", "修路", "", "", "", ""],
            ["日期颠倒", uscc, "433127", "产业", "2024-01-01", "2023-01-01", "", ""],
            ["负预算", uscc, "433127", "产业", "", "", "-5", ""],
        ],
    )

    with pytest.raises(CommandError, match="10"):
        call_command("import_projects", str(path), "--language", "en")

    errors = capsys.readouterr().err.strip().splitlines()
    assert errors[:6] == [
        "row 3, column unified social credit code: No organization with the code "
        "“91430100MA4L000000” is registered: import or add it first.",
        "row 4, column assisted region code: “999999” is not the code of a county "
        "or of a recorded village.",
        "row 5, column project name: The same project is already in row 2 of this "
        "file.",
        "row 6, column start date: “2023/13/01” is not a real date.",
        "row 7, column project name: This cell is required.",
        "row 8, column budget (yuan): “十万” is not a number.",
    ]
    assert errors[6] == (
        f"row 9, column assisted region code: {pairing.organization.name} has no "
        "pairing with 陕西省安康市紫阳县 among your pairings; import or record the "
        "pairing first."
    )
    assert errors[7].startswith("row 10, column category: “修路” is not one of: ")
    assert errors[8] == (
        "row 11, column end date: The end date is before the start date."
    )
    assert errors[9].startswith("row 12, column budget (yuan): ")
    assert list(Project.objects.values_list("title", flat=True)) == ["已有项目"]


def test_a_recorded_project_is_refused_without_update(
    tmp_path, pairing, make_project, capsys
):
    """Without --update a row naming a stored project (same name, same pairing) is
    an error of its row, and nothing of the file is written."""
    uscc = pairing.organization.uscc
    make_project(pairing=pairing, title="已有项目")
    path = write(
        tmp_path,
        [
            ["新项目", uscc, "433127", "产业", "", "", "", ""],
            ["已有项目", uscc, "433127", "产业", "", "", "", ""],
        ],
    )
    with pytest.raises(CommandError, match="1"):
        call_command("import_projects", str(path))
    assert capsys.readouterr().err.strip() == (
        "第 3 行，“项目名称”列：该结对已有同名项目；如需修改，请以更新方式导入。"
    )
    assert list(Project.objects.values_list("title", flat=True)) == ["已有项目"]


def test_coordinator_imports_only_into_own_pairings(
    client_for, make_pairing, make_organization
):
    client = client_for(roles.COORDINATOR)
    own = make_pairing(coordinators=[client.user])
    other = make_pairing(organization=make_organization())  # someone else's
    listing = client.get(reverse("wagtailsnippets_projects_project:list"))
    assert reverse("projects_project_import") in listing.content.decode()
    rows = [
        ["自己的项目", own.organization.uscc, "433127", "就业", "", "", "", ""],
        ["别人的项目", other.organization.uscc, "433127", "就业", "", "", "", ""],
    ]

    client.post(
        reverse("projects_project_import"),
        {"file": upload("p.xlsx", xlsx_bytes(rows, headers=HEADERS))},
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "帮扶地区代码")]
    assert "没有结对" in job.errors[0]["message"]
    assert not Project.objects.exists()

    client.post(
        reverse("projects_project_import"),
        {"file": upload("p.xlsx", xlsx_bytes(rows[:1], headers=HEADERS))},
    )
    project = Project.objects.get()
    assert (project.title, project.pairing) == ("自己的项目", own)
    assert project.history.get().history_user == client.user
    listing = client.get(reverse("wagtailsnippets_projects_project:list"))
    assert "未知" in listing.content.decode()  # its start date was not given
