"""Applying online, for the demo organization user (`org`, 湖南省益阳社工服务中心):
one open call with a small form of its own (a number and a choice question), and
the organization's applications in several states — a draft, a submitted one,
one staff asked more information about, and one decided (not funded) — all through the real services.

Idempotent: the call is found by name, each application by its title; dates are
relative to the day the demo is seeded, so the call is open when it is shown.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from funding.choices import ApplicationStatus as S
from funding.models import Application, Call, Criterion, Fund
from funding.services.applications import application_move
from funding.services.funding_line import application_reject
from funding.services.portal import (
    application_request_more_info,
    application_save,
    application_submit_online,
    call_form_version_current,
)
from incubator.choices import OrganizationType, RegistrationLevel

D = Decimal
CALL_NAME = "2026年度湖南省福彩公益金社会组织服务项目（在线申报）"
FORM = [
    (
        "number",
        {
            "label": "年度服务人次",
            "required": True,
            "help_text": "项目周期内预计直接服务的人次",
            "unit": "人次",
        },
    ),
    (
        "choice",
        {
            "label": "主要服务领域",
            "required": True,
            "help_text": "",
            "choices": ["养老服务", "儿童关爱", "助残服务", "社区治理", "乡村振兴"],
        },
    ),
]
# (title, amount, budget lines, service count, field, what happens)
APPLICATIONS = [
    (
        "益阳市留守儿童“护苗”关爱服务项目",
        D("120000"),
        [
            ("社工人员费用", D("72000")),
            ("活动物资", D("30000")),
            ("督导培训", D("18000")),
        ],
        "1200",
        "儿童关爱",
        "draft",
    ),
    (
        "资阳区困境老人居家探访项目",
        D("100000"),
        [("社工人员费用", D("60000")), ("探访交通与物资", D("40000"))],
        "2400",
        "养老服务",
        "submitted",
    ),
    (
        "赫山区社区心理健康服务项目",
        D("80000"),
        [("心理咨询师费用", D("50000")), ("讲座与小组活动", D("30000"))],
        "600",
        "社区治理",
        "more_info",
    ),
    (
        "桃江县残疾人就业能力提升项目",
        D("150000"),
        [("培训讲师费用", D("90000")), ("实训场地与物资", D("60000"))],
        "300",
        "助残服务",
        "decided",
    ),
]
MORE_INFO_NOTE = "请补充服务社区名单及心理咨询师的资质证明，并说明600人次的测算依据。"
REJECT_NOTE = "评审排名未进入资助线。"


def seed_online_call(fund_manager):
    """The open call with its own form (found by name, else created)."""
    call = Call.objects.filter(name=CALL_NAME).first()
    if call is not None:
        return call
    today = timezone.localdate()
    fund, _ = Fund.objects.get_or_create(
        name="湖南省福彩公益金",
        year=today.year,
        defaults={
            "source": "lottery_province",
            "budget": D("7500000"),
            "issuing_department": "湖南省民政厅",
            "document_prefix": "湘民福彩",
        },
    )
    call = Call.objects.create(
        fund=fund,
        name=CALL_NAME,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
        total_budget=D("3000000"),
        max_per_award=D("150000"),
        eligible_levels=[level.value for level in RegistrationLevel],
        eligible_types=[t.value for t in OrganizationType],
        reviewers_per_application=3,
        applications_per_organization=5,
        publish_feedback=True,
        application_form=FORM,
    )
    for order, (name, weight) in enumerate(
        [("项目必要性", 30), ("实施方案", 40), ("组织能力", 30)]
    ):
        Criterion.objects.create(
            call=call, name=name, weight=weight, max_score=weight, sort_order=order
        )
    return call


def seed_portal(stdout, fund_manager):
    """The demo organization's applications to the online call (see the module)."""
    from incubator.demo.accounts import demo_organization_user
    from incubator.demo.incubation import demo_organization

    organization = demo_organization()
    user = demo_organization_user()
    call = seed_online_call(fund_manager)
    version = call_form_version_current(call)
    ids = {b["type"]: b["id"] for b in version.blocks}
    made = 0
    # the draft last: a new application while a draft of the call is open would
    # continue that draft (one draft per organization and call)
    ordered = sorted(APPLICATIONS, key=lambda row: row[-1] == "draft")
    for title, amount, lines, count, field, state in ordered:
        if Application.objects.filter(call=call, title=title).exists():
            continue
        made += 1
        application = application_save(
            call=call,
            organization=organization,
            user=user,
            fields={
                "title": title,
                "requested_amount": amount,
                "summary": f"{organization.name}在益阳市开展的{field}项目。",
                "beneficiaries": field,
                "target_region": organization.region,
            },
            budget_lines=lines,
            answers={ids["number"]: count, ids["choice"]: field},
        )
        if state == "draft":
            continue
        application = application_submit_online(
            application=application, organization=organization, user=user
        )
        if state == "more_info":
            application_request_more_info(
                application=application, user=fund_manager, note=MORE_INFO_NOTE
            )
        elif state == "decided":
            for to in (S.ELIGIBLE, S.IN_REVIEW, S.REVIEWED):
                application_move(application, to, user=fund_manager)
            application_reject(application, user=fund_manager, note=REJECT_NOTE)
    stdout.write(f"Online applications of {organization.name}: {made} new")
