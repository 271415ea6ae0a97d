"""Residency writes: admit an organization to a base and move its stage.

`TRANSITIONS` in `incubator/lifecycle.py` is the whole machine (入驻 → 孵化 → 评估 →
出壳): from each stage, the stages a residency may move to. Side exits
(`withdrawn`, `terminated`) need a reason; `graduated` needs a passed graduation
assessment; `entered` needs a free place at the base. Closed stages (graduated,
withdrawn, terminated) allow no move at all.

Views, admin actions, imports and demo data call `residency_admit` and
`residency_advance`; nothing else sets `Residency.stage`. Every move writes a
StageTransition (who, when, note), a simple-history record and an entry in
Wagtail's action log.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from incubator.errors import IncubationError
from incubator.lifecycle import TRANSITIONS
from incubator.models import (
    Milestone,
    Organization,
    Residency,
    Stage,
    StageTransition,
)
from incubator.permissions import base_operation_check
from incubator.selectors.residencies import where_resides

S = Stage

#: The side exits: a move to one of these needs a reason.
NEEDS_REASON = (S.WITHDRAWN, S.TERMINATED)

#: The action name of a stage move in Wagtail's action log.
LOG_ACTION = "incubator.stage_move"


def _stage_label(stage):
    return str(Stage(stage).label)


def _labels(stages):
    return "、".join(_stage_label(s) for s in stages)


def _already_resident_error(organization, active):
    return IncubationError(
        _(
            "%(organization)s already resides at %(base)s (stage: %(stage)s); an "
            "organization can have only one active residency."
        )
        % {
            "organization": organization,
            "base": active.base,
            "stage": active.get_stage_display(),
        },
        code="already_resident",
    )


def capacity_check(base, adding=1):
    """Refuse (IncubationError `base_full`) when `adding` more residents would exceed
    the base's capacity. Locks the base row so that two admissions cannot both take
    the last place; call it inside a transaction."""
    base = type(base).objects.select_for_update().get(pk=base.pk)
    taken = base.residencies.filter(stage__in=Residency.OCCUPYING).count()
    if taken + adding > base.capacity:
        raise IncubationError(
            _("%(base)s is full: %(taken)s of its %(capacity)s places are taken.")
            % {"base": base, "taken": taken, "capacity": base.capacity},
            code="base_full",
        )


@transaction.atomic
def residency_admit(
    *,
    organization,
    base,
    user=None,
    applied_on=None,
    planned_entry_on=None,
    planned_graduation_on=None,
    mentors="",
    workspace="",
    notes="",
    note="",
    enter=False,
    entered_on=None,
):
    """Register an application to a base (stage `applied`); with `enter=True` the
    organization also enters at once. Milestones come from the base's templates.
    Returns the saved Residency. Refuses with IncubationError (already resident
    elsewhere — saying where —, not a registered organization, a date in the
    future, an invalid record) or PermissionDenied (a user who does not operate
    the base)."""
    base_operation_check(user, base)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    active = where_resides(organization)
    if active is not None:
        raise _already_resident_error(organization, active)
    if organization.registration_status != "active":
        raise IncubationError(
            _("%(organization)s is not a registered organization (%(status)s).")
            % {
                "organization": organization,
                "status": organization.get_registration_status_display(),
            },
            code="not_registered",
        )
    today = timezone.localdate()
    applied_on = applied_on or today
    if applied_on > today:
        raise IncubationError(_("The application date cannot be in the future."))
    residency = Residency(
        organization=organization,
        base=base,
        applied_on=applied_on,
        planned_entry_on=planned_entry_on,
        planned_graduation_on=planned_graduation_on,
        mentors=mentors,
        workspace=workspace,
        notes=notes,
        stage=S.APPLIED,
        stage_changed_on=applied_on,
    )
    try:
        residency.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise IncubationError(exc.messages, code="invalid") from exc
    residency._history_user = user
    try:
        with transaction.atomic():
            residency.save()
    except IntegrityError as exc:  # another request admitted it meanwhile
        active = where_resides(organization)
        if active is None:
            raise
        raise _already_resident_error(organization, active) from exc
    StageTransition.objects.create(
        residency=residency,
        from_stage="",
        to_stage=S.APPLIED,
        moved_on=applied_on,
        user=user,
        note=note,
    )
    start = planned_entry_on or applied_on
    for order, template in enumerate(base.milestone_templates.all()):
        Milestone.objects.create(
            residency=residency,
            title=template.title,
            due_on=start + datetime.timedelta(days=template.due_after_days),
            sort_order=order,
        )
    log(
        instance=residency,
        action=LOG_ACTION,
        user=user,
        data={"from": "", "to": S.APPLIED, "note": note},
    )
    if enter:
        residency = residency_advance(
            residency, S.ENTERED, user=user, on=entered_on or applied_on, note=note
        )
    return residency


@transaction.atomic
def residency_advance(residency, to_stage, *, user=None, note="", reason="", on=None):
    """Move a residency to `to_stage` (a `Stage` value) dated `on` (default today);
    returns the saved residency. Refuses with IncubationError (a move not in
    `TRANSITIONS`, a closed residency, a missing reason, a full base, no passed
    assessment, a date in the future or before the current stage) or
    PermissionDenied (a user who does not operate the base)."""
    residency = (
        Residency.objects.select_for_update()
        .select_related("base", "organization")
        .get(pk=residency.pk)
    )
    base_operation_check(user, residency.base)
    if to_stage not in Stage.values:
        raise IncubationError(
            _("“%(stage)s” is not a stage.") % {"stage": to_stage}, code="bad_stage"
        )
    current = Stage(residency.stage)
    to_stage = Stage(to_stage)
    if current in Residency.CLOSED:
        raise IncubationError(
            _("This residency is closed (%(stage)s): it cannot move any more.")
            % {"stage": current.label},
            code="closed",
        )
    if to_stage not in TRANSITIONS[current]:
        raise IncubationError(
            _(
                "A residency cannot move from “%(current)s” to “%(target)s”; from "
                "“%(current)s” it can move to: %(allowed)s."
            )
            % {
                "current": current.label,
                "target": to_stage.label,
                "allowed": _labels(TRANSITIONS[current]),
            },
            code="illegal_move",
        )
    reason = (reason or "").strip()
    if to_stage in NEEDS_REASON and not reason:
        raise IncubationError(
            _("Give the reason why the residency is %(stage)s.")
            % {"stage": to_stage.label},
            code="reason_required",
        )
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise IncubationError(
            _("The date of a stage move cannot be in the future."), code="bad_date"
        )
    if on < residency.stage_changed_on:
        raise IncubationError(
            _(
                "The date of the move (%(on)s) is before the residency entered its "
                "current stage (%(since)s)."
            )
            % {"on": on, "since": residency.stage_changed_on},
            code="bad_date",
        )
    if to_stage == S.ENTERED:
        capacity_check(residency.base)
    if to_stage == S.GRADUATED:
        _passed_assessment_check(residency)

    residency.stage = to_stage
    residency.stage_changed_on = on
    if to_stage == S.ENTERED:
        residency.entered_on = on
    elif to_stage == S.GRADUATED:
        residency.graduated_on = on
        residency.closed_on = on
    elif to_stage in NEEDS_REASON:
        residency.closed_on = on
        residency.exit_reason = reason[:255]
    residency._history_user = user
    residency.save()
    StageTransition.objects.create(
        residency=residency,
        from_stage=current,
        to_stage=to_stage,
        moved_on=on,
        user=user,
        note="\n".join(part for part in (reason, note) if part),
    )
    log(
        instance=residency,
        action=LOG_ACTION,
        user=user,
        data={"from": current, "to": to_stage, "note": note, "reason": reason},
    )
    return residency


def _passed_assessment_check(residency):
    latest = (
        residency.assessments.filter(concluded_at__isnull=False)
        .order_by("-concluded_at", "-pk")
        .first()
    )
    if latest is None:
        raise IncubationError(
            _("Graduation needs a passed graduation assessment; none is concluded."),
            code="no_assessment",
        )
    if not latest.passed:
        raise IncubationError(
            _(
                "Graduation needs a passed graduation assessment; the latest scored "
                "%(result)s against a pass mark of %(pass_mark)s."
            )
            % {"result": latest.result, "pass_mark": latest.pass_mark},
            code="assessment_failed",
        )


def residency_withdraw(residency, *, reason, user=None, note="", on=None):
    """Move the residency to `withdrawn` (see `residency_advance`)."""
    return residency_advance(
        residency, S.WITHDRAWN, user=user, reason=reason, note=note, on=on
    )


def residency_terminate(residency, *, reason, user=None, note="", on=None):
    """Move the residency to `terminated` (see `residency_advance`)."""
    return residency_advance(
        residency, S.TERMINATED, user=user, reason=reason, note=note, on=on
    )
