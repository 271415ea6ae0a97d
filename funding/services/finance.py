"""The finance desk's writes: approving or paying several payments at once, award
disbursements and purchase payments alike, all or nothing."""

from django.db import transaction
from django.utils.translation import gettext as _

from funding.errors import FundingError
from funding.models import Disbursement
from funding.services.disbursements import disbursement_approve, disbursement_pay
from funding.services.payments import voucher_clean
from funding.services.purchases import purchase_payment_approve, purchase_payment_pay


@transaction.atomic
def payments_approve(payments, *, user):
    """Approve each of `payments` (Disbursement or PurchasePayment instances) as
    `disbursement_approve` / `purchase_payment_approve` do. All or nothing: the
    first refusal (FundingError, prefixed with the payee) undoes the others.
    Returns the number approved."""
    for payment in payments:
        if isinstance(payment, Disbursement):
            disbursement_approve(payment, user=user)
        else:
            purchase_payment_approve(payment, user=user)
    return len(payments)


@transaction.atomic
def payments_pay(items, *, user, paid_on):
    """Pay several approved payments on one 付款日期 (`paid_on`, a date), each with
    its own 凭证号: `items` is a list of (payment, voucher number). Each goes
    through `disbursement_pay` / `purchase_payment_pay` (separation of duties,
    money limits, voucher and date rules); two items with the same voucher number
    are refused. All or nothing (FundingError). Returns the number paid."""
    vouchers = [voucher_clean(voucher) for _payment, voucher in items]
    repeated = sorted({v for v in vouchers if v and vouchers.count(v) > 1})
    if repeated:
        raise FundingError(
            {
                "voucher_number": [
                    _(
                        "Each payment has its own voucher number: %(numbers)s is given twice."
                    )
                    % {"numbers": "、".join(repeated)}
                ]
            }
        )
    for payment, voucher in items:
        pay = (
            disbursement_pay
            if isinstance(payment, Disbursement)
            else purchase_payment_pay
        )
        pay(payment, user=user, voucher_number=voucher, paid_on=paid_on)
    return len(items)
