"""Demo supervision, shaped like the source reports: three annual-inspection
campaigns (the two before last year closed, last year's under way with a mix of
reports and results) and a dormant-organization clean-up with a case in every
state. Six small Hunan organizations that stopped reporting are the dormant ones.
Idempotent: each campaign is made once (by year / title)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.models import Region
from incubator.choices import (
    USCC_CATEGORY_BY_TYPE,
    DormantStatus,
    InspectionResult,
    OrganizationType,
    RegistrationLevel,
)
from incubator.models import (
    AnnualInspection,
    DormantCampaign,
    InspectionCampaign,
    Organization,
)
from incubator.services.dormant import (
    dormant_campaign_open,
    dormant_case_step,
    dormant_cases_list,
)
from incubator.services.inspections import (
    inspection_campaign_close,
    inspection_campaign_open,
    inspection_record,
)
from incubator.uscc import uscc_make

D = DormantStatus

# name, type, region: organizations that stopped reporting (僵尸型), one per state
DORMANT = [
    ("长沙市雨花区民俗文化研究会", OrganizationType.SOCIAL_GROUP, "430111"),
    ("益阳市资阳区青少年围棋培训中心", OrganizationType.SOCIAL_SERVICE, "430902"),
    ("益阳市赫山区农村合作经济研究会", OrganizationType.SOCIAL_GROUP, "430903"),
    ("长沙市雨花区晨曦职业技能培训学校", OrganizationType.SOCIAL_SERVICE, "430111"),
    ("益阳市赫山区老年书画协会", OrganizationType.SOCIAL_GROUP, "430903"),
    ("益阳市资阳区爱心家政服务中心", OrganizationType.SOCIAL_SERVICE, "430902"),
]

# The steps each dormant case has taken (after being listed), with a note.
CASE_STEPS = [
    [],
    [(D.INTERVIEWED, "法定代表人到场约谈，承诺一个月内补报年报")],
    [
        (D.INTERVIEWED, "电话通知后到场约谈"),
        (D.RECTIFYING, "限期整改：补报近两年年报，完善财务制度"),
    ],
    [
        (D.INTERVIEWED, "到场约谈"),
        (D.RECTIFYING, "限期整改：补报年报、换届"),
        (D.RECTIFIED, "已补报年报并完成换届，恢复正常活动"),
    ],
    [(D.DEREGISTERED, "会员大会决议终止，已完成清算，准予注销登记")],
    [
        (D.INTERVIEWED, "约谈通知无人应答，已在门户网站公告"),
        (D.REVOKED, "公告期满仍无法取得联系，依法撤销登记（湘民撤字〔示例〕1号）"),
    ],
]


def _dormant_organizations():
    regions = {
        r.code: r for r in Region.objects.filter(code__in={d[2] for d in DORMANT})
    }
    found = []
    for serial, (name, org_type, region_code) in enumerate(DORMANT, start=1):
        org, _created = Organization.objects.get_or_create(
            uscc=uscc_make(USCC_CATEGORY_BY_TYPE[org_type], region_code, 4900 + serial),
            defaults={
                "name": name,
                "org_type": org_type,
                "registration_level": RegistrationLevel.COUNTY,
                "region": regions[region_code],
                "founded_on": datetime.date(2012 + serial % 4, 4, 18),
            },
        )
        found.append(org)
    return found


def _campaign(year, user, dormant, *, open_on, close_on=None, deadline=None):
    """The campaign of `year`: each organization's result follows its record in
    the registry; the dormant ones never report; while open, one in four has not
    reported yet, one in six waits for its result, and some pass only basically
    (基本合格) or fail (不合格)."""
    campaign = inspection_campaign_open(
        year=year, user=user, deadline=deadline, today=open_on
    )
    registry = dict(
        AnnualInspection.objects.filter(year=year).values_list(
            "organization_id", "result"
        )
    )
    dormant_ids = {o.pk for o in dormant}
    for index, inspection in enumerate(
        campaign.inspections.order_by("organization__name")
    ):
        result = registry.get(inspection.organization_id, InspectionResult.PASSED)
        if inspection.organization_id in dormant_ids or (
            result == InspectionResult.NOT_INSPECTED
        ):
            continue
        if close_on is None and index % 4 == 3:
            continue  # not reported yet
        if close_on is None and index % 9 == 4:
            result = InspectionResult.BASICALLY_PASSED
        elif close_on is None and index % 13 == 5:
            result = InspectionResult.FAILED
        today = timezone.localdate()
        submitted_on = min(
            today, datetime.date(year + 1, 3, 1) + datetime.timedelta(index % 60)
        )
        waiting = close_on is None and index % 6 == 1
        inspection_record(
            inspection=inspection,
            user=user,
            submitted=True,
            submitted_on=submitted_on,
            result="" if waiting else result,
            decided_on=None
            if waiting
            else min(today, submitted_on + datetime.timedelta(20)),
        )
    if close_on is not None:
        inspection_campaign_close(campaign=campaign, user=user, today=close_on)
    return campaign


def seed(stdout):
    """The campaigns of the three last years and the clean-up (idempotent)."""
    user = get_user_model().objects.filter(username="registrar").first()
    today = timezone.localdate()
    last_year = today.year - 1
    dormant = _dormant_organizations()
    for year in (last_year - 2, last_year - 1, last_year):
        if InspectionCampaign.objects.filter(year=year).exists():
            continue
        if year < last_year:
            _campaign(
                year,
                user,
                dormant,
                open_on=datetime.date(year + 1, 1, 5),
                close_on=datetime.date(year + 1, 6, 30),
                deadline=datetime.date(year + 1, 5, 31),
            )
        else:
            _campaign(
                year,
                user,
                dormant,
                open_on=min(today, datetime.date(year + 1, 1, 5)),
                deadline=today + datetime.timedelta(30),
            )
    title = f"{today.year}年僵尸型社会组织专项清理"
    if not DormantCampaign.objects.filter(title=title).exists():
        started = today - datetime.timedelta(60)
        campaign = dormant_campaign_open(
            title=title,
            user=user,
            started_on=started,
            ends_on=today + datetime.timedelta(120),
            note="对连续两年未参加年检的社会组织逐一约谈、限期整改，"
            "无法整改的依法注销或撤销登记。",
        )
        cases = {
            case.organization_id: case
            for case in dormant_cases_list(campaign=campaign, user=user, today=started)
        }
        for organization, steps in zip(dormant, CASE_STEPS, strict=True):
            case = cases.get(organization.pk)
            if case is None:
                continue
            for number, (status, note) in enumerate(steps, start=1):
                dormant_case_step(
                    case=case,
                    to_status=status,
                    user=user,
                    on=started + datetime.timedelta(10 * number),
                    note=note,
                )
    stdout.write(
        f"supervision: {InspectionCampaign.objects.count()} annual inspections, "
        f"{DormantCampaign.objects.count()} dormant-organization clean-ups"
    )
