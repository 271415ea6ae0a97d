"""An application's status moves, by the table in `funding/lifecycle.py`."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.lifecycle import NOTE_REQUIRED, move_refusal


@transaction.atomic
def application_move(application, to, *, user=None, note=""):
    """Move an application to `to` if `TRANSITIONS` allows it; log who and why.

    Raises FundingError when the move is not in the table, or when the target status
    needs a reason (`NOTE_REQUIRED`) and `note` is empty. Returns the application."""
    refusal = move_refusal(application, to)
    if refusal:
        raise FundingError(refusal)
    if S(to) in NOTE_REQUIRED and not note.strip():
        raise FundingError(_("Give the reason for this move."))
    previous = application.status
    application.status = S(to)
    if to == S.SUBMITTED:
        application.submitted_at = timezone.now()
    application._change_reason = note[:100] if note else None
    if user is not None:
        application._history_user = user
    application.save()
    log(
        application,
        "funding.status",
        user=user,
        data={"from": previous, "to": str(to), "note": note},
    )
    return application
