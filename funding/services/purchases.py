"""Government service purchases: schedule check, payments (never more than the
contract nor an instalment) and the performance evaluation that gates the final
payment where the contract says so."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from funding.errors import FundingError
from funding.purchase_models import (
    Grade,
    PaymentInstalment,
    PerformanceEvaluation,
    PurchasePayment,
    ServicePurchase,
)
from funding.services.awards import money, yuan

# Score bands of the performance evaluation (lower bound inclusive, of 100).
GRADE_BANDS = [
    (Decimal("90"), Grade.EXCELLENT),
    (Decimal("80"), Grade.GOOD),
    (Decimal("60"), Grade.FAIR),
    (Decimal("0"), Grade.POOR),
]


def grade_for(score):
    """优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60."""
    try:
        score = Decimal(str(score))
    except (InvalidOperation, ValueError):
        raise FundingError(
            {"score": [_("“%(value)s” is not a score.") % {"value": score}]}
        ) from None
    if not score.is_finite() or score < 0 or score > 100:
        raise FundingError({"score": [_("The score is between 0 and 100.")]})
    for floor, grade in GRADE_BANDS:
        if score >= floor:
            return grade
    return Grade.POOR  # pragma: no cover


def purchase_schedule_check(contract_amount, instalments):
    """instalments: (amount, is_final) pairs. They add up to the contract amount,
    and the final payment, if marked, is one instalment only."""
    amounts = [Decimal(a) for a, _final in instalments]
    total = sum(amounts, Decimal("0"))
    if contract_amount is not None and total != Decimal(contract_amount):
        raise FundingError(
            _(
                "The payment schedule adds up to %(total)s yuan; the contract is "
                "%(contract)s yuan."
            )
            % {"total": yuan(total), "contract": yuan(contract_amount)}
        )
    if sum(1 for _a, final in instalments if final) > 1:
        raise FundingError(_("Only one instalment can be the final payment."))


def purchase_payment_refusal(purchase, instalment, amount, paid_on):
    """Why this payment cannot be made, or None. (Checked again under lock.)"""
    if instalment.purchase_id != purchase.pk:
        return _("The instalment belongs to another purchase.")
    if paid_on < purchase.signed_on:
        return _("No payment before the contract is signed (%(day)s).") % {
            "day": purchase.signed_on
        }
    paid_instalment = instalment.paid_total
    if paid_instalment + amount > instalment.amount:
        return _(
            "“%(label)s” is %(total)s yuan and %(paid)s are paid: at most %(left)s "
            "yuan more, not %(amount)s."
        ) % {
            "label": instalment.label,
            "total": yuan(instalment.amount),
            "paid": yuan(paid_instalment),
            "left": yuan(instalment.amount - paid_instalment),
            "amount": yuan(amount),
        }
    paid = purchase.paid_total
    if paid + amount > purchase.contract_amount:
        return _(
            "The contract is %(total)s yuan and %(paid)s are paid: at most %(left)s "
            "yuan more."
        ) % {
            "total": yuan(purchase.contract_amount),
            "paid": yuan(paid),
            "left": yuan(purchase.contract_amount - paid),
        }
    if instalment.is_final and purchase.final_payment_needs_evaluation:
        evaluation = PerformanceEvaluation.objects.filter(purchase=purchase).first()
        if evaluation is None:
            return _(
                "The contract makes the final payment depend on the performance "
                "evaluation, and none is recorded yet."
            )
        if evaluation.grade == Grade.POOR:
            return _(
                "The performance evaluation graded the service “%(grade)s” "
                "(%(score)s): the contract's final payment is withheld."
            ) % {"grade": evaluation.get_grade_display(), "score": evaluation.score}
    return None


@transaction.atomic
def purchase_pay(purchase, *, instalment, amount, paid_on, user, note=""):
    amount = money(amount)
    purchase = ServicePurchase.objects.select_for_update().get(pk=purchase.pk)
    instalment = PaymentInstalment.objects.get(pk=instalment.pk)
    refusal = purchase_payment_refusal(purchase, instalment, amount, paid_on)
    if refusal:
        raise FundingError({"amount": [refusal]})
    payment = PurchasePayment(
        purchase=purchase,
        instalment=instalment,
        amount=amount,
        paid_on=paid_on,
        note=note,
        recorded_by=user,
    )
    payment._history_user = user
    payment.save()
    log(purchase, "funding.purchase_paid", user=user, data={"amount": str(amount)})
    return payment


@transaction.atomic
def evaluation_record(purchase, *, score, evaluated_on, evaluator, user, comment=""):
    """Record (or correct) the purchase's performance evaluation; the grade follows
    the score bands."""
    purchase = ServicePurchase.objects.select_for_update().get(pk=purchase.pk)
    grade = grade_for(score)
    evaluation = PerformanceEvaluation.objects.filter(purchase=purchase).first()
    if evaluation is None:
        evaluation = PerformanceEvaluation(purchase=purchase)
    evaluation.score = Decimal(str(score))
    evaluation.grade = grade
    evaluation.evaluated_on = evaluated_on
    evaluation.evaluator = evaluator
    evaluation.comment = comment
    evaluation._history_user = user
    evaluation.save()
    log(purchase, "funding.evaluated", user=user, data={"score": str(score)})
    return evaluation
