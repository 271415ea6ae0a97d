"""The finance desk's reads: award disbursements and purchase payments alike, what
waits for the signed-in user's step (approve: fund manager; pay: finance), the
total waiting, the payee and the payee's account, masked except to finance paying."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from funding.models import Disbursement, PurchasePayment
from funding.models.awards import DisbursementStatus
from funding.permissions import (
    APPROVE,
    APPROVE_DISBURSEMENT,
    APPROVE_PURCHASE,
    PAY,
    PAY_DISBURSEMENT,
    PAY_PURCHASE,
    payment_next_step,
)

AWARD = "award"
PURCHASE = "purchase"

#: kind → (model, approve permission, pay permission)
KINDS = {
    AWARD: (Disbursement, APPROVE_DISBURSEMENT, PAY_DISBURSEMENT),
    PURCHASE: (PurchasePayment, APPROVE_PURCHASE, PAY_PURCHASE),
}

#: How many payments returned by finance the fund manager's desk lists.
RETURNED_SHOWN = 20


def mask_account(account):
    """A bank account as shown to everyone but finance paying: the first four and
    the last four digits, the rest hidden, the length too
    (``mask_account("6222021234561234")`` → "6222 **** **** 1234"); "" for none,
    "**** 1234" for an account of eight digits or fewer."""
    account = "".join(str(account or "").split())
    if not account:
        return ""
    if len(account) <= 8:
        return f"**** {account[-4:]}"
    return f"{account[:4]} **** **** {account[-4:]}"


def group_account(account):
    """The whole account in groups of four digits, as finance types it into the
    bank's system ("6222 0212 3456 1234")."""
    account = "".join(str(account or "").split())
    return " ".join(account[i : i + 4] for i in range(0, len(account), 4))


def desk_kinds(user, step):
    """The kinds (AWARD, PURCHASE) of payment on which `user` holds the permission
    of `step` (APPROVE or PAY)."""
    index = 1 if step == APPROVE else 2  # APPROVE or PAY
    return [kind for kind, spec in KINDS.items() if user.has_perm(spec[index])]


def uses_desk(user):
    """Whether `user` has a step on any payment (the desk's permission)."""
    return bool(desk_kinds(user, APPROVE) or desk_kinds(user, PAY))


def _queryset(kind):
    if kind == AWARD:
        return Disbursement.objects.select_related(
            "tranche__award__application__organization",
            "recorded_by",
            "approved_by",
            "rejected_by",
        )
    return PurchasePayment.objects.select_related(
        "purchase__supplier", "instalment", "recorded_by", "approved_by", "rejected_by"
    )


@dataclass
class DeskRow:
    """One payment on the desk. `key` is "award-<pk>" or "purchase-<pk>";
    `amount` in 元; `account` the full account (shown only to finance paying)."""

    key: str
    kind: str
    payment: object
    payee: str
    bank_name: str
    account: str
    purpose: str
    amount: Decimal
    step: str = None
    refusal: str = None

    @property
    def kind_label(self):
        return _("Award disbursement") if self.kind == AWARD else _("Purchase payment")

    @property
    def account_masked(self):
        return mask_account(self.account)

    @property
    def account_grouped(self):
        return group_account(self.account)


def desk_row(kind, payment, user=None):
    """The `DeskRow` of one payment (with `user`'s next step on it when given)."""
    if kind == AWARD:
        award = payment.tranche.award
        organization = award.application.organization
        payee = organization.name
        purpose = f"{award.application.title} · {payment.tranche}"
    else:
        organization = payment.purchase.supplier
        payee = payment.purchase.supplier_display
        purpose = f"{payment.purchase.title} · {payment.instalment.label}"
    row = DeskRow(
        key=f"{kind}-{payment.pk}",
        kind=kind,
        payment=payment,
        payee=payee,
        bank_name=organization.bank_name if organization else "",
        account=organization.bank_account if organization else "",
        purpose=purpose,
        amount=payment.amount,
    )
    if user is not None:
        _model, approve_perm, pay_perm = KINDS[kind]
        row.step, row.refusal = payment_next_step(
            payment, user, approve_perm=approve_perm, pay_perm=pay_perm
        )
    return row


def waiting_for(user):
    """The payments waiting for `user`'s step, oldest first, as DeskRows: recorded
    ones not recorded by them (to approve, where they may approve that kind) and
    approved ones they neither recorded nor approved (to pay, where they may pay
    it) — separation of duties (DESIGN.md) leaves out the rest."""
    rows = []
    for kind in desk_kinds(user, APPROVE):
        payments = (
            _queryset(kind)
            .filter(status=DisbursementStatus.RECORDED)
            .exclude(recorded_by=user)
        )
        rows += [desk_row(kind, p, user) for p in payments.order_by("pk")]
    for kind in desk_kinds(user, PAY):
        payments = (
            _queryset(kind)
            .filter(status=DisbursementStatus.APPROVED)
            .exclude(recorded_by=user)
            .exclude(approved_by=user)
        )
        rows += [desk_row(kind, p, user) for p in payments.order_by("approved_at")]
    return rows


def returned_to(user):
    """The latest payments finance sent back (rejected after approval, the reason
    kept), for a fund manager's desk: up to `RETURNED_SHOWN` DeskRows."""
    rows = []
    for kind in desk_kinds(user, APPROVE):
        payments = (
            _queryset(kind)
            .filter(status=DisbursementStatus.REJECTED)
            .exclude(approved_by=None)
            .order_by("-pk")[:RETURNED_SHOWN]
        )
        rows += [desk_row(kind, p) for p in payments]
    return rows


def desk_total(rows):
    """The total in 元 of `rows` (a Decimal)."""
    return sum((row.amount for row in rows), Decimal("0"))


def payments_for_step(user, step, keys):
    """The DeskRows named by `keys` ("award-3", "purchase-5") that wait for `user`'s
    `step` (APPROVE or PAY). Returns (rows, missing): `missing` is true when a key
    is malformed or names a payment outside what waits for the user — the screens
    answer 404 then (the product's one refusal for a record outside one's scope)."""
    wanted = {}
    for key in keys:
        kind, _sep, pk = str(key).partition("-")
        if kind not in KINDS or not (pk.isascii() and pk.isdigit()):
            return [], True
        wanted.setdefault(kind, set()).add(int(pk))
    rows = [
        row
        for row in waiting_for(user)
        if row.step == step and row.payment.pk in wanted.get(row.kind, ())
    ]
    found = {(row.kind, row.payment.pk) for row in rows}
    expected = {(kind, pk) for kind, pks in wanted.items() for pk in pks}
    return rows, found != expected or not expected
