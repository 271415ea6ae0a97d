"""Reads of spot checks: the scope's candidates, the risk-group sets and the public
list of who was checked."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from incubator.choices import InspectionResult, RegistrationStatus, SpotCheckResult
from incubator.models import AnnualInspection, CreditEntry, Organization, SpotCheck
from incubator.models import SpotCheckCampaign as Campaign
from incubator.selectors.spotcheck_draw import risk_group_ids


def campaign_scope(campaign):
    """The scope of `campaign` as recorded with its draw (JSON-able dict):
    ``{"levels": [...], "types": [...], "region": "430000" or None,
    "status": "active"}``."""
    return {
        "levels": sorted(campaign.scope_levels or []),
        "types": sorted(campaign.scope_types or []),
        "region": campaign.scope_region.code if campaign.scope_region_id else None,
        "status": RegistrationStatus.ACTIVE.value,
    }


def _region_prefix(code):
    """The prefix every division inside region `code` shares: 43 for a province
    (430000), 4309 for a prefecture (430900), the whole code for a county."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def scope_candidates(scope):
    """The ids (ascending) of the registered organizations in `scope` (a dict of
    `campaign_scope`) as the registry holds them now."""
    qs = Organization.objects.filter(registration_status=scope["status"])
    if scope.get("levels"):
        qs = qs.filter(registration_level__in=scope["levels"])
    if scope.get("types"):
        qs = qs.filter(org_type__in=scope["types"])
    if scope.get("region"):
        qs = qs.filter(region__code__startswith=_region_prefix(scope["region"]))
    return sorted(qs.values_list("pk", flat=True))


def risk_sets(candidate_ids, *, on=None, year=None):
    """The three sets the risk group is made of (`risk_group_ids`), read from the
    registry on date `on` (default today, Asia/Shanghai): ids with an active
    CreditEntry; ids whose annual inspection of `year` (default: the year before
    `on`) is 不合格 or 未参检 (an organization without a record of that year is not
    counted: it may be newly registered); ids without a valid rating on `on`."""
    on = on or timezone.localdate()
    year = year or on.year - 1
    ids = list(candidate_ids)
    credit = set(
        CreditEntry.objects.active(on)
        .filter(organization_id__in=ids)
        .values_list("organization_id", flat=True)
    )
    failed = set(
        AnnualInspection.objects.filter(
            organization_id__in=ids,
            year=year,
            result__in=[InspectionResult.FAILED, InspectionResult.NOT_INSPECTED],
        ).values_list("organization_id", flat=True)
    )
    rated = set(
        Organization.objects.filter(pk__in=ids)
        .exclude(rating="")
        .filter(Q(rating_valid_until__isnull=True) | Q(rating_valid_until__gte=on))
        .values_list("pk", flat=True)
    )
    return {
        "credit_listed": credit,
        "failed_or_skipped": failed,
        "unrated": set(ids) - rated,
    }


def campaign_risk_ids(candidate_ids, on=None):
    """The risk group of `candidate_ids` today (sorted ids)."""
    return risk_group_ids(candidate_ids, **risk_sets(candidate_ids, on=on))


def public_checks(campaign_pk):
    """The drawn campaign and its checks for the public list: (campaign, rows),
    rows of (organization name, USCC, result label) in draw order. None when the
    campaign does not exist or is not drawn. No inspector, no personal data."""
    campaign = Campaign.objects.filter(pk=campaign_pk, status="drawn").first()
    if campaign is None:
        return None
    checks = (
        SpotCheck.objects.filter(campaign=campaign)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )
    rows = [
        (
            check.organization.name,
            check.organization.uscc or check.organization.filing_number,
            check.get_result_display(),
            check.result != SpotCheckResult.PENDING,
        )
        for check in checks
    ]
    return campaign, rows


def scope_text(scope):
    """The scope in words: "省, 社会团体 · 湖南省" ("every organization" if empty)."""
    from core.models import Region
    from incubator.choices import OrganizationType, RegistrationLevel

    parts = []
    if scope.get("levels"):
        parts.append(
            "、".join(str(RegistrationLevel(v).label) for v in scope["levels"])
        )
    if scope.get("types"):
        parts.append("、".join(str(OrganizationType(v).label) for v in scope["types"]))
    if scope.get("region"):
        region = Region.objects.filter(code=scope["region"]).first()
        parts.append(region.full_name if region else scope["region"])
    return " · ".join(parts) or str(_("every registered organization"))


def draw_confirmation(campaign):
    """The confirmation of drawing `campaign` (`core.confirmations.Confirmation`):
    the scope, candidates and risk group today, how many each group draws, and that
    the draw is final. Refused when drawn already, the scope is empty or the pool
    has fewer active inspectors than each check needs."""
    from core.confirmations import Confirmation
    from incubator.models import Inspector
    from incubator.selectors.spotcheck_draw import group_count

    if campaign.is_drawn:
        return Confirmation(
            action=_("Draw"),
            subject=str(campaign),
            facts={"campaign": campaign.pk, "status": campaign.status},
            refusal=_("This campaign has been drawn already."),
        )
    scope = campaign_scope(campaign)
    candidates = scope_candidates(scope)
    risk = campaign_risk_ids(candidates)
    others = len(candidates) - len(risk)
    k_risk = group_count(campaign.risk_rate, len(risk))
    k_other = group_count(campaign.base_rate, others)
    pool = Inspector.objects.filter(active=True).count()
    refusal = ""
    if not candidates:
        refusal = _("No registered organization is in this scope.")
    elif pool < campaign.inspectors_per_check:
        refusal = _("The inspector pool has %(pool)s active inspectors.") % {
            "pool": pool
        }
    lines = [
        _("Scope: %(scope)s; %(count)s registered organizations.")
        % {"scope": scope_text(scope), "count": len(candidates)},
        _(
            "Risk group (credit list, failed or skipped last year's inspection, "
            "no valid rating): %(size)s × %(rate)s%% = %(count)s drawn."
        )
        % {"size": len(risk), "rate": campaign.risk_rate, "count": k_risk},
        _("Others: %(size)s × %(rate)s%% = %(count)s drawn.")
        % {"size": others, "rate": campaign.base_rate, "count": k_other},
        _(
            "%(count)s organizations in all, %(per)s inspectors each, from a pool of "
            "%(pool)s."
        )
        % {
            "count": k_risk + k_other,
            "per": campaign.inspectors_per_check,
            "pool": pool,
        },
        _(
            "The seed is drawn at random and recorded with the candidate list: the "
            "draw is final and anyone can re-derive it."
        ),
    ]
    return Confirmation(
        action=_("Draw"),
        subject=str(campaign),
        lines=lines,
        facts={
            "campaign": campaign.pk,
            "status": campaign.status,
            "candidates": candidates,
            "risk": risk,
            "pool": pool,
        },
        refusal=refusal,
        serious=True,
    )
