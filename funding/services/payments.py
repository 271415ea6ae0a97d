"""The one payment step shared by award disbursements and purchase payments:
approve (fund manager), pay (finance, with 凭证号 and 付款日期), reject with reason.

`funding.services.disbursements` and `funding.services.purchases` lock their
record and its award or purchase, check their own money rules, then call these
for the step itself. The caller holds the row lock; these never lock."""

import datetime
import unicodedata

from django.utils import timezone
from django.utils.translation import gettext as _

from core.fields import text_refusals
from funding.errors import FundingError
from funding.models import Disbursement, PurchasePayment
from funding.models.awards import DisbursementStatus
from funding.permissions import APPROVE, PAY, payment_duty_refusal

#: The longest 凭证号 stored (characters).
VOUCHER_MAX = 40


def voucher_clean(value):
    """The 凭证号 as stored and compared (str): full-width letters, digits and
    signs as their half-width forms (Unicode NFKC: "ＰＺ２０２３－０１" is
    "PZ2023-01", the same voucher), invisible and control characters (a
    zero-width space pasted from a spreadsheet, NUL) dropped, spaces collapsed and
    trimmed. Without it one voucher typed in two forms would pass as two."""
    text = " ".join(unicodedata.normalize("NFKC", str(value or "")).split())
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))


def voucher_taken(voucher_number, year, *, exclude=None):
    """Whether `voucher_number` is already used by a payment paid in `year`,
    award disbursements and purchase payments together (a finance office numbers
    its vouchers once a year across every payment). `exclude`: the payment being
    paid."""
    for model in (Disbursement, PurchasePayment):
        used = model.objects.filter(voucher_year=year, voucher_number=voucher_number)
        if isinstance(exclude, model):
            used = used.exclude(pk=exclude.pk)
        if used.exists():
            return True
    return False


def pay_refusals(payment, *, voucher_number, paid_on, today=None):
    """Why `payment` cannot be paid with this 凭证号 on this 付款日期, as
    {field: message} (empty when it can). Rules (the payments desk, docs/funding.md): the voucher
    number is required, at most `VOUCHER_MAX` characters, and unique within the
    year of the payment date across award disbursements and purchase payments;
    the payment date is given, not in the future and not before the fund
    manager's approval."""
    today = today or timezone.localdate()
    refusals = {}
    voucher_number = voucher_clean(voucher_number)
    if not voucher_number:
        refusals["voucher_number"] = _("Give the voucher number of the payment.")
    elif len(voucher_number) > VOUCHER_MAX:
        refusals["voucher_number"] = _(
            "The voucher number has at most %(max)s characters."
        ) % {"max": VOUCHER_MAX}
    if paid_on is None:
        refusals["paid_on"] = _("Give the payment date.")
    elif paid_on > today:
        refusals["paid_on"] = _(
            "The payment date %(day)s is in the future: record a payment once it "
            "is made."
        ) % {"day": paid_on}
    elif payment.approved_at and paid_on < timezone.localdate(payment.approved_at):
        refusals["paid_on"] = _(
            "The payment date %(day)s is before the approval (%(approved)s)."
        ) % {"day": paid_on, "approved": timezone.localdate(payment.approved_at)}
    if (
        "voucher_number" not in refusals
        and paid_on is not None
        and voucher_taken(voucher_number, paid_on.year, exclude=payment)
    ):
        refusals["voucher_number"] = _(
            "Voucher number %(number)s is already used in %(year)s."
        ) % {"number": voucher_number, "year": paid_on.year}
    return refusals


def approval_time(on):
    """The moment an approval is stored at: now, or noon (local) of `on` for an
    approval recorded with its real date (a past payment). A date in the future is
    refused (FundingError on ``approved_on``)."""
    if on is None:
        return timezone.now()
    if on > timezone.localdate():
        raise FundingError(
            {"approved_on": [_("The approval date cannot be in the future.")]}
        )
    return timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))


def payment_mark_approved(payment, *, user, on=None):
    """Approve a locked payment that is recorded: by a fund manager other than its
    recorder (`funding.permissions.payment_duty_refusal`), today or on the date
    `on` (`approval_time`). Raises FundingError."""
    if payment.status != DisbursementStatus.RECORDED:
        raise FundingError(
            _("This payment is “%(s)s”: it cannot be approved now.")
            % {"s": payment.get_status_display()}
        )
    refusal = payment_duty_refusal(payment, user, APPROVE)
    if refusal:
        raise FundingError(refusal)
    payment.status = DisbursementStatus.APPROVED
    payment.approved_by = user
    payment.approved_at = approval_time(on)
    payment._history_user = user
    payment.save()
    return payment


def payment_pay_refusal(payment, user):
    """Why `user` may not pay the locked `payment` now, or None: only an approved
    payment is paid, by a third person (separation of duties)."""
    if payment.status != DisbursementStatus.APPROVED:
        return _(
            "Finance pays only payments a fund manager has approved; this one is "
            "“%(s)s”."
        ) % {"s": payment.get_status_display()}
    return payment_duty_refusal(payment, user, PAY)


def payment_mark_paid(payment, *, user, voucher_number, paid_on):
    """Pay a locked, approved payment: `payment_pay_refusal`, then the voucher and
    date rules of `pay_refusals` (FundingError {field: [message]}). The kind's own
    money rules are checked by the caller before. Returns the payment."""
    refusal = payment_pay_refusal(payment, user)
    if refusal:
        raise FundingError(refusal)
    refusals = pay_refusals(payment, voucher_number=voucher_number, paid_on=paid_on)
    if refusals:
        raise FundingError({field: [message] for field, message in refusals.items()})
    payment.status = DisbursementStatus.PAID
    payment.paid_by = user
    payment.paid_on = paid_on
    payment.voucher_number = voucher_clean(voucher_number)
    payment.voucher_year = paid_on.year
    payment._history_user = user
    payment.save()
    return payment


def payment_mark_rejected(payment, *, user, reason, refusal):
    """Reject a locked award disbursement or purchase payment that is recorded or
    approved, not yet paid: its money is freed, the reason and who rejected it are
    kept and shown to the fund manager. `refusal` is the message (with ``%(s)s``
    for the status) when it is in another state; an empty `reason`, or one longer
    than its column (255 characters, `core.fields.text_refusals`: never cut),
    is refused on the ``reason`` field. Raises FundingError."""
    if payment.status not in (
        DisbursementStatus.RECORDED,
        DisbursementStatus.APPROVED,
    ):
        raise FundingError(refusal % {"s": payment.get_status_display()})
    reason = reason.strip()
    if not reason:
        raise FundingError({"reason": [_("Give the reason for the rejection.")]})
    too_long = text_refusals(type(payment), rejection_reason=reason)
    if too_long:
        raise FundingError({"reason": too_long["rejection_reason"]})
    payment.status = DisbursementStatus.REJECTED
    payment.rejection_reason = reason
    payment.rejected_by = user
    payment._history_user = user
    payment.save()
    return payment
