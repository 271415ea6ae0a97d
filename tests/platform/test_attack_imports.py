"""The imports and figures of a province's records attacked with each role's account
and careless or hostile files: the holes found, each as the user meets it (what the
screen says, what is stored).

- an outcome file with 年度 0, 期次 0 or a period a half-year does not have (9):
  the upload answered 500 and the job stayed “validating” (imported as approved,
  year 99999 did the same);
- outcome figures past what the report holds (1e30, three decimals, a 201-character
  note) were stored, 1e30 breaking every later read of the report, 0.001 silently
  becoming 0;
- “import as approved” over a draft in the approval workflow approved it, its
  author approving their own report without its evidence;
- the roll-up screen answered 500 for `?year=-1` or a 20-digit year;
- a pairing's 合力团 or a project's 资金来源 longer than the field holds passed
  the check (PostgreSQL refuses it while writing).
"""

import pytest
from django.test import Client
from django.urls import reverse

from core import roles
from core.models import ImportJob
from projects.choices import ReportStatus
from projects.models import Alliance, OutcomeLine, OutcomeReport, Pairing, Project
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

REPORT_HEADERS = ["项目名称", "年度", "周期类型", "期次", "指标", "实际值", "备注"]
TITLE = "永顺莓茶消费帮扶"


def login(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def coordinator(make_user):
    return make_user("hunan_coordinator", roles.COORDINATOR)


@pytest.fixture
def project(make_project, make_pairing, coordinator, indicators):
    # reports by half-year (the fixture's reporting frequency)
    return make_project(pairing=make_pairing(coordinators=[coordinator]), title=TITLE)


def import_reports(user, rows, approve=False):
    data = {"file": upload("o.xlsx", xlsx_bytes(rows, headers=REPORT_HEADERS))}
    if approve:
        data["approve"] = "on"
    response = login(user).post(reverse("projects_report_import"), data)
    return response, ImportJob.objects.order_by("-pk").first()


def job_errors(job):
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


# --- outcome reports: a period that does not exist ---------------------------------


@pytest.mark.parametrize(
    "year, number, approve, column, message",
    [
        (0, 1, False, "年度", "请填写年份，如 2024。"),
        (2023, 0, False, "期次", "该周期类型的期次为 1 至 2。"),
        (2023, 9, True, "期次", "该周期类型的期次为 1 至 2。"),
        (0, 1, True, "年度", "请填写年份，如 2024。"),
        (99999, 1, True, "年度", "请填写年份，如 2024。"),
    ],
)
def test_a_period_that_does_not_exist_is_refused_on_its_row(
    project, coordinator, year, number, approve, column, message
):
    response, job = import_reports(
        coordinator, [[TITLE, year, "半年", number, "受益人数", 5, ""]], approve
    )

    assert response.status_code == 302
    assert job.status == ImportJob.Status.FAILED
    assert job_errors(job) == {(2, column): message}
    assert not OutcomeReport.objects.exists()


# --- outcome reports: figures past what a report holds -----------------------------


@pytest.mark.parametrize(
    "actual, note, column, message",
    [
        ("1e30", "", "实际值", "确认总共不超过 16 个数字."),
        ("0.001", "", "实际值", "确认小数不超过 2 位."),
        ("5", "注" * 201, "备注", "确保该变量包含不超过 200 字符 (目前字符数 201)。"),
    ],
)
def test_figures_past_what_a_report_holds_are_refused(
    project, coordinator, actual, note, column, message
):
    response, job = import_reports(
        coordinator, [[TITLE, 2023, "半年", 1, "受益人数", actual, note]]
    )

    assert response.status_code == 302
    assert job.status == ImportJob.Status.FAILED
    assert job_errors(job) == {(2, column): message}
    assert not OutcomeLine.objects.exists()


# --- outcome reports: approving one's own draft through the import -------------------


def test_import_as_approved_does_not_approve_a_report_in_the_workflow(
    project, coordinator
):
    import_reports(coordinator, [[TITLE, 2023, "半年", 1, "受益人数", 5, ""]])
    draft = OutcomeReport.objects.get()
    assert (draft.status, draft.created_by) == (ReportStatus.DRAFT, coordinator)

    response, job = import_reports(
        coordinator, [[TITLE, 2023, "半年", 1, "受益人数", 6, ""]], approve=True
    )
    # even if the officer posts the confirmation anyway
    login(coordinator).post(
        reverse("core_import_job", args=[job.pk]), {"action": "confirm"}
    )

    job.refresh_from_db()
    draft.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job_errors(job) == {
        (2, "项目名称"): "该期的成效报告已在审核流程中（草稿）：请提交后由他人审核；"
        "作为已审核数据导入的只能是尚未录入的历史数据。"
    }
    assert (draft.status, draft.decided_by) == (ReportStatus.DRAFT, None)
    assert draft.lines.get().actual == 5


def test_an_approved_report_imported_back_as_approved_unchanged_is_no_error(
    project, coordinator, make_user, make_report
):
    approver = make_user("approver", roles.COORDINATOR)
    make_report(project, 2023, 1, {"beneficiaries": "5"}, status=ReportStatus.APPROVED)

    _response, job = import_reports(
        coordinator, [[TITLE, 2023, "半年", 1, "受益人数", 5, ""]], approve=True
    )

    assert job.errors == []
    assert job.preview["unchanged"] == 1
    assert approver  # the report stays approved by whoever approved it
    assert OutcomeReport.objects.get().status == ReportStatus.APPROVED


# --- the roll-up screen's year ---------------------------------------------------------


@pytest.mark.parametrize("year", ["-1", "99999999999999999999", "0", "2023 OR 1=1"])
def test_rollup_screen_and_export_take_any_year_text(project, coordinator, year):
    client = login(coordinator)

    screen = client.get(reverse("projects_rollup"), {"year": year})
    export = client.get(reverse("projects_rollup"), {"year": year, "export": "xlsx"})

    assert screen.status_code == 200
    assert "乡村振兴帮扶成效统计" in screen.content.decode()
    assert export.status_code == 200
    assert (
        export["Content-Disposition"] == 'attachment; filename="rollup-county-all.xlsx"'
    )


@pytest.mark.parametrize("year", ["²", "99999999999999999999", "-1"])
def test_purchase_figures_take_any_year_text(client_for, year):
    client = client_for(roles.FUND_MANAGER)

    screen = client.get(reverse("funding_purchase_rollup"), {"year": year})
    export = client.get(
        reverse("funding_purchase_rollup"), {"year": year, "format": "xlsx"}
    )

    assert screen.status_code == 200
    assert export.status_code == 200


# --- pairings and projects: text longer than its field -------------------------------


def test_an_alliance_name_longer_than_its_field_is_refused(
    make_organization, coordinator
):
    org = make_organization(name="长沙市阳光社工服务中心")
    data = xlsx_bytes(
        [[org.uscc, "433127", "团" * 201, ""]],
        headers=["统一社会信用代码", "结对地区代码", "合力团", "开始日期"],
    )

    login(coordinator).post(
        reverse("projects_pairing_import"), {"file": upload("p.xlsx", data)}
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job_errors(job) == {
        (2, "合力团"): "确保该变量包含不超过 200 字符 (目前字符数 201)。"
    }
    assert not Pairing.objects.exists()
    assert not Alliance.objects.exists()


def test_a_funding_source_longer_than_its_field_is_refused(
    make_organization, make_pairing, coordinator
):
    org = make_organization(name="长沙市阳光社工服务中心")
    make_pairing(organization=org, coordinators=[coordinator])
    data = xlsx_bytes(
        [["莓茶项目", org.uscc, "433127", "消费帮扶", "", "", "100", "源" * 201]],
        headers=[
            "项目名称",
            "统一社会信用代码",
            "帮扶地区代码",
            "类别",
            "开始日期",
            "结束日期",
            "预算（元）",
            "资金来源",
        ],
    )

    login(coordinator).post(
        reverse("projects_project_import"), {"file": upload("p.xlsx", data)}
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job_errors(job) == {
        (2, "资金来源"): "确保该变量包含不超过 200 字符 (目前字符数 201)。"
    }
    assert not Project.objects.exists()


# --- replays and other people's records (refused already; no test covered them) ------


def test_a_replayed_bulk_approval_approves_once(
    make_user, make_pairing, make_project, make_report
):
    zhou = make_user("zhou", roles.COORDINATOR)
    li = make_user("li", roles.COORDINATOR)
    project = make_project(pairing=make_pairing(coordinators=[zhou, li]), title=TITLE)
    report = make_report(
        project, 2023, 1, {"beneficiaries": 120}, ReportStatus.SUBMITTED, li
    )
    url = (
        reverse("wagtail_bulk_action", args=["projects", "outcomereport", "approve"])
        + f"?next=/admin/snippets/projects/outcomereport/&id={report.pk}"
    )
    client = login(zhou)

    client.post(url)
    first = OutcomeReport.objects.get(pk=report.pk)
    replay = client.post(url, follow=True)

    again = OutcomeReport.objects.get(pk=report.pk)
    assert (again.status, again.decided_by, again.decided_at) == (
        ReportStatus.APPROVED,
        zhou,
        first.decided_at,
    )
    assert again.history.count() == first.history.count()
    assert "已审核通过 0 份成效报告。" in replay.content.decode()


def test_another_coordinator_cannot_confirm_or_read_ones_import(
    project, coordinator, make_user, make_report
):
    make_report(project, 2023, 1, {"beneficiaries": "5"}, status=ReportStatus.DRAFT)
    _response, job = import_reports(
        coordinator, [[TITLE, 2023, "半年", 1, "受益人数", 6, "村民张三的电话"]]
    )
    assert job.status == ImportJob.Status.AWAITING
    intruder = make_user("intruder", roles.COORDINATOR)
    project.pairing.coordinators.add(intruder)  # may import this kind, same pairing
    client = login(intruder)
    url = reverse("core_import_job", args=[job.pk])

    # Wagtail turns the refusal into a redirect to the dashboard
    for response in (
        client.get(url),
        client.get(url, {"format": "json"}),
        client.post(url, {"action": "confirm"}),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")

    job.refresh_from_db()
    assert (job.status, job.confirmed_by) == (ImportJob.Status.AWAITING, None)
    assert OutcomeLine.objects.get().actual == 5


def test_a_pairing_starting_in_9999_is_refused(make_organization, coordinator):
    org = make_organization(name="长沙市阳光社工服务中心")
    data = xlsx_bytes(
        [[org.uscc, "433127", "", "9999-12-31"]],
        headers=["统一社会信用代码", "结对地区代码", "合力团", "开始日期"],
    )

    login(coordinator).post(
        reverse("projects_pairing_import"), {"file": upload("p.xlsx", data)}
    )

    job = ImportJob.objects.get()
    assert job_errors(job) == {(2, "开始日期"): "日期不能晚于今天。"}
    assert not Pairing.objects.exists()
