"""Spot-check writes: draw a campaign, record a result, verify a draw.

The draw's rule is `incubator.selectors.spotcheck_draw` (pure); this module reads
the registry, records everything the draw rests on (seed from `secrets`, scope,
ordered candidate list, risk group, their hash) and writes the checks, once: a
drawn campaign cannot be drawn again or changed.
"""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from incubator.choices import SpotCheckCampaignStatus, SpotCheckResult
from incubator.errors import IncubationError
from incubator.models import Inspector, Organization, SpotCheck, SpotCheckCampaign
from incubator.selectors.spotcheck_draw import DrawError, candidates_hash, draw
from incubator.selectors.spotchecks import (
    campaign_risk_ids,
    campaign_scope,
    scope_candidates,
)

LOG_ACTION = "incubator.spotcheck_draw"


def _supervisors(ids):
    return dict(
        Organization.objects.filter(pk__in=ids).values_list("pk", "business_supervisor")
    )


def _pool():
    return list(Inspector.objects.filter(active=True).values_list("pk", "unit"))


@transaction.atomic
def spotcheck_campaign_draw(*, campaign, user, seed=None, on=None):
    """Draw `campaign` (a SpotCheckCampaign not yet drawn): candidates of its scope
    today, the risk group, the organizations and their inspectors; record it all
    and create one SpotCheck per organization drawn (position = draw order).
    `seed` (hex) defaults to ``secrets.token_hex(16)``; `on` (date) to today.
    Returns the campaign. Raises IncubationError when it was drawn already, the
    scope is empty or the pool lacks inspectors without a conflict."""
    campaign = SpotCheckCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.is_drawn:
        raise IncubationError(_("This campaign has been drawn already."))
    scope = campaign_scope(campaign)
    candidates = scope_candidates(scope)
    if not candidates:
        raise IncubationError(_("No registered organization is in this scope."))
    on = on or timezone.localdate()
    risk = campaign_risk_ids(candidates, on=on)
    seed = seed or secrets.token_hex(16)
    pool = _pool()
    supervisors = _supervisors(candidates)
    try:
        result = draw(
            candidates,
            risk,
            seed=seed,
            base_rate=campaign.base_rate,
            risk_rate=campaign.risk_rate,
            supervisors=supervisors,
            inspectors=pool,
            per_check=campaign.inspectors_per_check,
        )
    except DrawError:
        raise IncubationError(
            _(
                "Too few inspectors in the pool: every organization drawn needs "
                "%(count)s whose unit is not its business supervisor."
            )
            % {"count": campaign.inspectors_per_check}
        ) from None
    campaign.seed = seed
    campaign.scope = {**scope, "on": on.isoformat()}
    campaign.candidates = candidates
    campaign.risk_ids = risk
    campaign.candidates_hash = result.candidates_hash
    campaign.pool = {
        "inspectors": [list(pair) for pair in sorted(pool)],
        "supervisors": {str(i): supervisors.get(i, "") for i in result.selection},
    }
    campaign.status = SpotCheckCampaignStatus.DRAWN
    campaign.drawn_at = timezone.now()
    campaign.drawn_by = user
    campaign._history_user = user
    campaign.save()
    for position, org_id in enumerate(result.selection, start=1):
        check = SpotCheck(
            campaign=campaign,
            organization_id=org_id,
            position=position,
            in_risk_group=org_id in result.risk_selected,
        )
        check._history_user = user
        check.save()
        check.inspectors.set(result.inspectors.get(org_id, []))
    log(
        instance=campaign,
        action=LOG_ACTION,
        user=user,
        data={"seed": seed, "count": len(result.selection)},
    )
    return campaign


@dataclass
class Verification:
    """The outcome of `spotcheck_verify`: `consistent` when the recorded hash and
    the selection (organizations, order, inspectors) are re-derived exactly;
    `problems` says what differs; `expected`/`recorded` are the id lists."""

    consistent: bool
    problems: list
    expected: list
    recorded: list


def spotcheck_verify(campaign):
    """Re-derive the selection of a drawn `campaign` from its recorded seed,
    candidates, risk group and rates, and compare it with the stored checks.
    Reads only. The inspectors are re-derived from the pool and the business
    supervisors recorded at the draw."""
    problems = []
    if not campaign.is_drawn:
        return Verification(False, [_("The campaign has not been drawn.")], [], [])
    checks = list(campaign.checks.order_by("position").prefetch_related("inspectors"))
    recorded = [c.organization_id for c in checks]
    if candidates_hash(campaign.candidates, campaign.risk_ids) != (
        campaign.candidates_hash
    ):
        problems.append(_("The candidate list does not match its recorded hash."))
    try:
        result = _redraw(campaign)
    except DrawError:
        problems.append(_("The recorded inspector pool cannot give this draw."))
        return Verification(False, problems, [], recorded)
    if result.selection != recorded:
        problems.append(_("The organizations drawn differ from the re-derived ones."))
    elif any(
        sorted(i.pk for i in c.inspectors.all())
        != result.inspectors.get(c.organization_id, [])
        for c in checks
    ):
        problems.append(_("The inspectors drawn differ from the re-derived ones."))
    return Verification(not problems, problems, result.selection, recorded)


def _redraw(campaign):
    return draw(
        campaign.candidates,
        campaign.risk_ids,
        seed=campaign.seed,
        base_rate=campaign.base_rate,
        risk_rate=campaign.risk_rate,
        supervisors={
            int(k): v for k, v in campaign.pool.get("supervisors", {}).items()
        },
        inspectors=[tuple(p) for p in campaign.pool.get("inspectors", [])],
        per_check=campaign.inspectors_per_check,
    )


def spotcheck_result_errors(
    *, result, problems="", rectification="", checked_on=None, rectify_by=None
):
    """Why a result cannot be recorded, as a list of messages (empty: it can).
    限期整改 and 不合格 need the problems found; 限期整改 needs the rectification
    and its deadline (not before the check); a result other than 待检查 needs the
    date checked, not in the future."""
    errors = []
    if result not in SpotCheckResult.values:
        errors.append(_("Choose a result."))
    needs_problems = result in (SpotCheckResult.RECTIFY, SpotCheckResult.FAILED)
    if needs_problems and not (problems or "").strip():
        errors.append(_("Describe the problems found."))
    if result == SpotCheckResult.RECTIFY and not (
        (rectification or "").strip() and rectify_by
    ):
        errors.append(_("Give the rectification required and its deadline."))
    if result != SpotCheckResult.PENDING and not checked_on:
        errors.append(_("Give the date of the check."))
    if checked_on and checked_on > timezone.localdate():
        errors.append(_("The date of the check cannot be in the future."))
    if rectify_by and checked_on and rectify_by < checked_on:
        errors.append(_("The rectification deadline cannot be before the check."))
    return errors


@transaction.atomic
def spotcheck_result_record(
    *,
    check,
    user,
    result,
    problems="",
    rectification="",
    checked_on=None,
    rectify_by=None,
):
    """Record the result of one `check` (a SpotCheck of a drawn campaign):
    `result` a SpotCheckResult value, `problems` (问题) and `rectification`
    (整改要求) as text, `checked_on` and `rectify_by` dates. Returns the check.
    Raises IncubationError with the messages of `spotcheck_result_errors`."""
    errors = spotcheck_result_errors(
        result=result,
        problems=problems,
        rectification=rectification,
        checked_on=checked_on,
        rectify_by=rectify_by,
    )
    if errors:
        raise IncubationError(" ".join(str(e) for e in errors))
    check = SpotCheck.objects.select_for_update().get(pk=check.pk)
    check.result = result
    check.problems = (problems or "").strip()
    check.rectification = (rectification or "").strip()
    check.checked_on = checked_on
    check.rectify_by = rectify_by
    check._history_user = user
    check.save()
    return check
