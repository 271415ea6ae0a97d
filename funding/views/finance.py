"""The finance desk: award disbursements and purchase payments waiting for the
signed-in user's step (approve: fund manager; pay: finance), the total waiting,
and the batch form that approves or pays the selected ones after a confirmation."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import AdminDateInput

from core.confirmations import Confirmation, confirm_or_show, money_summary
from core.money import yuan_text
from funding.errors import FundingError
from funding.permissions import APPROVE, PAY
from funding.selectors.payments import (
    desk_total,
    payments_for_step,
    returned_to,
    uses_desk,
    waiting_for,
)
from funding.services.finance import payments_approve, payments_pay
from funding.services.payments import pay_refusals, voucher_clean
from funding.views.base import PermissionView, error_text

#: The steps the batch screen takes (`funding.permissions`).
STEPS = (APPROVE, PAY)


class DeskPermissionView(PermissionView):
    """Open to whoever approves or pays some kind of payment."""

    def dispatch(self, request, *args, **kwargs):
        if not uses_desk(request.user):
            raise PermissionDenied
        return super(PermissionView, self).dispatch(request, *args, **kwargs)


class PickForm(forms.Form):
    """The payments selected on the desk, one checkbox per row."""

    payments = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payments"].choices = [(row.key, row.payee) for row in rows]
        for row, box in zip(rows, self["payments"], strict=True):
            row.checkbox = box


class FinanceDeskView(DeskPermissionView):
    """What waits for me, award disbursements and purchase payments together, with
    the total in 元 and 万元; finance pays several at once, a fund manager
    approves several at once; each can be rejected with its reason."""

    template_name = "funding/finance_desk.html"
    page_title = gettext_lazy("Payments desk")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = waiting_for(self.request.user)
        to_approve = [row for row in rows if row.step == APPROVE]
        to_pay = [row for row in rows if row.step == PAY]
        PickForm(rows=to_approve, auto_id="id_approve_%s")
        PickForm(rows=to_pay, auto_id="id_pay_%s")
        context.update(
            groups=[
                (
                    APPROVE,
                    _("To approve"),
                    to_approve,
                    money_summary(desk_total(to_approve)),
                ),
                (PAY, _("To pay"), to_pay, money_summary(desk_total(to_pay))),
            ],
            total=money_summary(desk_total(rows)),
            count=len(rows),
            returned=returned_to(self.request.user),
        )
        return context


class PayForm(forms.Form):
    """The payment date of the batch and one 凭证号 per payment (`voucher_<key>`)."""

    paid_on = forms.DateField(
        label=gettext_lazy("Payment date"),
        widget=AdminDateInput,
        help_text=gettext_lazy("Not in the future, not before the approval."),
        error_messages={"required": gettext_lazy("Give the payment date.")},
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"voucher_{row.key}"] = forms.CharField(
                label=gettext_lazy("Voucher number"),
                required=False,  # refused with the service's own message
            )

    def row_fields(self):
        """(row, bound voucher field) pairs, in the order of the rows."""
        return [(row, self[f"voucher_{row.key}"]) for row in self.rows]

    def clean(self):
        """The rules of `funding.services.payments.pay_refusals` for each row (the
        service checks them again), and no voucher number twice in the batch."""
        data = super().clean()
        paid_on = data.get("paid_on")
        seen = set()
        for row in self.rows:
            name = f"voucher_{row.key}"
            voucher = voucher_clean(data.get(name))
            if voucher and voucher in seen:
                self.add_error(
                    name,
                    _("Voucher number %(number)s is given twice in this batch.")
                    % {"number": voucher},
                )
                continue
            seen.add(voucher)
            refusals = pay_refusals(
                row.payment, voucher_number=voucher, paid_on=paid_on
            )
            if "voucher_number" in refusals:
                self.add_error(name, refusals["voucher_number"])
            if paid_on is not None and "paid_on" in refusals:
                if "paid_on" not in self.errors:
                    self.add_error("paid_on", refusals["paid_on"])
        return data


class PaymentBatchView(DeskPermissionView):
    """Approve or pay the selected payments (`step` in the URL). Pay: the form asks
    the payment date and each 凭证号 (the whole account shown to finance here only),
    then the confirmation lists who gets what and the total, then all are paid or
    none. Approve: straight to the confirmation. Keys outside what waits for the
    user's step answer 404."""

    template_name = "funding/finance_pay.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in STEPS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        if self.kwargs["step"] == PAY:
            return _("Pay the selected payments")
        return _("Approve the selected payments")

    def get_parent(self):
        return reverse("funding_finance_desk"), _("Payments desk")

    def _rows(self, data):
        keys = data.getlist("payments") or [
            k for k in data.get("keys", "").split(",") if k
        ]
        if not keys:
            return None
        rows, missing = payments_for_step(self.request.user, self.kwargs["step"], keys)
        if missing:
            raise Http404
        return rows

    def get(self, request, *args, **kwargs):
        rows = self._rows(request.GET)
        if rows is None:
            return redirect("funding_finance_desk")
        if self.kwargs["step"] == APPROVE:
            return self._confirm(rows, {})
        self.form = PayForm(rows=rows, initial={"paid_on": timezone.localdate()})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = self.form.rows
        context.update(
            form=self.form,
            keys=",".join(row.key for row in rows),
            total=money_summary(desk_total(rows)),
        )
        return context

    def post(self, request, *args, **kwargs):
        rows = self._rows(request.POST)
        if not rows:
            messages.error(request, _("Select the payments first."))
            return redirect("funding_finance_desk")
        if self.kwargs["step"] == APPROVE:
            return self._confirm(rows, {})
        if request.POST.get("stage") != "form":
            self.form = PayForm(rows=rows, initial={"paid_on": timezone.localdate()})
            return self.render_to_response(self.get_context_data())
        self.form = PayForm(request.POST, rows=rows)
        if not self.form.is_valid():
            return self.render_to_response(self.get_context_data())
        return self._confirm(rows, self.form.cleaned_data)

    def _confirmation(self, rows, data):
        step = self.kwargs["step"]
        paid_on = data.get("paid_on")
        total = desk_total(rows)
        if step == PAY:
            headings = (
                _("Payee"),
                _("Payee account"),
                _("For"),
                _("Amount (yuan)"),
                _("Voucher number"),
            )
            table = [
                (
                    row.payee,
                    row.account_masked or "—",
                    row.purpose,
                    yuan_text(row.amount),
                    voucher_clean(data[f"voucher_{row.key}"]),
                )
                for row in rows
            ]
            outcome = _("They will be recorded as paid on %(day)s.") % {"day": paid_on}
        else:
            headings = (_("Payee"), _("For"), _("Amount (yuan)"))
            table = [(row.payee, row.purpose, yuan_text(row.amount)) for row in rows]
            outcome = _("They will await finance's payment.")
        return Confirmation(
            action=self.get_page_title(),
            subject=ngettext("%(count)s payment", "%(count)s payments", len(rows))
            % {"count": len(rows)},
            lines=[_("Total: %(total)s.") % {"total": money_summary(total)}, outcome],
            headings=headings,
            rows=table,
            facts={
                "step": step,
                "payments": [
                    (row.key, row.payment.status, str(row.amount)) for row in rows
                ],
                "vouchers": [row[-1] for row in table] if step == PAY else [],
                "paid_on": str(paid_on or ""),
            },
        )

    def _confirm(self, rows, data):
        fields = {"keys": ",".join(row.key for row in rows), "stage": "form"}
        if self.kwargs["step"] == PAY:
            fields["paid_on"] = data["paid_on"].isoformat()
            fields.update(
                {f"voucher_{row.key}": data[f"voucher_{row.key}"] for row in rows}
            )
        back = reverse("funding_finance_desk")
        asked = confirm_or_show(
            self, self._confirmation(rows, data), fields=fields, back_url=back
        )
        if asked:
            return asked
        user = self.request.user
        try:
            if self.kwargs["step"] == PAY:
                count = payments_pay(
                    [(row.payment, data[f"voucher_{row.key}"]) for row in rows],
                    user=user,
                    paid_on=data["paid_on"],
                )
                message = _("%(count)s paid, %(total)s in all.")
            else:
                count = payments_approve([row.payment for row in rows], user=user)
                message = _(
                    "%(count)s approved, %(total)s in all; they now await finance."
                )
        except FundingError as exc:
            messages.error(
                self.request,
                _("Nothing was paid or approved: %(why)s") % {"why": error_text(exc)},
            )
            return redirect("funding_finance_desk")
        messages.success(
            self.request,
            message % {"count": count, "total": money_summary(desk_total(rows))},
        )
        return redirect("funding_finance_desk")


class DeskMenuItem(MenuItem):
    """The desk's menu item, shown to whoever approves or pays some payment."""

    def is_shown(self, request):
        return uses_desk(request.user)
