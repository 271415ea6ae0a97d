"""An organization's whole journey, walked in headless Chromium (Debian's, through
Playwright), Chinese UI, through the screens the people use — nothing skipped with
a service call; only the world (a call with its own form, the staff, a paired
revitalization project, a second call already decided) is seeded beforehand:

invitation by a fund manager → first login → draft with a file question → submit
→ more information requested with a note → the organization edits and resubmits →
staff read what changed → 形式审查, an expert's score, the decision → public notice
published and closed → the award made, its agreement and 40/30/30 schedule →
the first tranche recorded, approved and paid (three people) → the organization
sees it paid and files its mid-term report with a file → the fund manager approves
it → 成效报告 submitted → returned by the coordinator with a reason → revised and
resubmitted → approved. Then a visitor's objection on a notice running today,
which the fund manager sees, without the objector's contact on the public page.

At each step: what the person sees (Chinese, amounts as 128,500.00) and what the
database holds. Screenshots of each step at 1366 px, and of the organization's
screens at 390 px as well, in /tmp/journey/; no page is wider than its window,
no CSP violation."""

import datetime
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.models import Notification, NotificationKind
from funding.choices import ApplicationStatus
from funding.models import Application, Award, Disbursement, Objection
from funding.models.awards import AwardReport, DisbursementStatus, ReportStatus
from incubator.choices import RegistrationLevel
from projects.choices import ReportStatus as OutcomeStatus
from projects.models import OutcomeReport
from tests.cms.test_public_site_browser import (  # noqa: F401 - fixtures
    _fresh_content_type_cache,
    browser,
)
from tests.fixtures.funding import ONLINE_FORM
from tests.support.browser import Person, failure_shots

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(tempfile.gettempdir()) / "journey"
ORG_NAME = "湖南省益阳社工服务中心"
TITLE = "益阳市留守儿童护苗关爱项目"
PASSWORD = "Yiyang-2026-shegong"  # noqa: S105 - test data
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
NOTE = "请补充服务人次的测算依据，并核减活动物资预算。"
OUTCOME_REASON = "受益人数与签到表不符，请附签到表后重新提交。"
CONTACT = "13800001111"

#: The call's own questions: the tests' number and choice, and a file.
FORM = [
    *ONLINE_FORM,
    (
        "file",
        {"label": "项目实施方案", "required": True, "help_text": "PDF 或 Word"},
    ),
]


@pytest.fixture
def world(
    make_call,
    make_organization,
    make_user,
    make_pairing,
    make_project,
    approved_application,
    cms_site,
):
    """The call (open 10 more days, one expert per application, at most 15万), the
    organization (not yet with an account), the staff, a revitalization project of
    the organization paired with a Hunan county, and a second call whose one
    application is approved (its notice will run today)."""
    from core.models import Region
    from projects.services.indicators import indicators_ensure

    indicators_ensure()
    call = make_call(
        name="2026年度福彩公益金项目（在线申报）", reviewers_per_application=1
    )
    call.application_form = FORM
    call.save()
    call.fund.document_prefix = "湘民社管"  # numbers the award letter (机关代字)
    call.fund.save()
    organization = make_organization(
        name=ORG_NAME,
        bank_name="中国工商银行益阳分行",
        bank_account="6222021234561234",
        region=Region.objects.get(code="430900"),
        registration_level=RegistrationLevel.CITY,
    )
    make_user("fm_li", roles.FUND_MANAGER, first_name="敏", last_name="李")
    make_user("fm_zhao", roles.FUND_MANAGER, first_name="强", last_name="赵")
    make_user("cw_wang", roles.FINANCE, first_name="丽", last_name="王")
    make_user("expert_zhou", roles.REVIEWER, first_name="华", last_name="周")
    coordinator = make_user(
        "coord_chen", roles.COORDINATOR, first_name="静", last_name="陈"
    )
    project = make_project(
        pairing=make_pairing(organization=organization, coordinators=[coordinator]),
        title="安化县留守儿童关爱项目",
    )
    today = timezone.localdate()
    other_call = make_call(
        name="2026年度社区公益创投项目",
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=30),
    )
    other = approved_application(
        Decimal("80000"), call=other_call, title="社区养老服务项目"
    )
    return {
        "call": call,
        "organization": organization,
        "project": project,
        "other_call": other_call,
        "other": other,
    }


def _write(tmp_path, name, content=PDF):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def _choose_call(person, call):
    """The notice form's 申报批次 through its chooser: the modal, the call's row."""
    person.page.locator("#id_call-chooser .chooser__choose-button").click()
    modal = person.page.locator(".modal-content")
    person.shot("choose-call")
    modal.get_by_role("link", name=call.name).click()
    # the chosen call's name shows in the field (no script evaluated: the CSP
    # forbids eval, which a wait_for_function on a string uses)
    person.page.locator("#id_call-chooser").get_by_text(call.name).wait_for()


def _phone(browser, base, user, password, paths, name):  # noqa: F811
    """The organization's screens at 390 px: each fits the phone's width."""
    phone = Person(
        browser, base, user, 390, password=password, shots=SHOTS, timeout_ms=90_000
    )
    for label, path in paths:
        phone.goto(path)
        phone.shot(f"{name}-{label}")
        assert phone.fits(), f"{path} is wider than a phone at 390 px"
    phone.close()


def test_an_organization_from_invitation_to_approved_outcome_report(
    browser,  # noqa: F811
    live_server,
    world,
    tmp_path,
):
    with failure_shots():
        _journey(browser, live_server.url, world, tmp_path)


def _journey(browser, base, world, tmp_path):  # noqa: F811, PLR0915 - one walk
    """The walk, step by step (see the module's docstring)."""
    organization = world["organization"]
    call = world["call"]

    def person(user, password=None, width=1366):
        kwargs = {"password": password} if password else {}
        return Person(
            browser, base, user, width, shots=SHOTS, timeout_ms=30_000, **kwargs
        )

    # --- invitation: the fund manager invites from the organization's screen -----
    fm = person("fm_li")
    fm.goto(reverse("incubator_invite", args=[organization.pk]))
    assert "邀请机构用户" in fm.content()
    fm.page.get_by_label("电子邮箱").fill("lead@yiyang.example.org")
    fm.shot("01-invite")
    fm.submit(fm.page.get_by_role("button", name="发送邀请"))
    assert "邀请已发送" in fm.content()
    fm.close()
    message = mail.outbox[-1]
    assert message.to == ["lead@yiyang.example.org"]
    path = re.search(r"(/organizations/invitations/[^/\s]+/)", message.body)[1]

    # --- first login: the link, a username and password, the login form ----------
    org = person(None)
    org.goto(path)
    assert ORG_NAME in org.content()
    org.page.fill("#id_username", "yiyang_lead")
    org.page.fill("#id_password1", PASSWORD)
    org.page.fill("#id_password2", PASSWORD)
    org.shot("02-accept")
    org.submit(org.page.get_by_role("button", name="创建账号"))
    assert "账号已开通" in org.content()
    org.submit(org.page.get_by_role("link", name="登录", exact=True))
    org.page.fill("#id_username", "yiyang_lead")
    org.page.fill("#id_password", PASSWORD)
    org.submit(org.page.locator('form button[type="submit"]'))
    org.page.wait_for_url(base + reverse("incubator_portal_organization"))
    assert "6222 **** **** 1234" in org.text("bank-account")
    org.shot("03-first-login")
    member = organization.members.get()
    assert member.user.username == "yiyang_lead"

    # --- draft: 我的申报 → 在线申报, the call's form with its file question --------
    org.goto(reverse("funding_portal_applications"))
    card = org.page.get_by_test_id("open-call").filter(has_text=call.name)
    assert "150,000.00" in card.inner_text()  # the call's maximum per award
    org.submit(card.get_by_role("link", name="在线申报"))
    assert "23:59:59（北京时间）" in org.text("deadline")
    org.page.fill("#id_app-title", TITLE)
    org.page.fill("#id_app-summary", "为留守儿童提供课后陪伴、心理支持与安全教育。")
    org.page.fill("#id_app-requested_amount", "135000")
    org.page.fill("#id_budget-0-item", "社工人员费用")
    org.page.fill("#id_budget-0-amount", "85000")
    org.page.fill("#id_budget-1-item", "活动物资")
    org.page.fill("#id_budget-1-amount", "50000")
    org.page.get_by_label("服务人次").fill("1200")
    org.page.get_by_label("服务领域").select_option("儿童")
    org.page.get_by_label("项目实施方案").set_input_files(
        _write(tmp_path, "项目实施方案.pdf")
    )
    org.shot("04-draft-form")
    org.submit(org.page.get_by_role("button", name="保存草稿"))
    assert "草稿已保存" in org.content()
    application = Application.objects.get(organization=organization)
    assert application.status == ApplicationStatus.DRAFT
    assert application.requested_amount == Decimal("135000")
    assert application.attachments.count() == 1  # the file question's answer
    assert application.submitted_online is False

    # --- submit ---------------------------------------------------------------------
    org.submit(org.page.get_by_test_id("submit"))
    assert "申报已提交" in org.content()
    assert org.text("status") == "已提交"
    org.shot("05-submitted")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submissions.count() == 1

    # --- more information requested, with a note (fund manager) --------------------
    record = reverse("funding_application_record", args=[application.pk])
    fm = person("fm_li")
    fm.goto(record)
    assert fm.text("online-badge") == "机构在线提交"
    fm.page.fill("#id_note", NOTE)
    fm.submit(fm.page.get_by_role("button", name="要求补充材料"))
    assert fm.text("status") == "需补充材料"
    fm.shot("06-more-info-requested")
    fm.close()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.MORE_INFO

    # --- the organization sees the note, edits, resubmits --------------------------
    org.goto(reverse("funding_portal_application", args=[application.pk]))
    assert NOTE in org.text("info-request")
    org.shot("07-note-seen")
    org.submit(org.page.get_by_role("link", name="修改"))
    org.page.fill("#id_app-requested_amount", "128500")
    org.page.fill("#id_budget-1-amount", "43500")
    org.page.get_by_label("服务人次").fill("1500")
    org.shot("08-resubmit-form")
    org.submit(org.page.get_by_test_id("submit"))
    assert org.text("status") == "已提交"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.requested_amount == Decimal("128500")
    assert application.submissions.count() == 2

    # --- staff see what changed on the record screen -------------------------------
    fm = person("fm_li")
    fm.goto(record)
    changes = fm.text("changes")
    assert "135,000.00" in changes and "128,500.00" in changes
    assert "1200人次" in changes and "1500人次" in changes
    fm.shot("09-record-diff")

    # --- review by staff: 形式审查, an expert assigned, scored, the decision --------
    fm.goto(reverse("funding_call_desk", args=[call.pk]))
    fm.submit(fm.page.get_by_role("button", name="对已提交项目进行形式审查"))
    assert "形式审查完成：1个通过，0个未通过。" in fm.content()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE
    fm.shot("10-eligibility")
    fm.goto(reverse("funding_application_assign", args=[application.pk]))
    fm.submit(fm.page.get_by_role("button", name="分配"))
    assert "已分配评审专家。" in fm.content()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    fm.shot("11-assigned")

    expert = person("expert_zhou")
    expert.goto(reverse("funding_my_reviews"))
    expert.submit(expert.page.get_by_role("link", name=TITLE))
    for criterion, score in zip(call.criteria.all(), (27, 36, 26), strict=True):
        expert.page.fill(f"[name=score_{criterion.pk}]", str(score))
    expert.page.get_by_label("建议资助", exact=True).check()
    expert.page.fill("[name=comment]", "方案可行，测算依据充分。")
    expert.shot("12-scores")
    expert.submit(expert.page.get_by_role("button", name="提交（提交后锁定）"))
    assert "89.00" in expert.text("confirmation-summary")  # the total, before it locks
    expert.submit(expert.page.get_by_test_id("confirm-button"))
    assert "评审已提交并锁定。" in expert.content()
    expert.close()
    application.refresh_from_db()
    review = application.reviews.get()
    assert review.total == Decimal("89.00")  # 27 + 36 + 26 on 30/40/30 points
    assert application.status == ApplicationStatus.REVIEWED

    fm.goto(reverse("funding_application_decide", args=[application.pk]))
    fm.page.get_by_label("批准金额（元）").fill("128500")
    fm.page.fill("[name=note]", "经评审，同意资助。")
    fm.shot("13-decision")
    fm.submit(fm.page.get_by_role("button", name="记录决定"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.approved_amount == Decimal("128500")

    # --- public notice (started three weeks ago, 5 working days) and its close -----
    today = timezone.localdate()
    fm.goto(reverse("wagtailsnippets_funding_publicnotice:add"))
    _choose_call(fm, call)
    fm.page.locator("#id_title").fill("2026年度福彩公益金资助项目立项公示")
    fm.page.locator("#id_starts_on").fill(
        (today - datetime.timedelta(days=21)).isoformat()
    )
    fm.page.locator("#id_working_days").fill("5")
    fm.page.locator("#id_objection_contact").fill(
        "省民政厅社会组织管理局 0731-00000000"
    )
    fm.shot("14-notice-form")
    fm.submit(fm.page.get_by_role("button", name="保存"))
    fm.shot("15-notice-confirm")
    fm.submit(fm.page.get_by_test_id("confirm-button"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PUBLIC_NOTICE
    award = Award.objects.get(application=application)
    fm.goto(reverse("funding_notice_close", args=[award.notice_id]))
    fm.shot("16-notice-close")
    fm.submit(fm.page.get_by_test_id("confirm-button"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWARDED

    # --- the award: agreement and schedule (award edit), 40 / 30 / 30 % ------------
    fm.goto(reverse("wagtailsnippets_funding_award:edit", args=[award.pk]))
    fm.page.locator("#id_agreement_number").fill("YYSG-2026-017")
    fm.page.locator("#id_agreement_signed_on").fill(today.isoformat())
    fm.page.locator("#id_midterm_due_on").fill(
        (today + datetime.timedelta(days=90)).isoformat()
    )
    for i, (share, condition) in enumerate(
        (("40", "signing"), ("30", "midterm"), ("30", "final"))
    ):
        if not fm.page.locator(f"#id_tranches-{i}-percentage").count():
            fm.page.locator("#id_tranches-ADD").click()
        fm.page.fill(f"#id_tranches-{i}-percentage", share)
        fm.page.select_option(f"#id_tranches-{i}-condition", condition)
    fm.shot("17-award-edit")
    fm.submit(fm.page.get_by_role("button", name="保存").first)
    award.refresh_from_db()
    assert award.agreement_signed_on == today
    assert [t.amount for t in award.tranches.all()] == [
        Decimal("51400.00"),
        Decimal("38550.00"),
        Decimal("38550.00"),
    ]

    # the award letter (立项通知书), printed from the award desk, gets its number
    fm.goto(reverse("funding_award_desk", args=[award.pk]))
    assert fm.page.get_by_role("link", name="立项通知书").count()
    letter = fm.page.request.get(
        base + reverse("funding_award_letter_pdf", args=[award.pk])
    )
    assert letter.ok and letter.headers["content-type"] == "application/pdf"

    # --- the first tranche: recorded (fm_li), approved (fm_zhao), paid (cw_wang) ---
    fm.goto(reverse("funding_award_desk", args=[award.pk]))
    disburse = fm.page.get_by_test_id("disburse-form")
    disburse.locator("select").select_option(str(award.tranches.first().pk))
    disburse.locator("[name=amount]").fill("51400")
    fm.submit(disburse.get_by_role("button", name="登记拨付"))
    fm.shot("18-disbursement-recorded")
    fm.close()
    disbursement = Disbursement.objects.get(tranche__award=award)
    assert disbursement.status == DisbursementStatus.RECORDED

    chief = person("fm_zhao")
    chief.goto(reverse("funding_finance_desk"))
    chief.submit(chief.page.get_by_role("link", name="批准", exact=True))
    assert "51,400.00" in chief.text("confirmation-summary")
    chief.submit(chief.page.get_by_test_id("confirm-button"))
    chief.close()
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.APPROVED

    cashier = person("cw_wang")
    cashier.goto(reverse("funding_finance_desk"))
    assert "51,400.00" in cashier.text("desk-total")
    cashier.submit(cashier.page.get_by_role("link", name="付款", exact=True))
    cashier.page.locator('input[name^="voucher_"]').fill("2026-0117")
    cashier.submit(cashier.page.get_by_test_id("pay-submit"))
    summary = cashier.text("confirmation-summary")
    assert "51,400.00" in summary and "2026-0117" in summary
    cashier.shot("19-pay-confirm")
    cashier.submit(cashier.page.get_by_test_id("confirm-button"))
    cashier.close()
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.PAID

    # --- the organization sees the tranche paid, files its mid-term report ---------
    org.goto(reverse("funding_portal_awards"))
    org.submit(org.page.get_by_role("link", name=TITLE))
    assert "51,400.00" in org.text("paid-total")
    documents = org.text("award-documents")
    assert "下载（PDF）" in documents  # the award letter, issued
    assert "YYSG-2026-017" in documents  # the agreement, signed
    tranches = org.text("tranches")
    assert "51,400.00" in tranches and "38,550.00" in tranches
    assert "已拨付" in tranches
    org.shot("20-award-paid")
    org.submit(org.page.get_by_test_id("report-midterm").get_by_role("link"))
    org.page.fill("#id_summary", "已开展课后陪伴 96 场，服务留守儿童 1,520 人次。")
    org.page.set_input_files("#id_document", _write(tmp_path, "中期报告.pdf"))
    org.shot("21-midterm-form")
    org.submit(org.page.get_by_role("button", name="保存并提交"))
    assert "将提交给资金管理员" in org.text("confirmation-summary")
    org.submit(org.page.get_by_test_id("confirm-button"))
    assert "报告已提交" in org.content()
    assert "已提交" in org.text("report-midterm")
    org.shot("22-midterm-submitted")
    report = AwardReport.objects.get(award=award)
    assert report.status == ReportStatus.SUBMITTED
    assert report.document is not None

    fm = person("fm_li")
    fm.goto(reverse("funding_award_desk", args=[award.pk]))
    fm.submit(
        fm.page.locator(
            "form:has(input[name=action][value=approve_report])"
        ).get_by_role("button")
    )
    fm.shot("23-midterm-approved")
    fm.close()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    # --- 成效报告: the organization drafts and submits -----------------------------
    project = world["project"]
    org.goto(reverse("projects_portal_reports"))
    assert project.title in org.content()
    org.submit(org.page.get_by_role("link", name="新建报告"))
    org.page.get_by_label("年度").fill(str(today.year))
    org.page.get_by_label("周期").fill("1")
    org.submit(org.page.get_by_role("button", name="创建草稿"))
    org.page.get_by_label("添加指标").select_option(label="受益人数（人）")
    org.submit(org.page.get_by_role("button", name="保存草稿"))
    org.page.get_by_label("目标值").fill("1500")
    org.page.get_by_label("实际值").fill("1520")
    org.shot("24-outcome-draft")
    org.submit(org.page.get_by_test_id("submit-report"))
    assert "报告已提交" in org.content()
    outcome = OutcomeReport.objects.get(project=project)
    assert outcome.status == OutcomeStatus.SUBMITTED
    assert outcome.lines.get().actual == 1520

    # --- the coordinator returns it with a reason ----------------------------------
    coordinator = person("coord_chen")
    coordinator.goto(reverse("projects_report_review", args=[outcome.pk]))
    assert ORG_NAME in coordinator.text("report-source")
    coordinator.page.fill("[name=reason]", OUTCOME_REASON)
    coordinator.submit(coordinator.page.get_by_role("button", name="退回修改"))
    coordinator.shot("25-outcome-returned")
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.RETURNED

    # --- the organization sees the reason, attaches the sign-in sheet, resubmits ----
    org.goto(reverse("projects_portal_report", args=[outcome.pk]))
    assert OUTCOME_REASON in org.text("return-reason")
    evidence = org.page.get_by_test_id("portal-report-form")
    # the title is asked for with a file, and the form says so before the file
    assert "上传文件时必填" in evidence.inner_text()
    evidence.get_by_label("类型").select_option("sign_in")
    org.page.get_by_label("标题", exact=True).fill("活动签到表")
    org.page.get_by_label("佐证文件").set_input_files(_write(tmp_path, "签到表.pdf"))
    org.shot("26-outcome-revise")
    org.submit(org.page.get_by_test_id("submit-report"))
    assert "报告已提交" in org.content()
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.SUBMITTED
    assert outcome.evidence.get().kind == "sign_in"

    # --- the coordinator approves -------------------------------------------------
    coordinator.goto(reverse("projects_report_review", args=[outcome.pk]))
    coordinator.submit(coordinator.page.get_by_role("button", name="审核通过"))
    coordinator.shot("27-outcome-approved")
    coordinator.close()
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.APPROVED
    org.goto(reverse("projects_portal_report", args=[outcome.pk]))
    org.shot("28-outcome-approved-org")
    org.close()

    # told at each step (in the admin, and by e-mail through the task worker)
    told = set(
        Notification.objects.filter(recipient=member.user).values_list(
            "kind", flat=True
        )
    )
    # (no "received" for the submitter: nobody is told of their own action)
    assert {
        NotificationKind.MORE_INFO_REQUESTED,
        NotificationKind.APPLICATION_DECIDED,
        NotificationKind.AWARD_MADE,
        NotificationKind.TRANCHE_PAID,
        NotificationKind.REPORT_RETURNED,
    } <= told

    # --- the organization's screens fit a phone (390 px) ---------------------------
    _phone(
        browser,
        base,
        "yiyang_lead",
        PASSWORD,
        [
            ("organization", reverse("incubator_portal_organization")),
            ("applications", reverse("funding_portal_applications")),
            (
                "application",
                reverse("funding_portal_application", args=[application.pk]),
            ),
            ("record", record),
            ("awards", reverse("funding_portal_awards")),
            ("award", reverse("funding_portal_award", args=[award.pk])),
            (
                "midterm",
                reverse("funding_portal_award_report", args=[award.pk, "midterm"]),
            ),
            ("outcome-reports", reverse("projects_portal_reports")),
            ("outcome-report", reverse("projects_portal_report", args=[outcome.pk])),
        ],
        "org",
    )

    # --- an objection to a notice running today (visitor), seen by the fund manager -
    fm = person("fm_li")
    other_call = world["other_call"]
    fm.goto(reverse("wagtailsnippets_funding_publicnotice:add"))
    _choose_call(fm, other_call)
    fm.page.locator("#id_title").fill("2026年度社区公益创投项目立项公示")
    fm.page.locator("#id_starts_on").fill(today.isoformat())
    fm.page.locator("#id_working_days").fill("5")
    fm.page.locator("#id_objection_contact").fill(
        "省民政厅社会组织管理局 0731-00000000"
    )
    fm.submit(fm.page.get_by_role("button", name="保存"))
    fm.submit(fm.page.get_by_test_id("confirm-button"))
    other_award = Award.objects.get(application=world["other"])
    notice_page = other_award.notice.pages.live().get()

    for width in (1366, 390):
        visitor = person(None, width=width)
        visitor.goto(notice_page.url)
        assert "社区养老服务项目" in visitor.content()
        visitor.submit(visitor.page.get_by_role("link", name="在线提出异议"))
        visitor.page.get_by_label("异议针对的项目").select_option(index=1)
        visitor.page.get_by_label("您的真实姓名").fill("张三")
        visitor.page.get_by_label("回复用的电话或地址").fill(CONTACT)
        visitor.page.get_by_label("异议内容及理由").fill(
            "该机构去年的项目未按协议完成，服务对象名单有重复，请核查。"
        )
        visitor.shot("29-objection-form")
        assert visitor.fits()
        if width == 1366:
            visitor.submit(visitor.page.get_by_role("button", name="提交异议"))
            assert "您的异议已收到" in visitor.content()
            visitor.shot("30-objection-sent")
        visitor.goto(notice_page.url)
        assert CONTACT not in visitor.content()
        visitor.shot("31-notice-public")
        visitor.close()
    objection = Objection.objects.get()
    assert objection.award == other_award

    fm.goto(reverse("funding_award_desk", args=[other_award.pk]))
    objections = fm.text("objections")
    assert "该机构去年的项目未按协议完成" in objections
    fm.shot("32-objection-seen")
    fm.close()
