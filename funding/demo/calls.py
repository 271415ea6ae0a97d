"""Demo calls from the source reports, run through the real services.

- Hunan 2023: 7.5 million yuan of the lottery public-welfare fund (福彩公益金) for
  70 organizations, eligibility widened from provincial to city and county
  organizations. The call is taken all the way: submitted → eligibility checked →
  reviewers assigned → reviews submitted → review closed → funding line drawn
  (money left offered to the 70th as a reduced award) → approved / rejected.
- Shaanxi 2021: 2.76 million yuan for 23 service platforms, still in review, so the
  demo reviewer (`reviewer`) has work waiting on the scoring screen.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from core import roles
from core.models import Region
from funding.choices import ApplicationStatus, Recommendation, ShortfallRule
from funding.demo.users import demo_user
from funding.models import (
    Application,
    BudgetLine,
    Call,
    Criterion,
    DeclaredConflict,
    Fund,
    ReviewerProfile,
)
from funding.selectors.scores import q2, weighted_total
from funding.services.assignment import call_assign_reviewers
from funding.services.eligibility import (
    application_check_eligibility,
    application_submit,
)
from funding.services.funding_line import funding_line_apply, funding_line_draw
from funding.services.reviews import call_close_review, review_submit
from incubator.choices import (
    USCC_CATEGORY_BY_TYPE,
    CreditList,
    OrganizationType,
    RegistrationLevel,
)
from incubator.models import CreditEntry, Organization
from incubator.uscc import uscc_make

D = Decimal

HUNAN_BUDGET = D("7500000")
HUNAN_FUNDED = 70
HUNAN_APPLICATIONS = 84  # 82 eligible + 2 that fail the check
SHAANXI_BUDGET = D("2760000")
SHAANXI_PLATFORMS = 23

RUBRIC = [
    ("项目必要性", "服务对象需求明确，与乡村振兴、民生保障等重点工作相衔接。", 20),
    ("项目设计与可行性", "目标、活动、进度安排清晰可行，风险有应对。", 25),
    ("组织能力", "机构治理规范，团队专业，有同类项目经验。", 20),
    ("预算合理性", "预算科目齐全、标准合理，与活动相匹配。", 15),
    ("预期成效与可持续性", "成效可测量，有持续运营和推广的安排。", 20),
]

EXPERTS = [
    ("reviewer", "评审", "专家", "湖南省社会组织评估专家库", "社会组织管理"),
    ("zhou_min", "周", "敏", "湖南师范大学公共管理学院", "社会工作"),
    ("chen_hong", "陈", "红", "中南大学社会学系", "社区治理"),
    ("liu_yang", "刘", "洋", "湖南省审计厅退休干部", "财务审计"),
    ("tang_li", "唐", "丽", "长沙市社会工作者协会", "儿童与家庭服务"),
    ("peng_jun", "彭", "军", "湖南农业大学经济学院", "乡村振兴"),
    ("xiao_hua", "肖", "华", "湘潭大学法学院", "公益法律"),
    ("he_jing", "贺", "静", "湖南省民政厅", "养老服务"),
    ("deng_wei", "邓", "伟", "湖南省会计师协会", "项目预算"),
]

TOPICS = [
    ("留守儿童关爱服务项目", "农村留守儿童", "儿童"),
    ("困境老人居家养老服务项目", "独居、失能老人", "养老"),
    ("残疾人就业能力提升项目", "持证残疾人", "助残"),
    ("乡村振兴产业帮扶项目", "脱贫户、监测户", "乡村振兴"),
    ("社区治理能力建设项目", "城乡社区居民", "社区治理"),
    ("乡村医生培训与巡诊项目", "偏远村庄村民", "医疗"),
    ("青少年心理健康服务项目", "中小学生", "教育"),
    ("农产品直播带货培训项目", "返乡青年、农户", "乡村振兴"),
]

NAME_PATTERNS = [
    "{place}阳光社会工作服务中心",
    "{place}夕阳红养老服务中心",
    "{place}春苗儿童关爱中心",
    "{place}乡村振兴促进会",
    "{place}助残志愿者协会",
    "{place}社区发展服务中心",
    "{place}青少年成长服务中心",
    "{place}农村电商协会",
]


def experts():
    """The demo experts (reviewers) with their profiles."""
    experts = []
    for username, last, first, unit, expertise in EXPERTS:
        user = demo_user(username, first, last, roles.REVIEWER)
        ReviewerProfile.objects.get_or_create(
            user=user, defaults={"work_unit": unit, "expertise": expertise}
        )
        experts.append(user)
    return experts


def manager():
    """The demo fund manager (`fund`), or None."""
    return get_user_model().objects.filter(username="fund").first()


def _organization(name, org_type, level, region, serial):
    """The organization of that name (one name is one organization in the demo, so
    other apps can find it by name), created with a valid code when it is new."""
    existing = Organization.objects.filter(name=name).order_by("pk").first()
    if existing is not None:
        return existing
    uscc = uscc_make(USCC_CATEGORY_BY_TYPE[org_type], region.code, serial)
    org, _created = Organization.objects.get_or_create(
        uscc=uscc,
        defaults={
            "name": name,
            "org_type": org_type,
            "registration_level": level,
            "region": region,
            "business_supervisor": "",
            "founded_on": datetime.date(2012 + serial % 10, 1 + serial % 12, 8),
            "contact_name": "王" + "芳敏静丽强磊军洋勇娜"[serial % 10],
            "contact_phone": f"0731-8{serial:03d}{serial * 13 % 10000:04d}",
            "contact_email": f"org{serial}@example.org",
        },
    )
    return org


def _criteria(call):
    for order, (name, description, max_score) in enumerate(RUBRIC):
        Criterion.objects.get_or_create(
            call=call,
            name=name,
            defaults={
                "description": description,
                "weight": max_score,
                "max_score": max_score,
                "sort_order": order,
            },
        )
    return list(call.criteria.all())


def _plan_scores(rng, count, criteria):
    """Criterion scores for `count` applications × 3 reviews, with distinct means."""
    plans = []
    seen = set()
    while len(plans) < count:
        quality = rng.uniform(0.55, 0.95)
        reviews = []
        for _ in range(3):
            share = min(1.0, max(0.3, quality + rng.uniform(-0.08, 0.08)))
            reviews.append(
                [D(str(round(c.max_score * D(str(share)) * 2) / 2)) for c in criteria]
            )
        totals = [
            q2(
                weighted_total(
                    [
                        (s, c.max_score, c.weight)
                        for s, c in zip(r, criteria, strict=True)
                    ]
                )
            )
            for r in reviews
        ]
        mean = q2(sum(totals) / 3)
        if mean in seen:
            continue
        seen.add(mean)
        plans.append((reviews, mean))
    return plans


def _amounts_by_rank(rng, count, budget, funded):
    """Requested amounts in rank order such that the first `funded - 1` fit in the
    budget and the `funded`-th does not: the line then ends exactly there."""
    amounts = [D(rng.randrange(70, 146) * 1000) for _ in range(count)]
    head = funded - 1
    target_low, target_high = budget - D("120000"), budget - D("30000")
    while sum(amounts[:head]) > target_high:
        i = max(range(head), key=lambda k: amounts[k])
        amounts[i] -= D("5000")
    while sum(amounts[:head]) < target_low:
        i = min(range(head), key=lambda k: amounts[k])
        amounts[i] += D("5000")
    left = budget - sum(amounts[:head])
    amounts[head] = max(amounts[head], min(left + D("20000"), D("150000")))
    return amounts


def _budget_lines(application, amount):
    staff = (amount * D("0.4")).quantize(D("1"))
    activities = (amount * D("0.45")).quantize(D("1"))
    rows = [("人员经费", staff), ("活动经费", activities)]
    rows.append(("管理及宣传费用", amount - staff - activities))
    for order, (item, value) in enumerate(rows):
        BudgetLine.objects.create(
            application=application, item=item, amount=value, sort_order=order
        )


#: The day the Hunan demo applications were submitted.
SUBMITTED_ON = datetime.date(2023, 4, 10)


def _submit(application, manager, on):
    application_submit(application, user=manager)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=datetime.datetime.combine(on, datetime.time(10), datetime.UTC)
    )


def seed_hunan(stdout, experts, manager):
    fund, _ = Fund.objects.get_or_create(
        name="湖南省福彩公益金",
        year=2023,
        defaults={
            "source": "lottery_province",
            "budget": HUNAN_BUDGET,
            "region": Region.objects.get(code="430000"),
            "issuing_department": "湖南省民政厅",
            "document_prefix": "湘民福彩",
        },
    )
    call, created = Call.objects.get_or_create(
        name="2023年度湖南省福彩公益金资助社会组织参与社会服务项目",
        defaults={
            "fund": fund,
            "opens_on": datetime.date(2023, 3, 1),
            "closes_on": datetime.date(2023, 4, 15),
            "total_budget": HUNAN_BUDGET,
            "max_per_award": D("150000"),
            # widened this year from provincial to city and county organizations
            "eligible_levels": [
                RegistrationLevel.PROVINCE,
                RegistrationLevel.CITY,
                RegistrationLevel.COUNTY,
            ],
            "eligible_types": [
                OrganizationType.SOCIAL_GROUP,
                OrganizationType.FOUNDATION,
                OrganizationType.SOCIAL_SERVICE,
                OrganizationType.COMMUNITY,
            ],
            "reviewers_per_application": 3,
            "blind_review": True,
            "identifying_fields": ["title"],
            "public_notice_days": 5,
        },
    )
    if not created:
        return call
    criteria = _criteria(call)
    rng = random.Random(2023)  # noqa: S311 - a seeded demo, not security
    # a declared conflict the automatic assignment must respect
    cities = list(Region.objects.filter(code__startswith="43", level=Region.Level.CITY))
    counties = list(
        Region.objects.filter(code__startswith="43", level=Region.Level.COUNTY)
    )
    plans = _plan_scores(rng, HUNAN_APPLICATIONS - 2, criteria)
    order = sorted(
        range(len(plans)), key=lambda i: -plans[i][1]
    )  # distinct means: no ties
    amounts = _amounts_by_rank(rng, len(plans), HUNAN_BUDGET, HUNAN_FUNDED)
    amount_of = {index: amounts[position] for position, index in enumerate(order)}
    applications = []
    for index, (reviews, _mean) in enumerate(plans):
        level = (
            RegistrationLevel.PROVINCE
            if index % 9 == 0
            else RegistrationLevel.CITY
            if index % 3 == 0
            else RegistrationLevel.COUNTY
        )
        region = (
            Region.objects.get(code="430100")
            if level == RegistrationLevel.PROVINCE
            else cities[index % len(cities)]
            if level == RegistrationLevel.CITY
            else counties[(index * 7) % len(counties)]
        )
        place = "湖南省" if level == RegistrationLevel.PROVINCE else region.name
        name = NAME_PATTERNS[index % len(NAME_PATTERNS)].format(place=place)
        org_type = (
            OrganizationType.SOCIAL_GROUP
            if "协会" in name or "促进会" in name
            else OrganizationType.SOCIAL_SERVICE
        )
        org = _organization(name, org_type, level, region, 5000 + index)
        topic, beneficiaries, _field = TOPICS[index % len(TOPICS)]
        amount = amount_of[index]
        application = Application.objects.create(
            call=call,
            organization=org,
            title=f"{region.name}{topic}",
            summary=f"面向{beneficiaries}开展专业服务，计划服务{200 + index * 15}人。",
            requested_amount=amount,
            target_region=region,
            beneficiaries=beneficiaries,
            beneficiary_count=200 + index * 15,
        )
        _budget_lines(application, amount)
        # submitted at once: one name may be one organization with two projects,
        # and an organization has one draft per call at a time
        _submit(application, manager, SUBMITTED_ON)
        applications.append((application, reviews))
    # two that fail the eligibility check
    listed = _organization(
        "湖南省某公益服务中心",
        OrganizationType.SOCIAL_SERVICE,
        RegistrationLevel.CITY,
        cities[0],
        5990,
    )
    CreditEntry.objects.get_or_create(
        organization=listed,
        list_type=CreditList.SERIOUS_DISHONESTY,
        defaults={
            "reason": "弄虚作假骗取资助资金",
            "date_in": datetime.date(2022, 6, 1),
        },
    )
    failing = []
    for org, amount, lines_total in (
        (listed, D("100000"), D("100000")),
        (
            _organization(
                "岳阳市湘阴县助学服务中心",
                OrganizationType.SOCIAL_SERVICE,
                RegistrationLevel.COUNTY,
                counties[3],
                5991,
            ),
            D("120000"),
            D("110000"),
        ),
    ):
        application = Application.objects.create(
            call=call,
            organization=org,
            title="困难学生助学帮扶项目",
            requested_amount=amount,
            target_region=org.region,
            beneficiaries="困难家庭学生",
        )
        _budget_lines(application, lines_total)
        _submit(application, manager, SUBMITTED_ON)
        failing.append(application)
    DeclaredConflict.objects.get_or_create(
        reviewer=experts[4],
        organization=applications[1][0].organization,
        defaults={"reason": "曾担任该机构督导"},
    )
    on = SUBMITTED_ON
    for application, _reviews in applications:
        application_check_eligibility(application, user=manager, on=on)
    for application in failing:
        application_check_eligibility(application, user=manager, on=on)
    call_assign_reviewers(call, user=manager)
    for application, planned in applications:
        for review, scores in zip(
            application.reviews.order_by("pk"), planned, strict=True
        ):
            total = weighted_total(
                [
                    (s, c.max_score, c.weight)
                    for s, c in zip(scores, criteria, strict=True)
                ]
            )
            review_submit(
                review,
                user=review.reviewer,
                scores={
                    c.pk: {"score": str(s), "comment": _comment(c, s)}
                    for c, s in zip(criteria, scores, strict=True)
                },
                recommendation=Recommendation.FUND
                if total >= 75
                else Recommendation.FUND_REDUCED
                if total >= 65
                else Recommendation.REJECT,
                comment="项目设计较完整，建议关注成效评估。"
                if total >= 70
                else "需求分析不足。",
            )
    call_close_review(call, user=manager)
    line = funding_line_draw(
        call,
        rule=ShortfallRule.REDUCE,
        reason="按评审排名资助至预算用完；剩余资金不足全额资助时按剩余额度核减资助，以扩大覆盖面。",
        user=manager,
    )
    funding_line_apply(line, user=manager)
    approved = call.applications.filter(status=ApplicationStatus.APPROVED)
    stdout.write(
        f"funding: {call.name}: {call.applications.count()} applications, "
        f"{approved.count()} approved, {line.total_awarded} yuan"
    )
    return call


def _comment(criterion, score):
    share = score / criterion.max_score
    if share >= D("0.85"):
        return "优秀"
    if share >= D("0.7"):
        return "较好"
    return "有待加强"


def seed_shaanxi(stdout, experts, manager):
    fund, _ = Fund.objects.get_or_create(
        name="陕西省福彩公益金",
        year=2021,
        defaults={
            "source": "lottery_province",
            "budget": SHAANXI_BUDGET,
            "region": Region.objects.get(code="610000"),
            "issuing_department": "陕西省民政厅",
            "document_prefix": "陕民福彩",
        },
    )
    call, created = Call.objects.get_or_create(
        name="2021年度陕西省福彩公益金支持社会组织服务平台建设项目",
        defaults={
            "fund": fund,
            "opens_on": datetime.date(2021, 4, 1),
            "closes_on": datetime.date(2021, 5, 31),
            "total_budget": SHAANXI_BUDGET,
            "max_per_award": D("120000"),
            "eligible_levels": [
                RegistrationLevel.PROVINCE,
                RegistrationLevel.CITY,
                RegistrationLevel.COUNTY,
            ],
            "eligible_types": [
                OrganizationType.SOCIAL_GROUP,
                OrganizationType.SOCIAL_SERVICE,
            ],
            "reviewers_per_application": 3,
            "blind_review": False,
            "normalise_scores": True,
            "public_notice_days": 7,
        },
    )
    if not created:
        return call
    criteria = _criteria(call)
    rng = random.Random(2021)  # noqa: S311 - a seeded demo, not security
    counties = list(
        Region.objects.filter(code__startswith="61", level=Region.Level.COUNTY)
    )
    on = datetime.date(2021, 5, 20)
    apps = []
    for index in range(SHAANXI_PLATFORMS + 3):
        region = counties[(index * 5) % len(counties)]
        org = _organization(
            f"{region.name}社会组织服务平台",
            OrganizationType.SOCIAL_SERVICE,
            RegistrationLevel.COUNTY,
            region,
            6000 + index,
        )
        application = Application.objects.create(
            call=call,
            organization=org,
            title=f"{region.name}社会组织孵化服务平台建设",
            summary="建设县级社会组织服务平台，提供孵化、培训、项目指导等服务。",
            requested_amount=D("120000"),
            target_region=region,
            beneficiaries="县域社会组织",
            beneficiary_count=30 + index,
        )
        _budget_lines(application, D("120000"))
        _submit(application, manager, on)
        application_check_eligibility(application, user=manager, on=on)
        apps.append(application)
    call_assign_reviewers(call, user=manager)
    # two thirds of the reviews are in; the demo reviewer's are left to do
    for application in apps:
        for review in application.reviews.exclude(reviewer__username="reviewer")[:2]:
            shares = [min(1, max(0.4, rng.gauss(0.78, 0.08))) for _ in criteria]
            review_submit(
                review,
                user=review.reviewer,
                scores={
                    c.pk: {"score": str(round(float(c.max_score) * s * 2) / 2)}
                    for c, s in zip(criteria, shares, strict=True)
                },
                recommendation=Recommendation.FUND,
            )
    stdout.write(f"funding: {call.name}: {len(apps)} applications in review")
    return call
