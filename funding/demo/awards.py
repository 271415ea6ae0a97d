"""Demo awards and purchases, run through the services (idempotent).

- Hunan 2023 (the call of `funding.demo.calls`: 70 organizations, 7.5 million yuan): public notice of
  five working days with one objection (dismissed), all 70 awarded; a 60/40 schedule
  (on signing / after the final report) for every award; 60 agreements signed; the
  first tranche paid to 40 organizations, approved for finance to pay for 10 more;
  two projects mid-term checked, one completed, one terminated.
- Suzhou: government service purchases by the city and district civil-affairs
  bureaus 2014–2023 from the Suzhou organizations of the registry (plus enterprise
  purchases, so the social-organization share is not 100%), with deliverables,
  payment schedules, payments and evaluations.
- Inner Mongolia: three 2023 purchases, to show the ≥ 30% share target.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.models import Region
from core.money import CENT
from funding.choices import ApplicationStatus as S
from funding.demo.users import clerk_user, finance_user
from funding.models import Call
from funding.models.awards import PublicNotice, ReportKind, TrancheCondition
from funding.models.purchases import Deliverable, PaymentInstalment, ServicePurchase
from funding.selectors.purchases import purchase_summary
from funding.services import awards as award_services
from funding.services import disbursements as disbursement_services
from funding.services import notices as notice_services
from funding.services import tranches as tranche_services
from funding.services.purchases import (
    evaluation_record,
    purchase_payment_approve,
    purchase_payment_pay,
    purchase_payment_record,
)
from incubator.models import Organization

D = datetime.date
HUNAN_CALL = "2023年度湖南省福彩公益金资助社会组织参与社会服务项目"


def _pay(purchase, instalment, paid_on, manager):
    """A purchase payment recorded by the clerk, approved by `manager`, paid by
    finance."""
    payment = purchase_payment_record(
        purchase,
        instalment=instalment,
        amount=instalment.amount,
        user=clerk_user(),
    )
    purchase_payment_approve(payment, user=manager, on=paid_on)
    return purchase_payment_pay(
        payment,
        user=finance_user(),
        voucher_number=f"GM-{paid_on.year}-{payment.pk:04d}",
        paid_on=paid_on,
    )


def seed_awards(stdout, manager):
    call = Call.objects.filter(name=HUNAN_CALL).first()
    if call is None or manager is None:
        return
    finance = finance_user()
    clerk = clerk_user()
    title = "2023年度湖南省福彩公益金资助项目立项公示"
    notice = PublicNotice.objects.filter(call=call, title=title).first()
    if notice is None:
        if not call.applications.filter(status=S.APPROVED).exists():
            return
        notice = notice_services.notice_publish(
            call,
            title=title,
            starts_on=D(2023, 9, 4),
            working_days=5,
            objection_contact="湖南省民政厅社会组织管理局 0731-00000000（工作日 9:00–17:00）",
            user=manager,
        )
        awards = list(notice.awards.order_by("pk"))
        objection = notice_services.objection_record(
            awards[5],
            received_on=D(2023, 9, 6),
            objector="匿名来信",
            content="反映该机构服务对象人数填报偏高。",
            user=manager,
        )
        notice_services.notice_close(notice, user=manager, on=D(2023, 9, 11))
        notice_services.objection_resolve(
            objection,
            upheld=False,
            note="经核实，服务对象名单与申报一致，异议不成立。",
            user=manager,
            on=D(2023, 9, 15),
        )
        _run_awards(notice, manager, finance, clerk)
    awards = notice.awards.all()
    paid = sum((a.paid_total for a in awards), Decimal("0"))
    stdout.write(
        f"funding: {notice.title}: {awards.count()} awards, "
        f"{sum((a.approved_amount for a in awards), Decimal('0'))} yuan awarded, "
        f"{paid} yuan paid (finance user: finance)"
    )


def _run_awards(notice, manager, finance, clerk):
    schedule = [
        (Decimal("60"), TrancheCondition.SIGNING, "签订协议后拨付"),
        (Decimal("40"), TrancheCondition.FINAL_REPORT, "结项验收后拨付"),
    ]
    for index, award in enumerate(notice.awards.order_by("pk")):
        tranche_services.award_schedule_set(award, schedule, user=manager)
        if index >= 60:
            continue  # agreements still being signed
        award_services.award_sign(
            award,
            signed_on=D(2023, 9, 20) + datetime.timedelta(days=index % 10),
            number=f"HNFC-2023-{index + 1:03d}",
            user=manager,
        )
        if index >= 50:
            continue
        first = award.tranches.order_by("sort_order").first()
        d = disbursement_services.disbursement_record(
            first, amount=first.amount, user=clerk, note="首期资金"
        )
        disbursement_services.disbursement_approve(d, user=manager, on=D(2023, 10, 12))
        if index < 40:
            disbursement_services.disbursement_pay(
                d,
                user=finance,
                voucher_number=f"FC-2023-{index + 1:04d}",
                paid_on=D(2023, 10, 16),
            )
        if index in (0, 1, 2):
            report = award_services.award_report_submit(
                award,
                kind=ReportKind.MIDTERM,
                submitted_on=D(2024, 1, 10),
                summary="已完成服务计划的一半，服务对象满意度92%。",
                user=manager,
            )
            award_services.award_report_approve(report, user=manager, on=D(2024, 1, 20))
        if index == 0:
            final = award_services.award_report_submit(
                award,
                kind=ReportKind.FINAL,
                submitted_on=D(2024, 6, 20),
                summary="项目按计划完成，第三方评估良好。",
                user=manager,
            )
            award_services.award_report_approve(final, user=manager, on=D(2024, 6, 28))
            second = award.tranches.order_by("sort_order").last()
            d2 = disbursement_services.disbursement_record(
                second, amount=second.amount, user=clerk, note="尾款"
            )
            disbursement_services.disbursement_approve(
                d2, user=manager, on=D(2024, 7, 1)
            )
            disbursement_services.disbursement_pay(
                d2, user=finance, voucher_number="FC-2024-0001", paid_on=D(2024, 7, 5)
            )
            award_services.award_complete(award, user=manager, on=D(2024, 7, 5))
        if index == 39:
            award_services.award_terminate(
                award,
                user=manager,
                reason="机构负责人变更后无力执行，经协商终止协议，已拨资金按实际支出结算。",
                on=D(2024, 3, 1),
            )


# Suzhou: (department, title, category, method, org name or enterprise, amount,
# year, evaluation score or None)
SUZHOU = [
    (
        "苏州市民政局",
        "社会组织培育孵化服务",
        "social_governance",
        "open_tender",
        "苏州市社会组织培育发展中心",
        "1800000",
        2014,
        "91",
    ),
    (
        "苏州市民政局",
        "社区社会组织能力建设",
        "social_governance",
        "consultation",
        "苏州市社会组织培育发展中心",
        "1200000",
        2016,
        "88",
    ),
    (
        "苏州市姑苏区民政局",
        "社区居家养老服务",
        "basic_public",
        "consultation",
        "苏州市吴中区乐龄养老服务中心",
        "2600000",
        2017,
        "86.5",
    ),
    (
        "苏州市姑苏区民政局",
        "社区社会组织联合会运营",
        "social_governance",
        "single_source",
        "苏州市姑苏区社区社会组织联合会",
        "600000",
        2018,
        "82",
    ),
    (
        "苏州市民政局",
        "困境儿童关爱服务",
        "basic_public",
        "open_tender",
        "苏州市慈善基金会",
        "3000000",
        2019,
        "93",
    ),
    (
        "苏州市吴中区民政局",
        "助餐点运营服务",
        "basic_public",
        "inquiry",
        ("enterprise", "苏州某餐饮管理有限公司"),
        "1500000",
        2020,
        "78",
    ),
    (
        "苏州市虎丘区民政局",
        "垃圾分类宣传督导服务",
        "auxiliary",
        "negotiation",
        "苏州市虎丘区环保公益促进会",
        "900000",
        2021,
        "84",
    ),
    (
        "苏州市民政局",
        "社会组织等级评估服务",
        "technical",
        "open_tender",
        ("institution", "苏州市社会组织评估中心"),
        "800000",
        2022,
        None,
    ),
    (
        "苏州市民政局",
        "公益创投项目管理服务",
        "social_governance",
        "framework",
        "苏州市社会组织培育发展中心",
        "1000000",
        2023,
        None,
    ),
    (
        "苏州市吴中区民政局",
        "老年人能力评估服务",
        "technical",
        "consultation",
        "苏州市吴中区乐龄养老服务中心",
        "700000",
        2023,
        None,
    ),
]

NEIMENGGU = [
    (
        "呼和浩特市民政局",
        "社区养老服务",
        "basic_public",
        "consultation",
        "呼和浩特市赛罕区社区服务中心",
        "900000",
        2023,
        None,
    ),
    (
        "呼和浩特市民政局",
        "社区物业托管服务",
        "auxiliary",
        "open_tender",
        ("enterprise", "呼和浩特某物业服务有限公司"),
        "1200000",
        2023,
        None,
    ),
    (
        "内蒙古自治区民政厅",
        "慈善项目培训服务",
        "social_governance",
        "inquiry",
        "内蒙古自治区慈善总会",
        "400000",
        2023,
        None,
    ),
]


def neimenggu_yearly(today):
    """Inner Mongolia's purchases of the last three years (this year's not yet
    evaluated): about a third of each year's amount from social organizations of
    `incubator.demo.inner_mongolia` (≈ 28%, 32%, 32%), near the ≥ 30% target of
    seed report 004, so its figure moves by year."""
    rows = []
    plan = {
        2: (("1000000", "400000", "0"), ("2600000", "1000000"), "88"),
        1: (("1100000", "600000", "0"), ("2400000", "1200000"), "90"),
        0: (("1200000", "500000", "300000"), ("2500000", "1800000"), None),
    }
    for back, (social, enterprise, score) in plan.items():
        year = today.year - back
        for title, supplier, amount in zip(
            ("居家养老上门服务", "社区社会工作服务", "残疾人康复服务"),
            (
                "呼和浩特市养老服务中心",
                "包头市社会工作服务中心",
                "鄂尔多斯市残疾人康复服务中心",
            ),
            social,
            strict=True,
        ):
            if amount != "0":
                rows.append(
                    (
                        "内蒙古自治区民政厅",
                        title,
                        "basic_public",
                        "consultation",
                        supplier,
                        amount,
                        year,
                        score,
                    )
                )
        for title, supplier, amount in zip(
            ("养老机构物业托管服务", "政务服务热线外包服务"),
            ("呼和浩特某物业服务有限公司", "内蒙古某信息技术有限公司"),
            enterprise,
            strict=True,
        ):
            rows.append(
                (
                    "内蒙古自治区民政厅",
                    title,
                    "auxiliary",
                    "open_tender",
                    ("enterprise", supplier),
                    amount,
                    year,
                    score,
                )
            )
    return rows


def _purchase(row, region, manager, number):
    department, title, category, method, supplier, amount, year, score = row
    amount = Decimal(amount)
    if ServicePurchase.objects.filter(
        title=title, purchasing_department=department, signed_on__year=year
    ).exists():
        return None
    fields = {}
    if isinstance(supplier, tuple):
        fields["supplier_kind"], fields["supplier_name"] = supplier
    else:
        organization = Organization.objects.filter(name=supplier).first()
        if organization is None:
            return None
        fields["supplier_kind"] = "social_org"
        fields["supplier"] = organization
    purchase = ServicePurchase(
        title=title,
        purchasing_department=department,
        region=region,
        service_category=category,
        procurement_method=method,
        contract_number=number,
        contract_amount=amount,
        signed_on=D(year, 3, 1),
        starts_on=D(year, 3, 1),
        ends_on=D(year, 12, 31),
        **fields,
    )
    purchase._history_user = manager
    purchase.save()
    Deliverable.objects.create(
        purchase=purchase,
        name="中期服务报告",
        due_on=D(year, 7, 31),
        accepted_on=D(year, 8, 10) if score else None,
    )
    Deliverable.objects.create(
        purchase=purchase,
        name="年度服务总结及台账",
        due_on=D(year, 12, 31),
        accepted_on=D(year + 1, 1, 10) if score else None,
    )
    first_part = (amount * Decimal("0.7")).quantize(CENT)
    first = PaymentInstalment.objects.create(
        purchase=purchase, sort_order=0, label="首期（70%）", amount=first_part
    )
    final = PaymentInstalment.objects.create(
        purchase=purchase,
        sort_order=1,
        label="尾款（30%）",
        amount=amount - first_part,
        is_final=True,
    )
    _pay(purchase, first, D(year, 3, 20), manager)
    if score:
        evaluation_record(
            purchase,
            score=score,
            evaluated_on=D(year + 1, 1, 15),
            evaluator="第三方评估机构",
            user=manager,
        )
        _pay(purchase, final, D(year + 1, 1, 25), manager)
    return purchase


def seed_purchases(stdout, manager):
    if manager is None:
        manager = get_user_model().objects.filter(is_superuser=True).first()
    made = 0
    yearly = neimenggu_yearly(timezone.localdate())
    for rows, code, prefix in (
        (SUZHOU, "320500", "SZ"),
        (NEIMENGGU, "150100", "NM"),
        (yearly, "150000", "NMY"),
    ):
        region = Region.objects.filter(code=code).first()
        for serial, row in enumerate(rows, start=1):
            number = f"{prefix}-{row[6]}-{serial:03d}"
            made += _purchase(row, region, manager, number) is not None

    summary = purchase_summary()
    stdout.write(
        f"funding: {ServicePurchase.objects.count()} service purchases "
        f"({made} new), {summary['contract_total']} yuan, "
        f"{summary['social_share']}% from social organizations"
    )
