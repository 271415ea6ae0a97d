"""Demo of spot checks and credit publication, shaped like the reports: a 10 % draw
over Hunan's registered organizations (Hunan's provincial rate since 2023; risk
group 20 %), an inspector pool with one conflict (共青团湖南省委 supervises the
youth foundation), results for the first checks, and one day's credit decisions.
Idempotent: the campaign is drawn once; decisions are found by organization, type
and date."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.models import Region
from incubator.choices import CreditDecisionType, RegistrationStatus, SpotCheckResult
from incubator.models import (
    CreditDecision,
    Inspector,
    Organization,
    SpotCheckCampaign,
)
from incubator.services.credit import credit_decision_record
from incubator.services.spotchecks import (
    spotcheck_campaign_draw,
    spotcheck_result_record,
)

CAMPAIGN_NAME = "湖南省社会组织双随机抽查（演示）"
AUTHORITY = "湖南省民政厅"
DECISION_DAY = datetime.date(2025, 11, 28)

INSPECTORS = [
    ("王建国", "湖南省民政厅", "湘民执001"),
    ("刘芳", "湖南省民政厅", "湘民执002"),
    ("陈志强", "湖南省财政厅", "湘财执011"),
    ("周敏", "湖南省审计厅", "湘审执021"),
    ("赵磊", "共青团湖南省委", "湘团执003"),
    ("黄丽", "长沙市民政局", "长民执015"),
]

RESULTS = [
    (SpotCheckResult.PASSED, "", "", None),
    (
        SpotCheckResult.RECTIFY,
        "财务会计制度不健全，未按规定使用社会组织票据",
        "建立健全财务管理制度，规范票据使用",
        60,
    ),
]


def seed(stdout):
    """The inspector pool, the campaign (drawn once), results of its first two
    checks and the decisions of `DECISION_DAY`."""
    user = get_user_model().objects.filter(username="registrar").first()
    for name, unit, badge in INSPECTORS:
        Inspector.objects.get_or_create(
            badge_number=badge, defaults={"name": name, "unit": unit}
        )
    campaign, _created = SpotCheckCampaign.objects.get_or_create(
        name=CAMPAIGN_NAME,
        defaults={
            "year": timezone.localdate().year,
            "scope_region": Region.objects.filter(code="430000").first(),
            "base_rate": Decimal("10"),
            "risk_rate": Decimal("20"),
        },
    )
    if not campaign.is_drawn:
        spotcheck_campaign_draw(campaign=campaign, user=user)
        today = timezone.localdate()
        checks = campaign.checks.order_by("position")
        for check, (result, problems, rectification, days) in zip(
            checks, RESULTS, strict=False
        ):
            spotcheck_result_record(
                check=check,
                user=user,
                result=result,
                problems=problems,
                rectification=rectification,
                checked_on=today,
                rectify_by=today + datetime.timedelta(days=days) if days else None,
            )
    stdout.write(
        f"spot checks: {campaign.name}, {campaign.checks.count()} organizations drawn"
    )
    _decisions(user)


def _decisions(user):
    hunan = Organization.objects.filter(
        region__code__startswith="43", registration_status=RegistrationStatus.ACTIVE
    ).order_by("pk")
    clean = [o for o in hunan if o.credit_status(DECISION_DAY) == "normal"]
    if len(clean) < 2:
        return
    plans = [
        (clean[-1], CreditDecisionType.ABNORMAL_IN, "未按规定报送年度工作报告"),
        (clean[-2], CreditDecisionType.WARNING, "未按规定办理负责人变更登记"),
    ]
    if CreditDecision.objects.filter(decided_on=DECISION_DAY).exists():
        return
    for organization, decision_type, reason in plans:
        credit_decision_record(
            organization=organization,
            decision_type=decision_type,
            reason=reason,
            decided_on=DECISION_DAY,
            authority=AUTHORITY,
            user=user,
        )
