"""Bulk approval of outcome reports from their listing: each report still needs an
approver who is not its author and the evidence its indicators require; the
refusals are listed per report with the reason, the others are approved.

Who may approve (docs/permissions.md, DESIGN §1): a coordinator, for reports of the
pairings they coordinate; the fund manager reads reports and approves none."""

import pytest
from django.test import Client
from django.urls import reverse

from core import roles
from projects.choices import ReportStatus
from projects.errors import ProjectsError
from projects.models import OutcomeReport
from projects.services.reports import report_approve

pytestmark = pytest.mark.django_db

S = ReportStatus.SUBMITTED


def bulk_url(*reports, next_url="/admin/snippets/projects/outcomereport/"):
    ids = "&".join(f"id={r.pk}" for r in reports)
    return (
        reverse("wagtail_bulk_action", args=["projects", "outcomereport", "approve"])
        + f"?next={next_url}&{ids}"
    )


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team(make_user, make_pairing, make_project, make_report):
    """Two coordinators of one pairing (周 approves, 李 writes) and reports in every
    state a selection can hold, plus a report of a pairing 周 does not coordinate."""
    zhou = make_user("zhou", roles.COORDINATOR)
    li = make_user("li", roles.COORDINATOR)
    project = make_project(
        pairing=make_pairing(coordinators=[zhou, li]), title="永顺莓茶消费帮扶"
    )
    other = make_project(pairing=make_pairing(coordinators=[li]), title="紫阳富硒茶")
    reports = {
        "ready": make_report(project, 2023, 1, {"beneficiaries": 120}, S, li),
        "own": make_report(project, 2023, 2, {"beneficiaries": 150}, S, zhou),
        "no_evidence": make_report(project, 2024, 1, {"money_invested": 5000}, S, li),
        "draft": make_report(
            project, 2024, 2, {"beneficiaries": 9}, ReportStatus.DRAFT, li
        ),
        "elsewhere": make_report(other, 2023, 1, {"beneficiaries": 7}, S, li),
    }
    return zhou, li, reports


def statuses(reports):
    return {
        name: OutcomeReport.objects.get(pk=r.pk).status for name, r in reports.items()
    }


def test_confirmation_lists_what_will_be_approved_and_each_refusal(team):
    zhou, _li, r = team
    page = login(zhou).get(bulk_url(*r.values())).content.decode()

    assert "以下 1 份报告将审核通过" in page
    assert "以下 3 份报告不能审核通过" in page
    assert "永顺莓茶消费帮扶 · 2023年上半年" in page
    assert "本报告由您填报" in page  # the report 周 wrote
    assert "缺少必需的佐证材料：投入资金" in page
    assert "“草稿”" in page  # a draft cannot be approved
    assert "紫阳富硒茶" not in page  # outside 周's pairings: not even listed
    assert "确定审核通过 1 份报告" in page
    assert statuses(r)["ready"] == S  # the confirmation screen writes nothing


def test_coordinator_approves_the_approvable_and_is_told_the_refusals(team):
    zhou, _li, r = team
    client = login(zhou)

    response = client.post(bulk_url(*r.values()), follow=True)

    assert statuses(r) == {
        "ready": ReportStatus.APPROVED,
        "own": S,
        "no_evidence": S,
        "draft": ReportStatus.DRAFT,
        "elsewhere": S,
    }
    ready = OutcomeReport.objects.get(pk=r["ready"].pk)
    assert ready.decided_by == zhou
    page = response.content.decode()
    assert "已审核通过 1 份成效报告。" in page
    # One warning lists every refusal, report by report, with its reason.
    assert (
        "未审核通过：永顺莓茶消费帮扶 · 2023年下半年 —— 本报告由您填报，须由他人审核"
        "通过或退回。；永顺莓茶消费帮扶 · 2024年上半年 —— 缺少必需的佐证材料"
    ) in page
    assert "2024年下半年 —— “草稿”状态的报告不能变为“已审核通过”。" in page
    assert "本报告由您填报，须由他人审核通过或退回。" in page


def test_a_report_by_the_same_user_is_refused_with_the_reason(team):
    zhou, _li, r = team
    client = login(zhou)
    page = client.get(bulk_url(r["own"])).content.decode()
    assert "本报告由您填报，须由他人审核通过或退回。" in page
    assert "确定审核通过" not in page  # nothing to approve: only “go back”

    client.post(bulk_url(r["own"]))
    assert statuses(r)["own"] == S


def test_fund_manager_approves_none(team, make_user):
    _zhou, _li, r = team
    client = login(make_user("fund", roles.FUND_MANAGER))

    page = client.get(bulk_url(r["ready"], r["elsewhere"])).content.decode()
    assert page.count("您无权审核成效报告。") == 2
    client.post(bulk_url(r["ready"], r["elsewhere"]))

    assert statuses(r)["ready"] == S
    assert statuses(r)["elsewhere"] == S


def test_reports_outside_ones_pairings_answer_404(team, make_user):
    zhou, _li, r = team
    client = login(zhou)
    assert client.get(bulk_url(r["elsewhere"])).status_code == 404
    assert client.post(bulk_url(r["elsewhere"])).status_code == 404
    assert statuses(r)["elsewhere"] == S


def test_one_report_approval_also_needs_the_required_evidence(team):
    zhou, _li, r = team
    with pytest.raises(ProjectsError, match="投入资金"):
        report_approve(r["no_evidence"], user=zhou)
    assert statuses(r)["no_evidence"] == S


def test_listing_offers_the_bulk_action(team):
    zhou, _li, _r = team
    page = (
        login(zhou)
        .get(reverse("wagtailsnippets_projects_outcomereport:list"))
        .content.decode()
    )
    assert (
        reverse("wagtail_bulk_action", args=["projects", "outcomereport", "approve"])
        in page
    )
