"""Reads of the organization's portal (我的机构) and of the account desk.

Everything here is scoped by an Organization the caller already resolved
(`incubator.permissions.organization_of`): nothing reads another organization's
records."""

from django.utils import timezone

from funding.selectors.payments import mask_account
from incubator.models import (
    AccountRequestStatus,
    ClaimStatus,
    Milestone,
    MilestoneClaim,
    Organization,
    OrganizationInvitation,
    Residency,
    ServiceActivity,
)
from incubator.selectors.residencies import milestone_bar, person_name, stage_timeline

FOUND = "found"
NAME_DIFFERS = "name_differs"
MISSING = "missing"


def registry_match(account_request):
    """How a self-registration matches the registry, by its USCC: a dict
    ``state`` — FOUND (an Organization with that USCC and that name),
    NAME_DIFFERS (that USCC, another name) or MISSING (no such USCC) — and
    ``organization`` (the registry's record, or None). Names are compared without
    surrounding spaces."""
    organization = Organization.objects.filter(uscc=account_request.uscc).first()
    if organization is None:
        state = MISSING
    elif organization.name.strip() == account_request.organization_name.strip():
        state = FOUND
    else:
        state = NAME_DIFFERS
    return {"state": state, "organization": organization}


def pending_account_requests():
    """The account requests waiting for a decision, oldest first."""
    from incubator.models import AccountRequest

    return AccountRequest.objects.filter(status=AccountRequestStatus.PENDING).order_by(
        "created_at"
    )


def organization_profile(organization):
    """The organization's own registry record as the portal shows it: a dict
    ``organization``, ``bank_account_masked`` (first and last four digits,
    `funding.selectors.payments.mask_account`), ``members`` (list of dicts
    ``name``, ``username``, ``title``, ``email``, ``joined``) and
    ``invitations`` (open ones: ``email``, ``expires_at``)."""
    members = [
        {
            "name": person_name(m.user),
            "username": m.user.get_username(),
            "title": m.title,
            "email": m.user.email,
            "joined": m.created_at,
            "active": m.user.is_active,
        }
        for m in organization.members.select_related("user")
    ]
    now = timezone.now()
    invitations = OrganizationInvitation.objects.filter(
        organization=organization, used_at__isnull=True, expires_at__gt=now
    )
    return {
        "organization": organization,
        "bank_account_masked": mask_account(organization.bank_account),
        "members": members,
        "invitations": list(invitations),
    }


def portal_residency(organization):
    """The residency the portal shows: the active one, else the latest. None
    when the organization never applied to a base."""
    residencies = Residency.objects.filter(organization=organization).select_related(
        "base"
    )
    return (
        residencies.active().first()
        or residencies.order_by("-applied_on", "-pk").first()
    )


def incubation_overview(organization, today=None):
    """我的孵化: a dict ``residency`` (or None), ``timeline`` (`stage_timeline`),
    ``bar`` (`milestone_bar`), ``milestones`` (one dict per milestone:
    ``milestone``, ``state`` (done/overdue/open), ``claim`` (its latest claim or
    None), ``may_claim`` (not done, no claim waiting)), ``activities`` (the
    service activities any residency of the organization took part in, newest
    first) and ``past`` (its other residencies)."""
    residency = portal_residency(organization)
    activities = (
        ServiceActivity.objects.filter(participants__organization=organization)
        .select_related("base")
        .distinct()
        .order_by("-held_on", "-pk")
    )
    if residency is None:
        return {
            "residency": None,
            "timeline": [],
            "bar": None,
            "milestones": [],
            "activities": list(activities),
            "past": [],
        }
    bar = milestone_bar(residency, today)
    latest = {}
    for claim in MilestoneClaim.objects.filter(milestone__residency=residency).order_by(
        "claimed_at", "pk"
    ):
        latest[claim.milestone_id] = claim
    rows = []
    for milestone, state in bar["milestones"]:
        claim = latest.get(milestone.pk)
        rows.append(
            {
                "milestone": milestone,
                "state": state,
                "claim": claim,
                "may_claim": state != "done"
                and not (claim and claim.status == ClaimStatus.CLAIMED),
            }
        )
    past = Residency.objects.filter(organization=organization).exclude(pk=residency.pk)
    return {
        "residency": residency,
        "timeline": stage_timeline(residency),
        "bar": bar,
        "milestones": rows,
        "activities": list(activities),
        "past": list(past.select_related("base")),
    }


def organization_milestone(organization, pk):
    """A milestone of one of the organization's residencies, or None (another
    organization's milestone is None: the view answers 404)."""
    return (
        Milestone.objects.select_related("residency__base", "residency__organization")
        .filter(pk=pk, residency__organization=organization)
        .first()
    )


def claims_waiting(user):
    """The milestone claims waiting for this user's decision: those of the
    residencies of the bases they operate (`bases_operated_by`)."""
    from incubator.permissions import bases_operated_by

    return (
        MilestoneClaim.objects.filter(
            status=ClaimStatus.CLAIMED,
            milestone__residency__base__in=bases_operated_by(user),
        )
        .select_related("milestone__residency__organization", "claimed_by")
        .order_by("claimed_at")
    )
