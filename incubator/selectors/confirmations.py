"""What each irreversible incubation step will do, read before it is done:
concluding a graduation assessment and closing a residency (graduated, withdrawn,
terminated). Each returns a `core.confirmations.Confirmation`; the services
(`assessment_conclude`, `residency_advance`) stay the place of the rules."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.confirmations import Confirmation
from core.people import display_name
from incubator.models import Stage
from incubator.selectors.assessments import assessment_result, missing_assessors
from incubator.services.residencies import NEEDS_REASON


def _name(user):
    return display_name(user)


def assessment_conclude_confirmation(assessment):
    """Concluding `assessment` (`assessment_conclude`): the result that will be
    fixed against the pass mark and the outcome, each assessor's scored criteria
    (n of m). Refused while an assessor has not scored every criterion (naming
    them) or once concluded."""
    criteria = assessment.residency.base.criteria.count()
    assessors = list(assessment.assessors.order_by("pk"))
    scored = {a.pk: assessment.scores.filter(assessor=a).count() for a in assessors}
    missing = missing_assessors(assessment)
    result = assessment_result(assessment)
    refusal = ""
    if assessment.is_concluded:
        refusal = _("This assessment is already concluded.")
    elif missing:
        refusal = _("Not every assessor has scored yet: %(names)s.") % {
            "names": "、".join(_name(u) for u in missing)
        }
    lines = []
    if result is not None:
        lines = [
            _("Result: %(result)s (pass mark %(mark)s).")
            % {"result": result, "mark": assessment.pass_mark},
            _("Outcome: passed.")
            if result >= assessment.pass_mark
            else _("Outcome: not passed."),
        ]
    lines.append(_("Once concluded, the scores and the result cannot be changed."))
    return Confirmation(
        action=_("Conclude assessment"),
        subject=str(assessment),
        lines=lines,
        headings=(_("Assessor"), _("Criteria scored")),
        rows=[
            (
                _name(a),
                _("%(n)s of %(m)s") % {"n": scored[a.pk], "m": criteria},
            )
            for a in assessors
        ],
        facts={
            "concluded": str(assessment.concluded_at or ""),
            "result": str(result),
            "pass_mark": str(assessment.pass_mark),
            "scores": sorted(
                assessment.scores.values_list("pk", "score").order_by("pk")
            ),
        },
        refusal=refusal,
    )


def residency_close_confirmation(residency, to_stage, *, on=None, reason=""):
    """Moving `residency` to a closing stage (graduated, withdrawn, terminated —
    `Residency.CLOSED`) through `residency_advance`: from which stage, on which
    date, after how many days in incubation, with the open milestones left, and
    that it cannot move again. `to_stage` a `Stage` value; `on` the date (default
    today). A refusal (not shown: `residency_advance` says it on the form) when
    the move needs a reason (`NEEDS_REASON`) and none is given."""
    on = on or timezone.localdate()
    target = Stage(to_stage)
    started = residency.entered_on or residency.applied_on
    open_milestones = residency.milestones.filter(done_on__isnull=True).count()
    lines = [
        _("%(organization)s moves from “%(current)s” to “%(target)s” on %(on)s.")
        % {
            "organization": residency.organization,
            "current": Stage(residency.stage).label,
            "target": target.label,
            "on": on,
        },
        _("%(days)s days since entry; %(open)s milestones are still open.")
        % {"days": max((on - started).days, 0), "open": open_milestones},
    ]
    if reason:
        lines.append(_("Reason: %(reason)s") % {"reason": reason})
    lines.append(_("The residency is then closed: it cannot move any more."))
    return Confirmation(
        action=_("Move stage"),
        subject=str(residency),
        lines=lines,
        facts={
            "stage": residency.stage,
            "changed": str(residency.stage_changed_on or ""),
            "to": target.value,
            "on": str(on),
            "reason": reason,
        },
        # A missing reason is the service's refusal, shown on the form itself.
        refusal="missing reason" if target in NEEDS_REASON and not reason else "",
        serious=target != Stage.GRADUATED,
    )
