"""Milestone claims: the organization marks a milestone done (申请确认), the base
operator confirms or returns it with a reason.

`MILESTONE_TRANSITIONS` in `incubator/lifecycle.py` is the machine (claimed →
confirmed / returned); these functions are the only code that applies it. A
confirmed claim gives the milestone its done date and note; each step tells the
other side (MILESTONE_CLAIMED to the operators of the base, MILESTONE_DECIDED to
the organization's users) and is kept in the claim's history."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import NotificationKind
from core.notifications import notify
from incubator.errors import IncubationError
from incubator.lifecycle import MILESTONE_TRANSITIONS
from incubator.models import ClaimStatus, MilestoneClaim
from incubator.permissions import base_operation_check, organization_of


def _organization_users(organization):
    return [m.user for m in organization.members.select_related("user")]


@transaction.atomic
def milestone_claim(*, milestone, user, note, done_on=None):
    """The organization user `user` says `milestone` is done on `done_on` (default
    today, Asia/Shanghai), with a note (required). Returns the MilestoneClaim.
    Raises IncubationError: the milestone is of another organization, already
    done, or already waits for confirmation; no note; a date in the future."""
    residency = milestone.residency
    if organization_of(user) != residency.organization:
        raise IncubationError(_("This milestone is not your organization's."))
    note = (note or "").strip()
    if not note:
        raise IncubationError({"note": _("Say what was done, for the operator.")})
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise IncubationError({"done_on": _("The done date cannot be in the future.")})
    if milestone.done_on:
        raise IncubationError(
            _("This milestone is already done (%(date)s).")
            % {"date": milestone.done_on.strftime("%Y-%m-%d")}
        )
    try:
        with transaction.atomic():
            claim = MilestoneClaim.objects.create(
                milestone=milestone, done_on=done_on, note=note, claimed_by=user
            )
    except IntegrityError as exc:
        raise IncubationError(
            _("This milestone already waits for the operator's confirmation.")
        ) from exc
    notify(
        NotificationKind.MILESTONE_CLAIMED,
        residency.base.operators.all(),
        title=gettext_lazy("An organization marked a milestone done"),
        link=reverse("incubator_milestone_claim_decide", args=[claim.pk]),
        actor=user,
    )
    return claim


@transaction.atomic
def milestone_claim_decide(*, claim, user, decision, reason=""):
    """The base operator confirms (`decision="confirmed"`: the milestone gets the
    claim's done date, and its note when it had none) or returns it
    (`"returned"`, reason required). Returns the claim. Raises IncubationError
    for a claim already decided (`MILESTONE_TRANSITIONS`), a missing reason,
    PermissionDenied for someone who does not operate the base."""
    claim = MilestoneClaim.objects.select_for_update().get(pk=claim.pk)
    milestone = claim.milestone
    base_operation_check(user, milestone.residency.base)
    if decision not in MILESTONE_TRANSITIONS[claim.status]:
        raise IncubationError(
            _("This claim was already decided (%(status)s).")
            % {"status": claim.get_status_display()}
        )
    reason = (reason or "").strip()
    if decision == ClaimStatus.RETURNED and not reason:
        raise IncubationError({"reason": _("Give the reason for returning it.")})
    claim.status = decision
    claim.reason = reason
    claim.decided_by = user
    claim.decided_at = timezone.now()
    claim.save()
    if decision == ClaimStatus.CONFIRMED:
        milestone.done_on = claim.done_on
        if not milestone.note:
            milestone.note = claim.note[:255]
        milestone.save(update_fields=["done_on", "note"])
        title = gettext_lazy("A milestone was confirmed")
    else:
        title = gettext_lazy("A milestone was returned")
    notify(
        NotificationKind.MILESTONE_DECIDED,
        _organization_users(milestone.residency.organization),
        title=title,
        link=reverse("incubator_portal_incubation"),
        actor=user,
    )
    return claim
