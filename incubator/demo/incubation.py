"""Demo incubation data in the shape of the source reports: Hunan's bases at
province/city/county level (2023 at the provincial base: 16 trainings, 6 salons,
2 seminars) and Suzhou's four-level system (city, district, street, community),
with residents in every stage, milestones, activities and assessments.
Idempotent: bases by name, organizations by code, a resident once per base."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from core import roles
from core.models import Region
from incubator.choices import (
    USCC_CATEGORY_BY_TYPE,
    OrganizationType,
    RegistrationLevel,
)
from incubator.models import (
    ActivityKind,
    BaseLevel,
    IncubationBase,
    Organization,
    Residency,
    ServiceActivity,
    Stage,
)
from incubator.models.bases import (
    DEFAULT_CRITERIA,
    DEFAULT_MILESTONES,
    AssessmentCriterion,
    MilestoneTemplate,
)
from incubator.services.assessments import (
    assessment_conclude,
    assessment_create,
    assessment_score,
)
from incubator.services.residencies import residency_admit, residency_advance
from incubator.uscc import uscc_make

D = datetime.date

# name, level, region, parent, capacity, funding, operator org name
BASES = [
    (
        "湖南省社会组织孵化基地",
        BaseLevel.PROVINCE,
        "430100",
        None,
        40,
        "福彩公益金、省级财政",
        "湖南省社会组织促进会",
    ),
    (
        "长沙市社会组织孵化基地",
        BaseLevel.CITY,
        "430100",
        "湖南省社会组织孵化基地",
        25,
        "市级福彩公益金",
        None,
    ),
    (
        "雨花区社会组织孵化基地",
        BaseLevel.COUNTY,
        "430111",
        "长沙市社会组织孵化基地",
        12,
        "区级财政、公益创投",
        None,
    ),
    (
        "苏州市社会组织培育发展中心",
        BaseLevel.CITY,
        "320500",
        None,
        30,
        "市级财政、公益创投",
        None,
    ),
    (
        "姑苏区社会组织孵化基地",
        BaseLevel.COUNTY,
        "320508",
        "苏州市社会组织培育发展中心",
        15,
        "区级财政、政府购买服务",
        None,
    ),
    (
        "双塔街道社会组织服务中心",
        BaseLevel.STREET,
        "320508",
        "姑苏区社会组织孵化基地",
        8,
        "街道公益金",
        None,
    ),
    (
        "锦帆路社区社会组织服务站",
        BaseLevel.COMMUNITY,
        "320508",
        "双塔街道社会组织服务中心",
        5,
        "社区公益金",
        None,
    ),
]

HUNAN_NAMES = [
    "湖南省益阳社工服务中心",
    "湖南省春晖助残服务中心",
    "湖南省向阳花儿童关爱中心",
    "湖南省乡村振兴公益服务中心",
    "湖南省绿色潇湘环保服务中心",
    "湖南省银龄互助养老服务中心",
    "湖南省心语心理健康服务中心",
    "湖南省湘女公益发展中心",
    "湖南省阳光法律援助服务中心",
    "湖南省青禾教育发展中心",
    "湖南省乐龄康养服务中心",
    "湖南省村里人公益服务中心",
    "长沙市雨花区同心社工服务中心",
    "长沙市雨花区邻里守望服务中心",
    "长沙市芙蓉区小橘灯儿童服务中心",
    "长沙市岳麓区书香公益服务中心",
    "长沙市开福区星火志愿服务中心",
    "长沙市天心区康宁助残服务中心",
]
SUZHOU_NAMES = [
    "苏州市姑苏区平江社工服务社",
    "苏州市姑苏区古城保护志愿者协会",
    "苏州市姑苏区护城河环保服务中心",
    "苏州市姑苏区双塔邻里服务中心",
    "苏州市姑苏区银发生活服务中心",
    "苏州市姑苏区小雏菊儿童服务中心",
    "苏州市工业园区睦邻社工服务中心",
    "苏州市吴中区太湖公益服务中心",
    "苏州市相城区阳澄社区发展中心",
    "苏州市姑苏区锦帆社区互助服务中心",
]

# (base, how many residents per stage): applied, entered, incubating, assessing,
# graduated (over the last three years), withdrawn, terminated.
PLAN = {
    "湖南省社会组织孵化基地": {
        "applied": 2,
        "entered": 2,
        "incubating": 4,
        "assessing": 1,
        "graduated": 3,
        "withdrawn": 1,
        "terminated": 0,
    },
    "长沙市社会组织孵化基地": {
        "applied": 1,
        "entered": 0,
        "incubating": 1,
        "assessing": 1,
        "graduated": 0,
        "withdrawn": 0,
        "terminated": 1,
    },
    "雨花区社会组织孵化基地": {
        "applied": 0,
        "entered": 1,
        "incubating": 1,
        "assessing": 0,
        "graduated": 0,
        "withdrawn": 0,
        "terminated": 0,
    },
    "苏州市社会组织培育发展中心": {
        "applied": 1,
        "entered": 1,
        "incubating": 1,
        "assessing": 1,
        "graduated": 1,
        "withdrawn": 0,
        "terminated": 0,
    },
    "姑苏区社会组织孵化基地": {
        "applied": 0,
        "entered": 1,
        "incubating": 1,
        "assessing": 0,
        "graduated": 1,
        "withdrawn": 0,
        "terminated": 0,
    },
    "双塔街道社会组织服务中心": {
        "applied": 1,
        "entered": 0,
        "incubating": 1,
        "assessing": 0,
        "graduated": 0,
        "withdrawn": 0,
        "terminated": 0,
    },
}

TRAININGS = [
    "社会组织财务管理实务培训",
    "公益项目设计与申报培训",
    "社会组织党建工作培训",
    "社会组织等级评估指标解读",
    "年检年报填报培训",
    "福彩公益金项目管理培训",
    "社会工作专业方法培训",
    "志愿者管理培训",
    "社会组织内部治理培训",
    "政府购买服务承接能力培训",
    "乡村振兴项目设计培训",
    "公益传播与新媒体培训",
    "社会组织税务与票据培训",
    "项目绩效评价培训",
    "社区社会组织培育培训",
    "应急管理与安全培训",
]
SALONS = [
    "公益创投经验分享沙龙",
    "社会组织负责人沙龙",
    "青年社工成长沙龙",
    "乡村振兴案例沙龙",
    "筹款与品牌沙龙",
    "社企合作沙龙",
]
SEMINARS = ["社会组织高质量发展研讨会", "社会组织参与乡村振兴研讨会"]


def _operator_users():
    User = get_user_model()
    hunan = User.objects.filter(username="operator").first()
    suzhou, created = User.objects.get_or_create(
        username="operator_suzhou",
        defaults={
            "last_name": "苏州基地",
            "first_name": "运营方",
            "email": "operator_suzhou@example.org",
        },
    )
    if created:
        from core.demo import DEMO_PASSWORD

        suzhou.set_password(DEMO_PASSWORD)
        suzhou.save()
        suzhou.groups.add(roles.role_group(roles.OPERATOR))
    return hunan, suzhou


def _bases(hunan_operator, suzhou_operator):
    regions = {r.code: r for r in Region.objects.filter(code__in=[b[2] for b in BASES])}
    bases = {}
    for name, level, code, parent, capacity, funding, operator_name in BASES:
        base, created = IncubationBase.objects.get_or_create(
            name=name,
            defaults={
                "level": level,
                "region": regions[code],
                "parent": bases.get(parent),
                "capacity": capacity,
                "funding_sources": funding,
                "operator": Organization.objects.filter(name=operator_name).first()
                if operator_name
                else None,
                "opened_on": D(2016, 5, 1)
                if level == BaseLevel.PROVINCE
                else D(2019, 3, 1),
            },
        )
        if created:
            for order, (kind, weight) in enumerate(DEFAULT_CRITERIA):
                AssessmentCriterion.objects.create(
                    base=base, kind=kind, weight=weight, sort_order=order
                )
            for order, (title, days) in enumerate(DEFAULT_MILESTONES):
                MilestoneTemplate.objects.create(
                    base=base, title=title, due_after_days=days, sort_order=order
                )
            operator = suzhou_operator if code.startswith("32") else hunan_operator
            # The demo operators run every base but Changsha's city base and the
            # community station (run by others), so the scoping shows.
            run_by_others = (code.startswith("43") and level == BaseLevel.CITY) or (
                level == BaseLevel.COMMUNITY
            )
            if operator and not run_by_others:
                base.operators.add(operator)
        bases[name] = base
    return bases


def _organization(name, region, serial):
    uscc = uscc_make(
        USCC_CATEGORY_BY_TYPE[OrganizationType.SOCIAL_SERVICE],
        region.code,
        7000 + serial,
    )
    org, _created = Organization.objects.get_or_create(
        uscc=uscc,
        defaults={
            "name": name,
            "org_type": OrganizationType.SOCIAL_SERVICE,
            "registration_level": RegistrationLevel.COUNTY
            if region.level == Region.Level.COUNTY
            else RegistrationLevel.CITY,
            "region": region,
            "founded_on": D(2020 + serial % 5, 1 + serial % 12, 8),
        },
    )
    return org


def _assess(residency, assessors, held_on, scores):
    assessment = assessment_create(
        residency=residency, assessors=assessors, held_on=held_on
    )
    criteria = list(residency.base.criteria.all())
    for assessor, values in zip(assessors, scores, strict=False):
        assessment_score(
            assessment,
            assessor=assessor,
            scores={c.pk: v for c, v in zip(criteria, values, strict=False)},
        )
    return assessment_conclude(assessment)


def _resident(org, base, stage, index, today, assessors):
    """Admit and move one resident so that it ends in `stage`, with real dates."""
    if stage == Stage.GRADUATED:
        # Graduations over the last three years, one of them this year (the home
        # page's "graduated this year"): a graduate leaves 12–14 months after applying.
        year = today.year - 2 + index % 3
        applied = min(
            D(year - 1, 3 + index % 6, 2), today - datetime.timedelta(days=430)
        )
    elif stage in (Stage.WITHDRAWN, Stage.TERMINATED):
        applied = D(2023, 9, 1)
    else:
        applied = today - datetime.timedelta(
            days=40
            + 120 * (index % 3)
            + 30
            * [Stage.APPLIED, Stage.ENTERED, Stage.INCUBATING, Stage.ASSESSING].index(
                stage
            )
        )
    residency = residency_admit(
        organization=org,
        base=base,
        applied_on=applied,
        planned_entry_on=applied + datetime.timedelta(days=14),
        planned_graduation_on=applied + datetime.timedelta(days=380),
        mentors=["王立新", "刘敏、陈静", "周建华"][index % 3],
        workspace=f"{'ABC'[index % 3]}-{201 + index}",
        note="演示数据",
    )
    if stage == Stage.APPLIED:
        return residency
    day = applied + datetime.timedelta(days=12)
    residency = residency_advance(residency, Stage.ENTERED, on=day, note="签订入驻协议")
    milestones = list(residency.milestones.all())
    if stage == Stage.ENTERED:
        return residency
    if stage == Stage.WITHDRAWN:
        return residency_advance(
            residency,
            Stage.WITHDRAWN,
            on=D(2024, 1, 15),
            reason="负责人变动，主动申请退出",
        )
    if stage == Stage.TERMINATED:
        return residency_advance(
            residency,
            Stage.TERMINATED,
            on=D(2024, 3, 1),
            reason="连续三个月未开展活动，经基地评议终止入驻",
        )
    day += datetime.timedelta(days=20)
    residency = residency_advance(residency, Stage.INCUBATING, on=day)
    for milestone in milestones[: 1 + index % 3]:
        done = milestone.due_on - datetime.timedelta(days=10)
        if done <= today:
            milestone.done_on = done
            milestone.save()
    if stage == Stage.INCUBATING:
        return residency
    day = min(day + datetime.timedelta(days=300), today)
    if stage == Stage.ASSESSING:
        day = max(
            applied + datetime.timedelta(days=33), today - datetime.timedelta(days=10)
        )
    residency = residency_advance(residency, Stage.ASSESSING, on=day)
    if stage == Stage.ASSESSING:
        return residency
    for milestone in milestones:
        if not milestone.done_on:
            milestone.done_on = min(milestone.due_on, day)
            milestone.save()
    first = index % 2 == 0  # every other graduate failed once before passing
    if first:
        _assess(residency, assessors, day, [[55, 60, 58, 62, 70, 50]] * 2)
        residency = residency_advance(
            residency, Stage.INCUBATING, on=day, note="首次评估未通过，继续孵化"
        )
        day += datetime.timedelta(days=60)
        residency = residency_advance(residency, Stage.ASSESSING, on=day)
    _assess(
        residency, assessors, day, [[85, 80, 78, 82, 90, 76], [80, 84, 75, 80, 88, 80]]
    )
    return residency_advance(
        residency,
        Stage.GRADUATED,
        on=day + datetime.timedelta(days=15),
        note="准予出壳",
    )


def _activities(base, hunan_residents):
    if base.activities.exists():
        return
    plan = [
        (ActivityKind.TRAINING, TRAININGS, 2023, Decimal("3")),
        (ActivityKind.SALON, SALONS, 2023, Decimal("2")),
        (ActivityKind.SEMINAR, SEMINARS, 2023, Decimal("4")),
        (
            ActivityKind.CONSULTATION,
            ["入驻组织一对一财务咨询", "项目申报咨询", "党建工作咨询", "等级评估咨询"],
            2023,
            Decimal("1.5"),
        ),
        (ActivityKind.TRAINING, TRAININGS[:9], 2024, Decimal("3")),
        (ActivityKind.SALON, SALONS[:4], 2024, Decimal("2")),
        (ActivityKind.SEMINAR, SEMINARS[:1], 2024, Decimal("4")),
    ]
    for kind, topics, year, hours in plan:
        for i, topic in enumerate(topics):
            activity = ServiceActivity.objects.create(
                base=base,
                kind=kind,
                topic=topic,
                hours=hours,
                held_on=D(year, 1 + (i * 11 // max(len(topics), 1)) % 12, 8 + i % 20),
                speaker=[
                    "湖南省民政厅社会组织管理局",
                    "湖南师范大学社会工作系",
                    "资深财务专家",
                    "省社会组织促进会",
                ][i % 4],
            )
            activity.participants.set(hunan_residents[i % 3 :: 2][:6])


def seed(stdout):
    """Create the demo bases, residents in every stage, milestones, activities
    and assessments (idempotent). Needs the demo organizations and users."""
    today = timezone.localdate()
    hunan_operator, suzhou_operator = _operator_users()
    bases = _bases(hunan_operator, suzhou_operator)
    User = get_user_model()
    assessors = list(User.objects.filter(username__in=["reviewer", "admin"]))
    if not assessors:
        assessors = [hunan_operator or suzhou_operator]
    regions = {
        r.code: r
        for r in Region.objects.filter(code__in=["430100", "430111", "320508"])
    }
    names = {"43": iter(HUNAN_NAMES), "32": iter(SUZHOU_NAMES)}
    serial = 0
    created = 0
    for base_name, counts in PLAN.items():
        base = bases[base_name]
        prefix = base.region.code[:2]
        index = 0
        for stage, n in counts.items():
            for _i in range(n):
                serial += 1
                name = next(names[prefix], None)
                if name is None:
                    continue
                region = regions[
                    "430111"
                    if "雨花" in name
                    else ("430100" if prefix == "43" else "320508")
                ]
                org = _organization(name, region, serial)
                if Residency.objects.filter(organization=org).exists():
                    index += 1
                    continue
                _resident(org, base, Stage(stage), index, today, assessors)
                created += 1
                index += 1
    hunan = bases["湖南省社会组织孵化基地"]
    _activities(hunan, list(hunan.residencies.all()))
    stdout.write(
        f"incubation: {len(bases)} bases, {created} residents created, "
        f"{Residency.objects.count()} in all"
    )


# The organization the demo's organization user (login `org`) belongs to: a Hunan
# resident of a base; the funding and projects demos give it applications, an award
# and outcome reports, so every portal screen has something to show.
DEMO_ORGANIZATION_NAME = HUNAN_NAMES[0]


def demo_organization():
    """The demo organization user's Organization (after `seed` has run)."""
    return Organization.objects.get(name=DEMO_ORGANIZATION_NAME)
