"""Demo: the award the demo organization (湖南省益阳社工服务中心, login `org`) follows
in 我的机构 → 我的资助, run through the real services (idempotent).

A 2025 call of the Hunan lottery fund awards it 128,500.00 元 after a public notice;
the schedule is 40 / 30 / 30 % (51,400.00 元 on signing, 38,550.00 元 after the
mid-term report, 38,550.00 元 after the final report); the agreement is signed and
the first tranche paid; the award letter is issued; the organization submitted its
mid-term report, which the fund manager returned with a reason; the mid-term report
is due within 14 days (a reminder is sent). The demo stores no files: a file
uploaded through the portal is kept like any other (内部文件).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.models import Region
from funding.choices import ApplicationStatus as S
from funding.demo.users import clerk_user, finance_user
from funding.models import Application, BudgetLine, Call, DocumentKind, Fund
from funding.models.awards import ReportKind, TrancheCondition
from funding.services import award_portal
from funding.services import awards as award_services
from funding.services import disbursements as disbursement_services
from funding.services import notices as notice_services
from funding.services import tranches as tranche_services
from funding.services.applications import application_move
from funding.services.documents import document_number_issue
from funding.services.notifications import report_deadline_reminders_send
from incubator.choices import OrganizationType, RegistrationLevel

D = datetime.date
CALL_NAME = "2025年度湖南省福彩公益金资助社会组织参与社会服务项目"
TITLE = "益阳市困境儿童关爱与家庭支持服务项目"
APPROVED = Decimal("128500")
SCHEDULE = [
    (Decimal("40"), TrancheCondition.SIGNING, "签订协议后拨付"),
    (Decimal("30"), TrancheCondition.MIDTERM_REPORT, "中期报告审核通过后拨付"),
    (Decimal("30"), TrancheCondition.FINAL_REPORT, "结项验收后拨付"),
]
RETURN_REASON = "中期报告未附资金使用明细，服务人次与台账不一致，请补充支出明细表并核对服务台账后重新提交。"


def _call():
    fund, _ = Fund.objects.get_or_create(
        name="湖南省福彩公益金",
        year=2025,
        defaults={
            "source": "lottery_province",
            "budget": Decimal("8000000"),
            "region": Region.objects.get(code="430000"),
            "issuing_department": "湖南省民政厅",
            "document_prefix": "湘民福彩",
        },
    )
    call, _ = Call.objects.get_or_create(
        name=CALL_NAME,
        defaults={
            "fund": fund,
            "opens_on": D(2025, 3, 1),
            "closes_on": D(2025, 4, 15),
            "total_budget": Decimal("8000000"),
            "max_per_award": Decimal("150000"),
            "eligible_levels": [
                RegistrationLevel.PROVINCE,
                RegistrationLevel.CITY,
                RegistrationLevel.COUNTY,
            ],
            "eligible_types": [t.value for t in OrganizationType],
            "reviewers_per_application": 3,
            "public_notice_days": 5,
        },
    )
    return call


def seed_portal_award(stdout, manager):
    """The demo organization's award (see the module docstring); nothing when it
    exists already, or when the organization, its user `org` or the fund
    manager are missing."""
    from incubator.demo.accounts import demo_organization_user
    from incubator.demo.incubation import demo_organization

    try:
        organization = demo_organization()
        org_user = demo_organization_user()
    except Exception:  # noqa: BLE001 - the incubator demo did not run
        return
    if manager is None:
        return
    if Application.objects.filter(organization=organization, title=TITLE).exists():
        return
    with transaction.atomic():
        award = _award(organization, org_user, manager)
    stdout.write(
        f"funding: {organization.name}: award {award.approved_amount} yuan, "
        f"{award.paid_total} yuan paid, mid-term report returned (login: org)"
    )


def _award(organization, org_user, manager):
    call = _call()
    application = Application.objects.create(
        call=call,
        organization=organization,
        title=TITLE,
        summary="为益阳市赫山区120户困境儿童家庭提供个案帮扶、课后陪伴与家长支持小组。",
        requested_amount=Decimal("150000"),
        target_region=organization.region,
        beneficiaries="困境儿童及其家庭",
        beneficiary_count=120,
    )
    for item, amount in (
        ("社工人员费用", Decimal("90000")),
        ("活动物资", Decimal("35000")),
        ("督导与培训", Decimal("25000")),
    ):
        BudgetLine.objects.create(application=application, item=item, amount=amount)
    for status in (S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW, S.REVIEWED):
        application_move(application, status, user=manager)
    application.approved_amount = APPROVED
    application_move(application, S.APPROVED, user=manager)
    notice = notice_services.notice_publish(
        call,
        title="2025年度湖南省福彩公益金资助项目立项公示",
        starts_on=D(2025, 9, 1),
        working_days=5,
        objection_contact="湖南省民政厅社会组织管理局 0731-00000000（工作日 9:00–17:00）",
        user=manager,
    )
    notice_services.notice_close(notice, user=manager, on=D(2025, 9, 9))
    application.refresh_from_db()
    award = application.award
    tranche_services.award_schedule_set(award, SCHEDULE, user=manager)
    document_number_issue(
        kind=DocumentKind.AWARD_LETTER, record=award, fund=call.fund, user=manager
    )
    award_services.award_sign(
        award,
        signed_on=D(2025, 9, 15),
        number="HNFC-2025-001",
        user=manager,
    )
    first = award.tranches.order_by("sort_order").first()
    payment = disbursement_services.disbursement_record(
        first, amount=first.amount, user=clerk_user(), note="首期资金"
    )
    disbursement_services.disbursement_approve(payment, user=manager, on=D(2025, 9, 22))
    disbursement_services.disbursement_pay(
        payment,
        user=finance_user(),
        voucher_number="FC-2025-0001",
        paid_on=D(2025, 9, 25),
    )
    today = timezone.localdate()
    award.midterm_due_on = today + datetime.timedelta(days=10)
    award.final_due_on = today + datetime.timedelta(days=200)
    award._history_user = manager
    award.save(update_fields=["midterm_due_on", "final_due_on"])
    report = award_portal.award_report_draft_save(
        award,
        kind=ReportKind.MIDTERM,
        user=org_user,
        summary=(
            "项目启动以来已完成困境儿童家庭入户评估86户，开展课后陪伴服务1,240人次、"
            "家长支持小组6期；首期资金已按预算执行。"
        ),
    )
    award_portal.award_report_send(report, user=org_user)
    award_services.award_report_return(report, user=manager, reason=RETURN_REASON)
    report_deadline_reminders_send()
    return award
