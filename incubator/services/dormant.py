"""Dormant-organization clean-up writes (僵尸型社会组织专项清理): open a clean-up,
list the dormant organizations in it, move a case.

Who is dormant is `incubator.selectors.dormant.dormant_organizations`; the moves of
a case are `DORMANT_TRANSITIONS` (`incubator/lifecycle.py`), applied only here
(`dormant_case_step`), each recorded as a `DormantStep` (date, note, document, who).
注销 and 撤销登记 end the organization's registration (its registration status).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.documents import document_keep_internal
from incubator.choices import DormantStatus, RegistrationStatus
from incubator.errors import SupervisionError
from incubator.lifecycle import DORMANT_TRANSITIONS
from incubator.models import DormantCampaign, DormantCase, DormantStep, Organization
from incubator.selectors.dormant import dormant_not_in_a_case

#: The registration status an organization gets from a case's last move.
ENDS_REGISTRATION = {
    DormantStatus.DEREGISTERED: RegistrationStatus.DEREGISTERED,
    DormantStatus.REVOKED: RegistrationStatus.REVOKED,
}

#: Moves that need a note (why the registration ends).
NEEDS_NOTE = tuple(ENDS_REGISTRATION)


@transaction.atomic
def dormant_campaign_open(*, title, user, started_on=None, ends_on=None, note=""):
    """A new clean-up campaign (no cases yet: `dormant_cases_list` adds them)."""
    started_on = started_on or timezone.localdate()
    if ends_on and ends_on < started_on:
        raise SupervisionError(_("The planned end cannot be before the start."))
    campaign = DormantCampaign(
        title=title, started_on=started_on, ends_on=ends_on, note=note
    )
    campaign._history_user = user
    campaign.save()
    return campaign


@transaction.atomic
def dormant_cases_list(*, campaign, user, today=None):
    """Add to `campaign` a case (列入清理, status "listed") for every dormant
    organization that has no open case yet; returns the new cases (a list)."""
    today = today or timezone.localdate()
    dormant = dormant_not_in_a_case()
    already = set(campaign.cases.values_list("organization_id", flat=True))
    cases = [
        DormantCase(
            campaign=campaign,
            organization_id=organization,
            missed_years="、".join(str(y) for y in years),
            found_on=today,
            changed_on=today,
        )
        for organization, years in sorted(dormant.items())
        if organization not in already
    ]
    return bulk_create_with_history(
        cases, DormantCase, batch_size=500, default_user=user
    )


def allowed_moves(case):
    """The statuses `case` may move to (a tuple of `DormantStatus`)."""
    return DORMANT_TRANSITIONS[DormantStatus(case.status)]


@transaction.atomic
def dormant_case_step(*, case, to_status, user, on=None, note="", document=None):
    """Move `case` to `to_status` on `on` (a date, default today) with a note and
    an optional document (a Wagtail document, kept in the internal collection).
    注销 / 撤销登记 set the organization's registration status. Raises
    SupervisionError for a move `DORMANT_TRANSITIONS` does not allow, a date in
    the future or before the case's last step, or a missing note on a move that
    ends the registration. Returns the `DormantStep`."""
    today = timezone.localdate()
    on = on or today
    case = DormantCase.objects.select_for_update().get(pk=case.pk)
    current = DormantStatus(case.status)
    to_status = DormantStatus(to_status)
    if to_status not in DORMANT_TRANSITIONS[current]:
        allowed = DORMANT_TRANSITIONS[current]
        raise SupervisionError(
            _(
                "A case “%(current)s” cannot move to “%(to)s”; it may move to: %(allowed)s."
            )
            % {
                "current": current.label,
                "to": to_status.label,
                "allowed": "、".join(str(s.label) for s in allowed) or _("nothing"),
            }
            if allowed
            else _("The case is closed (“%(current)s”): it moves no further.")
            % {"current": current.label}
        )
    if on > today:
        raise SupervisionError(_("The date cannot be in the future."))
    if on < case.changed_on:
        raise SupervisionError(
            _("The date cannot be before the case's last step (%(date)s).")
            % {"date": case.changed_on.isoformat()}
        )
    note = (note or "").strip()
    if to_status in NEEDS_NOTE and not note:
        raise SupervisionError(
            _("Say why the registration ends (the decision and its grounds).")
        )
    if document is not None:
        document_keep_internal(document)
    step = DormantStep(
        case=case,
        from_status=current,
        to_status=to_status,
        on=on,
        note=note,
        document=document,
        actor=user,
    )
    step._history_user = user
    step.save()
    case.status = to_status
    case.changed_on = on
    case._history_user = user
    case.save()
    if to_status in ENDS_REGISTRATION:
        organization = Organization.objects.select_for_update().get(
            pk=case.organization_id
        )
        organization.registration_status = ENDS_REGISTRATION[to_status]
        organization._history_user = user
        organization.save()
    return step
