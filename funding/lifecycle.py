"""The application lifecycle: `TRANSITIONS`, the one table of allowed moves.

`funding.services.applications.application_move` applies a move; nothing sets
`.status` directly.

The later states (public notice → awarded → in progress → mid-term check →
completed / terminated) are part of the table so the whole life is in one place;
the services that drive them belong to the awards module.
"""

from django.utils.translation import gettext as _

from funding.choices import ApplicationStatus as S
from funding.models.awards import ReportStatus as R

TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.ELIGIBLE, S.INELIGIBLE, S.MORE_INFO, S.WITHDRAWN},
    # the organization edits and resubmits (funding.services.portal)
    S.MORE_INFO: {S.SUBMITTED, S.WITHDRAWN},
    S.INELIGIBLE: {S.DRAFT},  # returned to the applicant for correction
    S.ELIGIBLE: {S.IN_REVIEW, S.MORE_INFO, S.WITHDRAWN},
    S.IN_REVIEW: {S.REVIEWED, S.WITHDRAWN},
    S.REVIEWED: {S.APPROVED, S.REJECTED, S.IN_REVIEW},  # back when a review drops out
    S.APPROVED: {S.IN_PUBLIC_NOTICE, S.REJECTED},
    S.REJECTED: set(),
    S.IN_PUBLIC_NOTICE: {S.AWARDED, S.REJECTED},  # an upheld objection rejects
    S.AWARDED: {S.IN_PROGRESS, S.TERMINATED},
    S.IN_PROGRESS: {S.MIDTERM_CHECKED, S.TERMINATED},
    S.MIDTERM_CHECKED: {S.COMPLETED, S.TERMINATED},
    S.COMPLETED: set(),
    S.TERMINATED: set(),
    S.WITHDRAWN: set(),
}

# A past award recorded from a province's files (`funding.services.past_awards`)
# is created in this status: it was made before the platform, so it has no move
# through review and public notice to replay.
RECORDED_AWARD_STATUS = S.AWARDED

# Moves that must say why.
NOTE_REQUIRED = {
    S.INELIGIBLE,
    S.REJECTED,
    S.TERMINATED,
    S.WITHDRAWN,
    S.DRAFT,
    S.MORE_INFO,
}

# Statuses in which the organization may edit its application online: a draft,
# and one staff asked more information about. Every other status is refused; from
# a decision on (`DECIDED`) the application is frozen for good.
ORGANIZATION_EDITABLE = {S.DRAFT, S.MORE_INFO}
DECIDED = {
    S.APPROVED,
    S.REJECTED,
    S.IN_PUBLIC_NOTICE,
    S.AWARDED,
    S.IN_PROGRESS,
    S.MIDTERM_CHECKED,
    S.COMPLETED,
    S.TERMINATED,
}


# The moves of an award's mid-term or final report (`funding.models.ReportStatus`):
# the organization drafts and submits; the fund manager approves or returns it
# with a reason; a returned report is edited and submitted again. An approved
# report is final (it may release a tranche).
REPORT_TRANSITIONS = {
    R.DRAFT: {R.SUBMITTED},
    R.SUBMITTED: {R.APPROVED, R.RETURNED},
    R.RETURNED: {R.SUBMITTED},
    R.APPROVED: set(),
}


def allowed_moves(status):
    """The statuses an application in `status` may move to (a set)."""
    return TRANSITIONS[S(status)]


def move_refusal(application, to):
    """The reason a move is refused, or None when it is allowed."""
    current = S(application.status)
    to = S(to)
    if to not in TRANSITIONS[current]:
        allowed = "、".join(str(s.label) for s in sorted(TRANSITIONS[current]))
        return _(
            "An application that is “%(current)s” cannot become “%(to)s”. "
            "Allowed next: %(allowed)s."
        ) % {
            "current": current.label,
            "to": to.label,
            "allowed": allowed or _("none (this is a final state)"),
        }
    return None
