"""The task inbox on each role's dashboard: what waits for the user, counted from
the rules (only what they may act on), with its due date, its total in 万元 and a
link to the screen that does the work; nothing from another base or pairing, and
"暂无待办" when nothing waits."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core import roles
from funding.choices import ApplicationStatus, ReviewStatus
from funding.models import Disbursement, Objection, PublicNotice, Review
from funding.models.awards import DisbursementStatus
from incubator.models import Assessment, Milestone, Residency, Stage
from projects.choices import ReportStatus
from tests.support.dates import today
from tests.support.inbox import inbox_empty_text, inbox_lines

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def _line(lines, label):
    found = [line for line in lines if line["label"].startswith(label)]
    assert len(found) == 1, (label, lines)
    return found[0]


def _review(application, reviewer, status=ReviewStatus.ASSIGNED):
    return Review.objects.create(
        application=application, reviewer=reviewer, status=status
    )


# --- reviewer ------------------------------------------------------------------


def test_reviewer_sees_pending_reviews_with_deadline_and_progress(
    client_for, make_call, make_application, make_reviewer
):
    call = make_call(name="2026年度福彩公益金项目", review_due_on=today() + 5 * DAY)
    expert = client_for(roles.REVIEWER, "expert_zhou")
    apps = [
        make_application(status=ApplicationStatus.IN_REVIEW, call=call)
        for _ in range(3)
    ]
    _review(apps[0], expert.user, ReviewStatus.SUBMITTED)
    _review(apps[1], expert.user, ReviewStatus.DRAFT)
    _review(apps[2], expert.user)
    # another expert's review of the same call is not hers
    _review(apps[2], make_reviewer("expert_li"))

    line = _line(inbox_lines(expert), "待评审")

    assert line["label"] == "待评审 2"
    assert f"截止 {_date(today() + 5 * DAY)}" in line["text"]
    assert "还剩 5 天" in line["text"]
    assert "已评 1/3 · 2026年度福彩公益金项目" in line["text"]
    assert line["href"] == reverse("funding_my_reviews")


def test_reviewer_overdue_and_a_reviewer_with_nothing_sees_words(
    client_for, make_call, make_application
):
    call = make_call(review_due_on=today() - 2 * DAY)
    expert = client_for(roles.REVIEWER, "expert_late")
    _review(make_application(call=call), expert.user)
    idle = client_for(roles.REVIEWER, "expert_idle")

    line = _line(inbox_lines(expert), "待评审")

    assert line["label"] == "待评审 1"
    assert "已逾期 2 天" in line["text"]
    assert inbox_lines(idle) == []
    assert inbox_empty_text(idle) == "暂无待办"


def test_reviewers_list_puts_pending_first_with_count_and_deadline(
    client_for, make_call, make_application
):
    call = make_call(review_due_on=today() + 3 * DAY)
    expert = client_for(roles.REVIEWER, "expert_list")
    done = [make_application(call=call, title=f"已评项目{i}") for i in range(3)]
    todo = [make_application(call=call, title=f"待评项目{i}") for i in range(2)]
    for app in done:
        _review(app, expert.user, ReviewStatus.SUBMITTED)
    for app in todo:
        _review(app, expert.user)

    from bs4 import BeautifulSoup

    page = expert.get(reverse("funding_my_reviews")).content.decode()
    soup = BeautifulSoup(page, "html.parser")
    titles = [
        row.find("td").get_text(strip=True)
        for row in soup.select('[data-testid="my-reviews"] tbody tr')
    ]
    summary = " ".join(
        soup.select_one('[data-testid="my-reviews-summary"]').get_text().split()
    )

    assert titles[:2] == ["待评项目0", "待评项目1"]
    assert sorted(titles[2:]) == ["已评项目0", "已评项目1", "已评项目2"]
    assert summary.startswith("待评审 2 份")
    assert f"截止 {_date(today() + 3 * DAY)}" in summary


# --- finance and fund manager -----------------------------------------------------


@pytest.fixture
def payments(make_award, make_user):
    """An award of 3,000,000 元 (tranches 1,800,000 and 1,200,000) with two
    disbursements approved (1,800,000 + 500,000), one recorded (200,000) and one
    paid (100,000), recorded by one fund manager and approved by another."""
    award = make_award(amount=Decimal("3000000"))
    first, second = award.tranches.all()
    clerk = make_user("clerk", roles.FUND_MANAGER)
    approver = make_user("approver", roles.FUND_MANAGER)
    payer = make_user("payer", roles.FINANCE)
    for tranche, amount, status in [
        (first, "1800000", DisbursementStatus.APPROVED),
        (second, "500000", DisbursementStatus.APPROVED),
        (second, "200000", DisbursementStatus.RECORDED),
        (second, "100000", DisbursementStatus.PAID),
    ]:
        Disbursement.objects.create(
            tranche=tranche,
            amount=Decimal(amount),
            status=status,
            recorded_by=clerk,
            approved_by=approver if status != DisbursementStatus.RECORDED else None,
            paid_by=payer if status == DisbursementStatus.PAID else None,
        )
    return award, clerk


def test_finance_sees_payments_waiting_and_their_total(client_for, payments):
    finance = client_for(roles.FINANCE, "cashier")

    lines = inbox_lines(finance)

    assert [line["label"] for line in lines] == ["待支付的拨付 2"]
    assert "合计 230.00 万元" in lines[0]["text"]
    # the line opens the payments desk at what waits to be paid
    assert lines[0]["href"] == reverse("funding_finance_desk") + "#desk-pay"


def test_fund_manager_approves_what_someone_else_recorded(client_for, payments):
    _award, clerk = payments
    other = client_for(roles.FUND_MANAGER, "manager_wang")
    own = client_for(roles.FUND_MANAGER, "manager_clerk")
    own.force_login(clerk)

    line = _line(inbox_lines(other), "待审批的拨付")
    assert line["label"] == "待审批的拨付 1"
    assert "合计 20.00 万元" in line["text"]
    assert line["href"] == reverse("funding_finance_desk") + "#desk-approve"
    # the clerk recorded it: separation of duties, not hers to approve
    assert not [x for x in inbox_lines(own) if x["label"].startswith("待审批的拨付")]


def test_fund_manager_sees_calls_closing_overdue_reviews_objections_notices(
    client_for, make_call, make_application, make_reviewer, make_award
):
    manager = client_for(roles.FUND_MANAGER, "manager_li")
    closing = make_call(name="即将截止批次", closes_on=today() + 3 * DAY)
    make_call(name="下月截止批次", closes_on=today() + 30 * DAY)
    late = make_call(
        name="评审逾期批次",
        opens_on=today() - 60 * DAY,
        closes_on=today() - 30 * DAY,
        review_due_on=today() - DAY,
    )
    for title in ("甲", "乙"):
        _review(make_application(call=late, title=title), make_reviewer())
    _review(
        make_application(call=late, title="丙"), make_reviewer(), ReviewStatus.SUBMITTED
    )
    award = make_award()
    Objection.objects.create(
        award=award, received_on=today(), objector="张三", content="申报材料不实"
    )
    notice = PublicNotice.objects.create(
        call=closing,
        title="即将期满的公示",
        starts_on=today() - 6 * DAY,
        working_days=5,
        ends_on=today() - DAY,
        objection_contact="0731-00000000",
    )

    lines = inbox_lines(manager)

    calls = _line(lines, "即将截止的申报批次")
    assert calls["label"] == "即将截止的申报批次 1"
    assert calls["href"] == reverse("funding_call_desk", args=[closing.pk])
    reviews = _line(lines, "逾期未交的评审")
    assert reviews["label"] == "逾期未交的评审 2"
    assert "已逾期 1 天" in reviews["text"]
    assert reviews["href"] == reverse("funding_call_desk", args=[late.pk])
    objections = _line(lines, "待处理的异议")
    assert objections["label"] == "待处理的异议 1"
    assert objections["href"] == reverse("funding_award_desk", args=[award.pk])
    notices = _line(lines, "公示期将满的公示")
    assert notices["label"] == "公示期将满的公示 1"
    assert notices["href"] == reverse("funding_notice_close", args=[notice.pk])


# --- operator and assessor -------------------------------------------------------


def test_operator_sees_only_her_bases_applications_and_late_milestones(
    two_bases, make_organization
):
    a, b = two_bases.base_a, two_bases.base_b
    applied = Residency.objects.create(
        organization=make_organization(name="雨花区助老服务中心"),
        base=a,
        stage=Stage.APPLIED,
    )
    Residency.objects.create(
        organization=make_organization(), base=b, stage=Stage.APPLIED
    )
    incubating = Residency.objects.create(
        organization=make_organization(name="雨花区青少年服务社"),
        base=a,
        stage=Stage.INCUBATING,
    )
    Milestone.objects.create(
        residency=incubating, title="财务制度建立", due_on=today() - 4 * DAY
    )
    Milestone.objects.create(
        residency=incubating,
        title="完成登记",
        due_on=today() - 9 * DAY,
        done_on=today() - 10 * DAY,
    )

    lines = inbox_lines(two_bases.client_a)

    admit = _line(lines, "待审核的入驻申请")
    assert admit["label"] == "待审核的入驻申请 1"
    assert admit["href"] == reverse("incubator_residency_move", args=[applied.pk])
    late = _line(lines, "逾期里程碑")
    assert late["label"] == "逾期里程碑 1"
    assert "已逾期 4 天" in late["text"]
    # operator B sees her own base's one application, none of A's
    assert [x["label"] for x in inbox_lines(two_bases.client_b)] == [
        "待审核的入驻申请 1"
    ]


def test_assessor_sees_the_assessment_awaiting_her_scores(
    two_bases, make_organization, client_for
):
    residency = Residency.objects.create(
        organization=make_organization(name="雨花区社区服务中心"),
        base=two_bases.base_a,
        stage=Stage.ASSESSING,
    )
    assessment = Assessment.objects.create(
        residency=residency, held_on=today() + 2 * DAY, pass_mark=Decimal("60")
    )
    expert = client_for(roles.REVIEWER, "assessor_chen")  # no role at the base
    assessment.assessors.set([expert.user])
    outsider = client_for(roles.OPERATOR, "operator_c")

    line = _line(inbox_lines(expert), "待我评分的出壳评估")

    assert line["label"] == "待我评分的出壳评估 1"
    assert f"截止 {_date(today() + 2 * DAY)}" in line["text"]
    assert line["href"] == reverse("incubator_assessment_score", args=[assessment.pk])
    assert expert.get(line["href"]).status_code == 200
    assert inbox_lines(outsider) == []


# --- coordinator -------------------------------------------------------------------


def test_coordinator_approves_others_reports_and_sees_her_returned_ones(
    client_for, make_user, make_pairing, make_project, make_report
):
    checker = client_for(roles.COORDINATOR, "checker")
    author = make_user("author", roles.COORDINATOR)
    project = make_project(
        pairing=make_pairing(coordinators=[author, checker.user]), title="阅读小屋"
    )
    theirs = make_report(
        project, 2024, 1, {"jobs": "1"}, status=ReportStatus.SUBMITTED, author=author
    )
    make_report(
        project,
        2024,
        2,
        {"jobs": "1"},
        status=ReportStatus.SUBMITTED,
        author=checker.user,
    )
    returned = make_report(
        project,
        2023,
        2,
        {"jobs": "1"},
        status=ReportStatus.RETURNED,
        author=checker.user,
    )
    elsewhere = make_project(
        pairing=make_pairing(coordinators=[author]), title="医生小屋"
    )
    make_report(
        elsewhere, 2024, 1, {"jobs": "1"}, status=ReportStatus.SUBMITTED, author=author
    )

    lines = inbox_lines(checker)

    approve = _line(lines, "待审核的成效报告")
    assert approve["label"] == "待审核的成效报告 1"
    assert approve["href"] == reverse("projects_report_review", args=[theirs.pk])
    back = _line(lines, "退回给我修改的成效报告")
    assert back["label"] == "退回给我修改的成效报告 1"
    assert back["href"] == reverse(
        "wagtailsnippets_projects_outcomereport:edit", args=[returned.pk]
    )
    other = client_for(roles.COORDINATOR, "stranger")
    assert inbox_lines(other) == []


# --- editor and moderator -------------------------------------------------------------


def test_moderator_and_editor_see_the_page_in_moderation(
    cms_site, client_for, make_news
):
    editor = client_for(roles.EDITOR, "editor_liu")
    moderator = client_for(roles.ADMINISTRATOR, "moderator")
    page = make_news(title="乡村振兴观察", slug="village-watch")
    page.get_workflow().start(page, editor.user)

    to_moderate = _line(inbox_lines(moderator), "待我审核的页面")
    mine = _line(inbox_lines(editor), "我提交待审核的页面")

    assert to_moderate["label"] == "待我审核的页面 1"
    assert to_moderate["href"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert mine["label"] == "我提交待审核的页面 1"
    assert inbox_empty_text(client_for(roles.EDITOR, "editor_idle")) == "暂无待办"


def test_money_on_the_dashboard_is_in_wan_yuan_with_separators():
    from core.money import wan_yuan_text

    assert wan_yuan_text(Decimal("2760000")) == "276.00"
    assert wan_yuan_text(Decimal("123456789")) == "12,345.68"
    assert wan_yuan_text(Decimal("0")) == "0.00"
