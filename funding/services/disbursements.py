"""Disbursements of an award: recorded (clerk), approved (fund manager), paid
(finance), or rejected.

Money rule: for every award and every tranche, the disbursements that are recorded,
approved or paid never add up to more than the approved amount or the tranche's
amount. Every service that adds or approves money locks the award row first, so two
clerks recording at the same moment are served one after the other.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.money import MONEY, yuan_text
from core.numbers import parse_decimal
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.models import Award, Disbursement, Tranche
from funding.models.awards import COMMITTED, DisbursementStatus
from funding.permissions import APPROVE, PAY, payment_duty_refusal
from funding.services.notifications import disbursement_waiting_notify
from funding.services.tranches import tranche_open_condition


def money(value, field="amount"):
    """A positive amount in yuan from user input (at most 999,999,999,999.99, the
    14 digits of the money fields), or a FundingError naming `field`. Parsing is
    `core.numbers.parse_decimal` (no server error on
    999999999999999999999999999999, NaN, Infinity or 1e400)."""
    try:
        amount = parse_decimal(value, money=True, **MONEY)
    except ValidationError as exc:
        if exc.code == "invalid":
            message = _("“%(value)s” is not an amount in yuan.") % {"value": value}
        elif exc.code == "max_decimal_places":
            message = _("Amounts are in yuan with at most two decimals.")
        else:
            message = exc.messages[0]
        raise FundingError({field: [message]}) from None
    if amount <= 0:
        raise FundingError({field: [_("The amount must be more than zero.")]})
    return amount


def _refuse_unless_payable(award):
    status = award.application.status
    if status == S.TERMINATED:
        raise FundingError(
            _("The award was terminated on %(day)s: nothing more can be paid.")
            % {"day": award.terminated_on}
        )
    if status == S.COMPLETED:
        raise FundingError(_("The award is completed: nothing more can be paid."))
    if not award.agreement_signed_on or status not in (
        S.IN_PROGRESS,
        S.MIDTERM_CHECKED,
    ):
        raise FundingError(
            _("No payment before the agreement is signed (the award is “%(s)s”).")
            % {"s": award.get_status_display()}
        )


def _refuse_over(award, tranche, amount, statuses, exclude=None):
    in_tranche = tranche.disbursements.filter(status__in=statuses)
    in_award = Disbursement.objects.filter(tranche__award=award, status__in=statuses)
    if exclude is not None:
        in_tranche = in_tranche.exclude(pk=exclude.pk)
        in_award = in_award.exclude(pk=exclude.pk)
    tranche_used = sum((d.amount for d in in_tranche), Decimal("0"))
    award_used = sum((d.amount for d in in_award), Decimal("0"))
    if tranche_used + amount > tranche.amount:
        raise FundingError(
            {
                "amount": [
                    _(
                        "%(tranche)s holds %(total)s yuan and %(used)s are already "
                        "recorded: at most %(left)s yuan more, not %(amount)s."
                    )
                    % {
                        "tranche": tranche,
                        "total": yuan_text(tranche.amount),
                        "used": yuan_text(tranche_used),
                        "left": yuan_text(tranche.amount - tranche_used),
                        "amount": yuan_text(amount),
                    }
                ]
            }
        )
    if award_used + amount > award.approved_amount:
        raise FundingError(
            {
                "amount": [
                    _(
                        "The award is %(total)s yuan and %(used)s are already "
                        "recorded: at most %(left)s yuan more."
                    )
                    % {
                        "total": yuan_text(award.approved_amount),
                        "used": yuan_text(award_used),
                        "left": yuan_text(award.approved_amount - award_used),
                    }
                ]
            }
        )


@transaction.atomic
def disbursement_record(tranche, *, amount, user, note=""):
    """Record a payment against a tranche (awaiting the fund manager's approval)."""
    amount = money(amount)
    award = Award.objects.select_for_update().get(pk=tranche.award_id)
    tranche = Tranche.objects.get(pk=tranche.pk)
    _refuse_unless_payable(award)
    open_condition = tranche_open_condition(tranche)
    if open_condition:
        raise FundingError(
            _("%(tranche)s cannot be released yet: %(condition)s.")
            % {"tranche": tranche, "condition": open_condition}
        )
    _refuse_over(award, tranche, amount, COMMITTED)
    disbursement = Disbursement(
        tranche=tranche, amount=amount, note=note, recorded_by=user
    )
    disbursement._history_user = user
    disbursement.save()
    log(award, "funding.disbursement_recorded", user=user, data={"amount": str(amount)})
    disbursement_waiting_notify(disbursement, actor=user)
    return disbursement


def _locked(disbursement):
    disbursement = Disbursement.objects.select_related("tranche").get(
        pk=disbursement.pk
    )
    award = Award.objects.select_for_update().get(pk=disbursement.tranche.award_id)
    return Disbursement.objects.select_for_update().get(pk=disbursement.pk), award


@transaction.atomic
def disbursement_approve(disbursement, *, user):
    """First approval: a fund manager other than the one who recorded it
    (`funding.permissions.payment_duty_refusal`)."""
    disbursement, award = _locked(disbursement)
    if disbursement.status != DisbursementStatus.RECORDED:
        raise FundingError(
            _("This disbursement is “%(s)s”: it cannot be approved now.")
            % {"s": disbursement.get_status_display()}
        )
    refusal = payment_duty_refusal(disbursement, user, APPROVE)
    if refusal:
        raise FundingError(refusal)
    _refuse_unless_payable(award)
    disbursement.status = DisbursementStatus.APPROVED
    disbursement.approved_by = user
    disbursement.approved_at = timezone.now()
    disbursement._history_user = user
    disbursement.save()
    log(award, "funding.disbursement_approved", user=user)
    disbursement_waiting_notify(disbursement, actor=user)
    return disbursement


@transaction.atomic
def disbursement_pay(disbursement, *, user, paid_on=None):
    """Second approval: finance, someone other than whoever recorded or approved
    it (`funding.permissions.payment_duty_refusal`). Paid amounts are checked
    again against the tranche and the award."""
    disbursement, award = _locked(disbursement)
    if disbursement.status != DisbursementStatus.APPROVED:
        raise FundingError(
            _(
                "Finance pays only disbursements the fund manager has approved; "
                "this one is “%(s)s”."
            )
            % {"s": disbursement.get_status_display()}
        )
    refusal = payment_duty_refusal(disbursement, user, PAY)
    if refusal:
        raise FundingError(refusal)
    _refuse_unless_payable(award)
    _refuse_over(
        award,
        disbursement.tranche,
        disbursement.amount,
        [DisbursementStatus.PAID],
        exclude=disbursement,
    )
    disbursement.status = DisbursementStatus.PAID
    disbursement.paid_by = user
    disbursement.paid_on = paid_on or timezone.localdate()
    disbursement._history_user = user
    disbursement.save()
    log(award, "funding.disbursement_paid", user=user)
    return disbursement


def payment_mark_rejected(payment, *, user, reason, refusal):
    """Reject a locked award disbursement or purchase payment that is recorded or
    approved, not yet paid: its money is freed. `refusal` is the message (with
    ``%(s)s`` for the status) when it is in another state; an empty `reason` is
    refused on the ``reason`` field. Raises FundingError. The one body of
    `disbursement_reject` and `funding.services.purchases.purchase_payment_reject`."""
    if payment.status not in (
        DisbursementStatus.RECORDED,
        DisbursementStatus.APPROVED,
    ):
        raise FundingError(refusal % {"s": payment.get_status_display()})
    if not reason.strip():
        raise FundingError({"reason": [_("Give the reason for the rejection.")]})
    payment.status = DisbursementStatus.REJECTED
    payment.rejection_reason = reason[:255]
    payment._history_user = user
    payment.save()
    return payment


@transaction.atomic
def disbursement_reject(disbursement, *, user, reason):
    disbursement, award = _locked(disbursement)
    payment_mark_rejected(
        disbursement,
        user=user,
        reason=reason,
        refusal=_("This disbursement is “%(s)s”: it cannot be rejected."),
    )
    log(award, "funding.disbursement_rejected", user=user, data={"reason": reason})
    return disbursement
