"""Government service purchases: schedule check, payments (never more than the
contract nor an instalment) and the performance evaluation that gates the final
payment where the contract says so."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.fields import text_refusals
from core.money import yuan_text
from core.numbers import parse_decimal
from funding.errors import FundingError
from funding.models.awards import COMMITTED, DisbursementStatus
from funding.models.purchases import (
    Grade,
    PaymentInstalment,
    PerformanceEvaluation,
    PurchasePayment,
    ServiceCategory,
    ServicePurchase,
    SupplierKind,
)
from funding.services.disbursements import money
from funding.services.notifications import purchase_payment_waiting_notify
from funding.services.payments import (
    payment_mark_approved,
    payment_mark_paid,
    payment_mark_rejected,
    payment_pay_refusal,
)

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
        score = parse_decimal(score, max_digits=5, decimal_places=2)
    except ValidationError as exc:
        if exc.code != "invalid":
            raise FundingError(
                {"score": [_("The score is between 0 and 100.")]}
            ) from None
        raise FundingError(
            {"score": [_("“%(value)s” is not a score.") % {"value": score}]}
        ) from None
    if score < 0 or score > 100:
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
            % {"total": yuan_text(total), "contract": yuan_text(contract_amount)}
        )
    if sum(1 for _a, final in instalments if final) > 1:
        raise FundingError(_("Only one instalment can be the final payment."))


def purchase_schedule_change_refusal(purchase, order, deleted):
    """Why an edit of a purchase's payment schedule cannot be saved, or None.

    `order`: the instalment pks in their new order, None for a new instalment;
    `deleted`: the pks of the instalments the edit removes. Instalments are paid
    in the order entered, so:

    - an instalment with a payment on it (recorded, approved, paid or rejected:
      the payment keeps its record) is never removed;
    - once a payment is recorded, the instalments that have one keep their
      positions: none moves, and no instalment is put before one of them (moving
      the unpaid 尾款 first would let it be paid before the first instalment, and
      leave the paid one behind an unpaid one). Instalments after the last one
      with a payment may still be added, reordered or removed.
    """
    paid_on = set(
        PurchasePayment.objects.filter(purchase=purchase).values_list(
            "instalment_id", flat=True
        )
    )
    if not paid_on:
        return None
    if paid_on & set(deleted):
        return _(
            "An instalment with a payment recorded against it cannot be removed; "
            "change its amount instead."
        )
    stored = list(
        PaymentInstalment.objects.filter(purchase=purchase)
        .order_by("sort_order", "pk")
        .values_list("pk", flat=True)
    )
    last = max(stored.index(pk) for pk in paid_on if pk in stored)
    if list(order[: last + 1]) != stored[: last + 1]:
        return _(
            "Payments have been recorded against this schedule: the instalments up "
            "to the last one with a payment keep their order. New instalments go "
            "after it."
        )
    return None


def _earlier_unpaid(instalment):
    """The first instalment before this one (by position) not yet fully paid."""
    for earlier in PaymentInstalment.objects.filter(
        purchase_id=instalment.purchase_id
    ).order_by("sort_order", "pk"):
        if earlier.pk == instalment.pk:
            return None
        if earlier.paid_total < earlier.amount:
            return earlier
    return None


def _held(payments, exclude):
    payments = payments.filter(status__in=COMMITTED)
    if exclude is not None:
        payments = payments.exclude(pk=exclude.pk)
    return payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def purchase_payment_refusal(purchase, instalment, amount, paid_on=None, exclude=None):
    """Why this payment cannot be recorded (or, with `paid_on`, paid), or None.
    Checked again under lock by the services.

    Rules: the instalment is the purchase's; instalments are paid in order
    (instalment n+1 waits until n is paid in full); recorded, approved
    and paid payments together stay within the instalment and the contract (yuan);
    a final payment the contract ties to the performance evaluation waits for a
    grade better than 差; nothing is paid before the contract is signed."""
    if instalment.purchase_id != purchase.pk:
        return _("The instalment belongs to another purchase.")
    if paid_on is not None and paid_on < purchase.signed_on:
        return _("No payment before the contract is signed (%(day)s).") % {
            "day": purchase.signed_on
        }
    earlier = _earlier_unpaid(instalment)
    if earlier is not None:
        return _(
            "Instalments are paid in order: “%(earlier)s” is not paid in full yet "
            "(%(paid)s of %(total)s yuan paid), so “%(label)s” waits."
        ) % {
            "earlier": earlier.label,
            "paid": yuan_text(earlier.paid_total),
            "total": yuan_text(earlier.amount),
            "label": instalment.label,
        }
    held_instalment = _held(instalment.payments, exclude)
    if held_instalment + amount > instalment.amount:
        return _(
            "“%(label)s” is %(total)s yuan and %(paid)s are paid: at most %(left)s "
            "yuan more, not %(amount)s."
        ) % {
            "label": instalment.label,
            "total": yuan_text(instalment.amount),
            "paid": yuan_text(held_instalment),
            "left": yuan_text(instalment.amount - held_instalment),
            "amount": yuan_text(amount),
        }
    held = _held(purchase.payments, exclude)
    if held + amount > purchase.contract_amount:
        return _(
            "The contract is %(total)s yuan and %(paid)s are paid: at most %(left)s "
            "yuan more."
        ) % {
            "total": yuan_text(purchase.contract_amount),
            "paid": yuan_text(held),
            "left": yuan_text(purchase.contract_amount - held),
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
def purchase_payment_record(purchase, *, instalment, amount, user, note=""):
    """Record a payment against an instalment (awaiting a fund manager's
    approval, then finance). `amount` in yuan as typed; a `note` longer than its
    column (200 characters) is refused whole (`core.fields.text_refusals`).
    Raises FundingError."""
    too_long = text_refusals(PurchasePayment, note=note)
    if too_long:
        raise FundingError(too_long)
    amount = money(amount)
    purchase = ServicePurchase.objects.select_for_update().get(pk=purchase.pk)
    instalment = PaymentInstalment.objects.get(pk=instalment.pk)
    refusal = purchase_payment_refusal(purchase, instalment, amount)
    if refusal:
        raise FundingError({"amount": [refusal]})
    payment = PurchasePayment(
        purchase=purchase,
        instalment=instalment,
        amount=amount,
        note=note,
        recorded_by=user,
    )
    payment._history_user = user
    payment.save()
    log(purchase, "funding.purchase_recorded", user=user, data={"amount": str(amount)})
    purchase_payment_waiting_notify(payment, actor=user)
    return payment


def _locked_payment(payment):
    payment = PurchasePayment.objects.get(pk=payment.pk)
    purchase = ServicePurchase.objects.select_for_update().get(pk=payment.purchase_id)
    return PurchasePayment.objects.select_for_update().get(pk=payment.pk), purchase


@transaction.atomic
def purchase_payment_approve(payment, *, user, on=None):
    """First approval by a fund manager other than the recorder, today or on the
    date `on` (`funding.services.payments.payment_mark_approved`)."""
    payment, purchase = _locked_payment(payment)
    payment_mark_approved(payment, user=user, on=on)
    log(purchase, "funding.purchase_approved", user=user)
    purchase_payment_waiting_notify(payment, actor=user)
    return payment


@transaction.atomic
def purchase_payment_pay(payment, *, user, voucher_number, paid_on):
    """Finance pays an approved payment: a third person (neither the recorder nor
    the approver), with its 凭证号 and 付款日期 (`paid_on`, a date)
    (`funding.services.payments.payment_mark_paid`). The instalment order, the
    contract and the evaluation gate are checked again. Raises FundingError."""
    payment, purchase = _locked_payment(payment)
    refusal = payment_pay_refusal(payment, user)
    if refusal:
        raise FundingError(refusal)
    if paid_on is not None:
        refusal = purchase_payment_refusal(
            purchase, payment.instalment, payment.amount, paid_on, exclude=payment
        )
        if refusal:
            raise FundingError(refusal)
    payment_mark_paid(
        payment, user=user, voucher_number=voucher_number, paid_on=paid_on
    )
    log(
        purchase,
        "funding.purchase_paid",
        user=user,
        data={"amount": str(payment.amount), "voucher_number": payment.voucher_number},
    )
    return payment


@transaction.atomic
def purchase_payment_reject(payment, *, user, reason):
    """Reject a payment not yet paid, with its reason (fund manager, or finance
    returning an approved one); its money is freed. Rules:
    `payments.payment_mark_rejected`."""
    payment, purchase = _locked_payment(payment)
    payment_mark_rejected(
        payment,
        user=user,
        reason=reason,
        refusal=_("This payment is “%(s)s”: it cannot be rejected."),
    )
    log(purchase, "funding.purchase_rejected", user=user, data={"reason": reason})
    return payment


def evaluation_date_refusal(purchase, evaluated_on):
    """Why an evaluation dated `evaluated_on` is refused, or None: a performance
    evaluation judges the whole service, so it is not dated before the service
    period ends."""
    if evaluated_on is not None and evaluated_on < purchase.ends_on:
        return _(
            "The service period ends on %(end)s; the performance evaluation cannot "
            "be dated before that (%(day)s)."
        ) % {"end": purchase.ends_on, "day": evaluated_on}
    return None


@transaction.atomic
def evaluation_record(purchase, *, score, evaluated_on, evaluator, user, comment=""):
    """Record (or correct) the purchase's performance evaluation; the grade follows
    the score bands."""
    purchase = ServicePurchase.objects.select_for_update().get(pk=purchase.pk)
    refusal = evaluation_date_refusal(purchase, evaluated_on)
    if refusal:
        raise FundingError({"evaluated_on": [refusal]})
    grade = grade_for(score)
    evaluation = PerformanceEvaluation.objects.filter(purchase=purchase).first()
    if evaluation is None:
        evaluation = PerformanceEvaluation(purchase=purchase)
    evaluation.score = parse_decimal(score, max_digits=5, decimal_places=2)
    evaluation.grade = grade
    evaluation.evaluated_on = evaluated_on
    evaluation.evaluator = evaluator
    evaluation.comment = comment
    evaluation._history_user = user
    evaluation.save()
    log(purchase, "funding.evaluated", user=user, data={"score": str(score)})
    return evaluation


def purchase_record_refusals(*, starts_on, ends_on, score=None):
    """Why a purchase recorded from a province's files cannot be stored as given,
    as {field: message}; empty when it can. The contract period does not end
    before it starts; a performance-evaluation score is given only for a period
    that has ended (an evaluation judges the whole service:
    `evaluation_date_refusal`)."""
    refusals = {}
    if starts_on and ends_on and ends_on < starts_on:
        refusals["ends_on"] = _("The contract period cannot end before it starts.")
    elif score is not None and ends_on and ends_on > timezone.localdate():
        refusals["score"] = _(
            "The contract period ends on %(end)s: the service cannot be evaluated "
            "before that."
        ) % {"end": ends_on}
    return refusals


@transaction.atomic
def purchase_record(
    *,
    purchasing_department,
    service_category,
    procurement_method,
    contract_amount,
    supplier,
    starts_on,
    ends_on,
    user,
    title="",
    contract_number="",
    signed_on=None,
    score=None,
    evaluator="",
):
    """Record a government service purchase from a province's files: the
    contract of `contract_amount` 元 with the registered social organization
    `supplier` for `starts_on`–`ends_on`, one instalment of the whole amount (the
    final payment; the schedule was not in the file), and, when `score` (of 100)
    is given, its performance evaluation dated the end of the period with the
    grade of the bands (`evaluation_record`).

    Unknown in the file, so chosen here: the title defaults to the department and
    the service category, the signing date to the start of the period, the
    evaluator to "not recorded". Raises FundingError for the rules of
    `purchase_record_refusals` and of the schedule. Returns the purchase."""
    refusals = purchase_record_refusals(
        starts_on=starts_on, ends_on=ends_on, score=score
    )
    if refusals:
        raise FundingError({field: [message] for field, message in refusals.items()})
    amount = money(contract_amount, field="contract_amount")
    purchase_schedule_check(amount, [(amount, True)])
    category = dict(ServiceCategory.choices)[service_category]
    purchase = ServicePurchase(
        title=title or f"{purchasing_department} · {category}"[:200],
        purchasing_department=purchasing_department,
        service_category=service_category,
        procurement_method=procurement_method,
        contract_number=contract_number or "",
        contract_amount=amount,
        signed_on=signed_on or starts_on,
        starts_on=starts_on,
        ends_on=ends_on,
        supplier_kind=SupplierKind.SOCIAL_ORGANIZATION,
        supplier=supplier,
    )
    purchase._history_user = user
    purchase.save()
    instalment = PaymentInstalment(
        purchase=purchase,
        sort_order=0,
        label=_("Whole contract (schedule not recorded)"),
        due_on=ends_on,
        amount=amount,
        is_final=True,
    )
    instalment._history_user = user
    instalment.save()
    if score is not None:
        evaluation_record(
            purchase,
            score=score,
            evaluated_on=ends_on,
            evaluator=evaluator or _("Not recorded (imported)"),
            user=user,
        )
    return purchase


# What a spreadsheet may change on a stored purchase: its key (department,
# service category, supplier, start of the period) names it.
PURCHASE_FIELDS = (
    "title",
    "procurement_method",
    "contract_number",
    "contract_amount",
    "signed_on",
    "ends_on",
    "score",
    "evaluator",
)


def _purchase_state(purchase):
    """The stored purchase in the terms of `PURCHASE_FIELDS` (None for empty)."""
    evaluation = PerformanceEvaluation.objects.filter(purchase=purchase).first()
    return {
        "title": purchase.title or None,
        "procurement_method": purchase.procurement_method,
        "contract_number": purchase.contract_number or None,
        "contract_amount": purchase.contract_amount,
        "signed_on": purchase.signed_on,
        "ends_on": purchase.ends_on,
        "score": evaluation.score if evaluation else None,
        "evaluator": (evaluation.evaluator or None) if evaluation else None,
    }


def purchase_update_refusals(purchase, changes):
    """Why `changes` ({field: new value} over `PURCHASE_FIELDS`, None for an empty
    cell) cannot be made to the stored `purchase`, as {field: message}; empty when
    they can. Fields equal to the stored ones are no change.

    Rules (update by key, docs/imports.md; the rules of recording a purchase and its payments):
    those of `purchase_record_refusals` for the purchase as changed; the contract
    amount stays at least what is recorded, approved or paid, and follows into
    the schedule only while it is one instalment (a schedule of several is
    changed with the amount on the purchase's screen); no payment predates the
    signing date; the evaluation is not dated before the period ends
    (`evaluation_date_refusal`); an evaluation is not removed, and an evaluator
    comes with a score."""
    stored = _purchase_state(purchase)
    changed = {f: v for f, v in changes.items() if f in stored and v != stored[f]}
    if not changed:
        return {}
    merged = {**stored, **changed}
    refusals = purchase_record_refusals(
        starts_on=purchase.starts_on,
        ends_on=merged["ends_on"],
        score=merged["score"] if "score" in changed else None,
    )
    if "contract_amount" in changed:
        held = purchase.committed_total
        instalments = purchase.instalments.count()
        if merged["contract_amount"] < held:
            refusals["contract_amount"] = _(
                "%(held)s yuan is already recorded, approved or paid on this "
                "contract: the amount cannot be less."
            ) % {"held": yuan_text(held)}
        elif instalments != 1:
            refusals["contract_amount"] = _(
                "The payment schedule has %(count)s instalments: change the contract "
                "amount with its schedule on the purchase's screen."
            ) % {"count": instalments}
    if "signed_on" in changed and merged["signed_on"]:
        first_paid = (
            purchase.payments.filter(status=DisbursementStatus.PAID)
            .exclude(paid_on=None)
            .order_by("paid_on")
            .values_list("paid_on", flat=True)
            .first()
        )
        if first_paid and first_paid < merged["signed_on"]:
            refusals["signed_on"] = _(
                "A payment was made on %(paid)s: the contract cannot be signed after "
                "it (%(day)s)."
            ) % {"paid": first_paid, "day": merged["signed_on"]}
    evaluation = PerformanceEvaluation.objects.filter(purchase=purchase).first()
    if evaluation is not None:
        if "score" in changed and merged["score"] is None:
            refusals.setdefault(
                "score",
                _(
                    "The performance evaluation (%(score)s) is recorded: an import "
                    "does not remove it; give its score."
                )
                % {"score": evaluation.score},
            )
        if "ends_on" in changed and "ends_on" not in refusals:
            probe = ServicePurchase(ends_on=merged["ends_on"])
            refusal = evaluation_date_refusal(probe, evaluation.evaluated_on)
            if refusal:
                refusals["ends_on"] = refusal
    elif "evaluator" in changed and merged["score"] is None:
        refusals["evaluator"] = _("An evaluator is given with the evaluation's score.")
    return refusals


@transaction.atomic
def purchase_update(purchase, *, changes, user):
    """Bring a stored purchase to `changes` ({field: new value} over
    `PURCHASE_FIELDS`; fields left out stay as they are). The contract amount
    (元) carries into its one instalment; a score (of 100) is recorded through
    `evaluation_record` (graded by the bands), dated as the stored evaluation,
    or the end of the period for a first one. Every record's history names
    `user`.

    Unknown in a file, so chosen as `purchase_record` does: an empty title is
    "<department> · <category>", an empty signing date the start of the period.
    Raises FundingError ({field: message}) for the rules of
    `purchase_update_refusals`. Returns the purchase."""
    purchase = ServicePurchase.objects.select_for_update().get(pk=purchase.pk)
    refusals = purchase_update_refusals(purchase, changes)
    if refusals:
        raise FundingError({field: [message] for field, message in refusals.items()})
    stored = _purchase_state(purchase)
    changed = {f: v for f, v in changes.items() if f in stored and v != stored[f]}
    if not changed:
        return purchase
    category = dict(ServiceCategory.choices)[purchase.service_category]
    defaults = {
        "title": f"{purchase.purchasing_department} · {category}"[:200],
        "contract_number": "",
        "signed_on": purchase.starts_on,
    }
    for field in ("title", "procurement_method", "contract_number", "signed_on"):
        if field in changed:
            setattr(purchase, field, changed[field] or defaults[field])
    if "ends_on" in changed:
        purchase.ends_on = changed["ends_on"]
    if "contract_amount" in changed:
        purchase.contract_amount = money(
            changed["contract_amount"], field="contract_amount"
        )
        instalment = purchase.instalments.get()
        instalment.amount = purchase.contract_amount
        instalment._history_user = user
        instalment.save()
    purchase._history_user = user
    purchase.save()
    if "score" in changed or "evaluator" in changed:
        evaluation = PerformanceEvaluation.objects.filter(purchase=purchase).first()
        evaluation_record(
            purchase,
            score=changes.get("score", stored["score"]),
            evaluated_on=evaluation.evaluated_on if evaluation else purchase.ends_on,
            evaluator=changes.get("evaluator", stored["evaluator"])
            or _("Not recorded (imported)"),
            comment=evaluation.comment if evaluation else "",
            user=user,
        )
    return purchase
