"""The funding line: down the ranking with the call's budget (`line_outcomes`, pure),
drawn and recorded (`funding_line_draw`), applied (`funding_line_apply`), and the
approve/reject decision by hand (`application_approve`, `application_reject`)."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.money import yuan_text
from funding.choices import ApplicationStatus, LineOutcome, ShortfallRule
from funding.errors import FundingError
from funding.models import Application, Call, FundingLine, FundingLineEntry
from funding.selectors.results import call_results, line_outdated_by
from funding.services.applications import application_move
from funding.services.portal import application_decided_notify


def line_outcomes(ranked, budget, rule):
    """Fund down the ranking until the budget is spent.

    ranked: [(key, requested)] best first. When the money left cannot cover the
    next application, REDUCE offers it the money left (and the line ends there);
    SKIP passes over it to the next one that fits. Returns
    [(key, outcome, amount)]."""
    left = Decimal(budget)
    outcomes = []
    closed = False
    for key, requested in ranked:
        requested = Decimal(requested)
        if closed or left <= 0:
            outcomes.append((key, LineOutcome.BELOW_LINE, Decimal("0")))
        elif requested <= left:
            outcomes.append((key, LineOutcome.FUNDED, requested))
            left -= requested
        elif rule == ShortfallRule.REDUCE:
            outcomes.append((key, LineOutcome.REDUCED, left))
            left = Decimal("0")
            closed = True
        else:
            outcomes.append((key, LineOutcome.SKIPPED, Decimal("0")))
    return outcomes


@transaction.atomic
def funding_line_draw(call, *, rule, reason, user):
    """Draw the funding line for the call's ranked applications and record it."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if rule not in ShortfallRule.values:
        raise FundingError({"rule": [_("Choose what to do with the money left.")]})
    if not reason.strip():
        raise FundingError({"reason": [_("Give the reason for this choice.")]})
    # Lock the call's applications: a review submitted meanwhile waits, or is in.
    list(
        Application.objects.select_for_update()
        .filter(call=call)
        .values_list("pk", flat=True)
    )
    ranked, _fallback = call_results(call)
    if not ranked:
        raise FundingError(_("No application of this call has been reviewed yet."))
    already = _approved_total(call)
    open_results = [
        r for r in ranked if r.application.status == ApplicationStatus.REVIEWED
    ]
    budget = call.total_budget - already
    outcomes = line_outcomes(
        [(r.key, r.application.requested_amount) for r in open_results], budget, rule
    )
    line = FundingLine.objects.create(
        call=call,
        budget=budget,
        shortfall_rule=rule,
        reason=reason.strip(),
        total_awarded=sum((amount for _k, _o, amount in outcomes), Decimal("0")),
        drawn_by=user,
    )
    by_key = {r.key: r for r in open_results}
    FundingLineEntry.objects.bulk_create(
        [
            FundingLineEntry(
                line=line,
                application=by_key[key].application,
                rank=by_key[key].rank,
                score=by_key[key].score,
                requested_amount=by_key[key].application.requested_amount,
                proposed_amount=amount,
                outcome=outcome,
                note=by_key[key].tie_note[:255],
            )
            for key, outcome, amount in outcomes
        ],
        batch_size=500,
    )
    log(call, "funding.line_drawn", user=user, data={"line": line.pk})
    return line


def _approved_total(call):
    return call.applications.filter(
        status__in=[
            ApplicationStatus.APPROVED,
            ApplicationStatus.IN_PUBLIC_NOTICE,
            ApplicationStatus.AWARDED,
            ApplicationStatus.IN_PROGRESS,
            ApplicationStatus.MIDTERM_CHECKED,
            ApplicationStatus.COMPLETED,
        ]
    ).aggregate(total=Sum("approved_amount"))["total"] or Decimal("0")


@transaction.atomic
def application_approve(application, *, amount, user, note=""):
    """Approve with an amount ≤ the request, the maximum and the budget left."""
    call = Call.objects.select_for_update().get(pk=application.call_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    amount = Decimal(amount)
    if amount <= 0:
        raise FundingError({"amount": [_("The approved amount must be positive.")]})
    if amount > application.requested_amount:
        raise FundingError(
            {"amount": [_("The approved amount cannot exceed the request.")]}
        )
    if amount > call.max_per_award:
        raise FundingError(
            {"amount": [_("The approved amount exceeds the call's maximum per award.")]}
        )
    left = call.total_budget - _approved_total(call)
    if amount > left:
        raise FundingError(
            {
                "amount": [
                    _("Only %(left)s yuan of the call's budget is left.")
                    % {"left": yuan_text(left)}
                ]
            }
        )
    application.approved_amount = amount
    application.decision_note = note
    application.decided_by = user
    application.decided_at = timezone.now()
    application_move(application, ApplicationStatus.APPROVED, user=user, note=note)
    log(application, "funding.approved", user=user, data={"amount": str(amount)})
    application_decided_notify(application, actor=user)
    return application


@transaction.atomic
def application_reject(application, *, user, note):
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.approved_amount = None
    application.decision_note = note
    application.decided_by = user
    application.decided_at = timezone.now()
    application_move(application, ApplicationStatus.REJECTED, user=user, note=note)
    log(application, "funding.rejected", user=user, data={"note": note})
    application_decided_notify(application, actor=user)
    return application


@transaction.atomic
def funding_line_apply(line, *, user):
    """Decide every open application of the line: funded/reduced ones approved
    with the proposed amount, the others rejected as below the line.

    Refused (FundingError) when a review was excluded for a conflict of interest
    after the line was drawn: the line must be drawn again first."""
    if line_outdated_by(line).exists():
        raise FundingError(
            _(
                "A review was excluded for a conflict of interest after this funding "
                "line was drawn: draw the line again before deciding."
            )
        )
    for entry in line.entries.select_related("application"):
        application = entry.application
        if application.status != ApplicationStatus.REVIEWED:
            continue
        if entry.outcome in (LineOutcome.FUNDED, LineOutcome.REDUCED):
            application_approve(
                application,
                amount=entry.proposed_amount,
                user=user,
                note=_("Above the funding line (rank %(rank)s).")
                % {"rank": entry.rank},
            )
        else:
            application_reject(
                application,
                user=user,
                note=_("%(outcome)s (rank %(rank)s).")
                % {"outcome": entry.get_outcome_display(), "rank": entry.rank},
            )
