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
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.fields import text_refusals
from core.money import MONEY, yuan_text
from core.numbers import parse_decimal
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.models import Award, Disbursement, Tranche
from funding.models.awards import COMMITTED, DisbursementStatus
from funding.services.notifications import (
    disbursement_waiting_notify,
    tranche_paid_notify,
)
from funding.services.payments import (
    payment_mark_approved,
    payment_mark_paid,
    payment_mark_rejected,
    payment_pay_refusal,
)
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
    """Record a payment against a tranche (awaiting the fund manager's approval).
    A `note` longer than its column (200 characters) is refused whole
    (`core.fields.text_refusals`). Raises FundingError."""
    too_long = text_refusals(Disbursement, note=note)
    if too_long:
        raise FundingError(too_long)
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
def disbursement_approve(disbursement, *, user, on=None):
    """First approval: a fund manager other than the one who recorded it, today or
    on the date `on` (`funding.services.payments.payment_mark_approved`)."""
    disbursement, award = _locked(disbursement)
    if disbursement.status == DisbursementStatus.RECORDED:
        _refuse_unless_payable(award)
    payment_mark_approved(disbursement, user=user, on=on)
    log(award, "funding.disbursement_approved", user=user)
    disbursement_waiting_notify(disbursement, actor=user)
    return disbursement


@transaction.atomic
def disbursement_pay(disbursement, *, user, voucher_number, paid_on):
    """Second approval and payment by finance, someone other than whoever recorded
    or approved it, with its 凭证号 and 付款日期 (`paid_on`, a date)
    (`funding.services.payments.payment_mark_paid`). Paid amounts are checked
    again against the tranche and the award. Raises FundingError."""
    disbursement, award = _locked(disbursement)
    refusal = payment_pay_refusal(disbursement, user)
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
    payment_mark_paid(
        disbursement, user=user, voucher_number=voucher_number, paid_on=paid_on
    )
    log(
        award,
        "funding.disbursement_paid",
        user=user,
        data={"voucher_number": disbursement.voucher_number},
    )
    tranche_paid_notify(disbursement, actor=user)
    return disbursement


@transaction.atomic
def disbursement_reject(disbursement, *, user, reason):
    """Reject a disbursement not yet paid, with its reason (fund manager, or
    finance returning an approved one): `payments.payment_mark_rejected`."""
    disbursement, award = _locked(disbursement)
    payment_mark_rejected(
        disbursement,
        user=user,
        reason=reason,
        refusal=_("This disbursement is “%(s)s”: it cannot be rejected."),
    )
    log(award, "funding.disbursement_rejected", user=user, data={"reason": reason})
    return disbursement
