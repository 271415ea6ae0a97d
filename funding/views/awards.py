"""The award screens: the award desk (objections, disbursements, reports, completion,
termination), the approval steps of a disbursement and closing a public notice."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.confirmations import confirm_or_show, confirmation_page
from core.forms import form_with_errors
from funding.desk_forms import (
    AwardTerminateForm,
    DisbursementRecordForm,
    ObjectionRecordForm,
    ObjectionResolveForm,
    ReportRecordForm,
    ReportReturnForm,
)
from funding.errors import FundingError
from funding.models.awards import (
    Award,
    Disbursement,
    DisbursementStatus,
    PublicNotice,
    ReportKind,
)
from funding.permissions import (
    APPROVE_DISBURSEMENT,
    MANAGE_AWARDS,
    PAY_DISBURSEMENT,
    payment_next_step,
)
from funding.selectors.awards import award_is_closed
from funding.selectors.confirmations import (
    award_complete_confirmation,
    award_terminate_confirmation,
    notice_close_confirmation,
    payment_confirmation,
)
from funding.selectors.documents import award_letter_refusal
from funding.services import awards as award_services
from funding.services import disbursements as disbursement_services
from funding.services import notices as notice_services
from funding.services import tranches as tranche_services
from funding.views.base import PermissionView, error_text, posted_object


def _date(value, default=None):
    """A posted date as the forms read it (`DATE_INPUT_FORMATS`: 2024-03-05,
    2024/3/5, 2024年3月5日); `default` or today when empty."""
    if not value:
        return default or timezone.localdate()
    try:
        return forms.DateField().clean(value)
    except ValidationError:
        raise FundingError(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}
        ) from None


class AwardDeskView(PermissionView):
    """One award: its schedule and conditions, money, objections and reports."""

    permission = MANAGE_AWARDS
    template_name = "funding/award_desk.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.award = get_object_or_404(
            Award.objects.select_related(
                "application__organization", "application__call__fund", "notice"
            ),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.award)

    def get_parent(self):
        return reverse("wagtailsnippets_funding_award:list"), _("Awards")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        award = self.award
        tranches = []
        for tranche in award.tranches.all():
            tranches.append(
                {
                    "tranche": tranche,
                    "open": tranche_services.tranche_open_condition(tranche),
                    "paid": tranche.paid_total,
                    "committed": tranche.committed_total,
                }
            )
        user = self.request.user
        disbursements = list(
            Disbursement.objects.filter(tranche__award=award)
            .select_related("tranche", "recorded_by", "approved_by", "paid_by")
            .order_by("recorded_at", "pk")
        )
        for d in disbursements:
            d.next_step, d.refusal = payment_next_step(
                d, user, approve_perm=APPROVE_DISBURSEMENT, pay_perm=PAY_DISBURSEMENT
            )
        objections = list(award.objections.all())
        for o in objections:
            o.resolve_form = self.desk_form(
                "resolve",
                ObjectionResolveForm,
                auto_id=f"id_resolve_{o.pk}_%s",
                pk=o.pk,
            )
        reports = list(award.reports.select_related("document", "submitted_by"))
        for r in reports:
            r.return_form = self.desk_form(
                "return_report",
                ReportReturnForm,
                auto_id=f"id_return_{r.pk}_%s",
                pk=r.pk,
            )
        today = timezone.localdate()
        context.update(
            award=award,
            tranches=tranches,
            disbursements=disbursements,
            objections=objections,
            reports=reports,
            letter_refusal=award_letter_refusal(award),
            closed=award_is_closed(award),
            disburse_form=self.desk_form(
                "disburse",
                DisbursementRecordForm,
                tranches=[row["tranche"] for row in tranches],
            ),
            objection_form=self.desk_form(
                "objection",
                ObjectionRecordForm,
                auto_id="id_objection_%s",
                initial={"received_on": today},
            ),
            report_form=self.desk_form(
                "report",
                ReportRecordForm,
                auto_id="id_report_%s",
                initial={"kind": ReportKind.MIDTERM, "submitted_on": today},
            ),
            terminate_form=self.desk_form(
                "terminate", AwardTerminateForm, auto_id="id_terminate_%s"
            ),
        )
        return context

    def desk_form(self, action, form_class, *, initial=None, pk=None, **kwargs):
        """The form of one desk action; after a refused POST of that action (and
        that row, `pk`), it shows what was typed and the service's errors."""
        failed = getattr(self, "failed", None)
        if failed and failed[0] == action and (pk is None or str(pk) == failed[1]):
            data = failed[2]
            form = form_class(initial={k: data.get(k) for k in data}, **kwargs)
            return form_with_errors(form, failed[3])
        return form_class(initial=initial, **kwargs)

    #: Irreversible actions of the desk and the summary each is confirmed with.
    confirmations = {
        "complete": award_complete_confirmation,
        "terminate": award_terminate_confirmation,
    }

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            raise PermissionDenied
        if action in self.confirmations:
            asked = confirm_or_show(
                self, self.confirmations[action](self.award), fields={"action": action}
            )
            if asked:
                return asked
        try:
            message = handler(request.POST, request.user)
        except FundingError as exc:
            messages.error(request, error_text(exc))
            errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            self.failed = (action, request.POST.get("pk", ""), request.POST, errors)
            return self.get(request, *args, **kwargs)
        messages.success(request, message)
        return redirect("funding_award_desk", self.award.pk)

    def do_disburse(self, data, user):
        tranche = posted_object(self.award.tranches.all(), data.get("tranche"))
        disbursement_services.disbursement_record(
            tranche, amount=data.get("amount", ""), user=user, note=data.get("note", "")
        )
        return _("Disbursement recorded; it awaits the fund manager's approval.")

    def do_objection(self, data, user):
        notice_services.objection_record(
            self.award,
            received_on=_date(data.get("received_on")),
            objector=data.get("objector", ""),
            content=data.get("content", ""),
            user=user,
        )
        return _("Objection recorded: the award is held until it is resolved.")

    def do_resolve(self, data, user):
        objection = posted_object(self.award.objections.all(), data.get("pk"))
        notice_services.objection_resolve(
            objection,
            upheld=data.get("decision") == "upheld",
            note=data.get("note", ""),
            user=user,
        )
        return _("Objection resolved.")

    def do_report(self, data, user):
        award_services.award_report_submit(
            self.award,
            kind=data.get("kind") or ReportKind.MIDTERM,
            submitted_on=_date(data.get("submitted_on")),
            summary=data.get("summary", ""),
            user=user,
        )
        return _("Report recorded.")

    def do_approve_report(self, data, user):
        report = posted_object(self.award.reports.all(), data.get("pk"))
        award_services.award_report_approve(report, user=user)
        return _("Report approved.")

    def do_return_report(self, data, user):
        report = posted_object(self.award.reports.all(), data.get("pk"))
        award_services.award_report_return(
            report, user=user, reason=data.get("reason", "")
        )
        return _("Report returned to the organization with the reason.")

    def do_complete(self, data, user):
        award_services.award_complete(self.award, user=user)
        return _("The project is completed (结项).")

    def do_terminate(self, data, user):
        award_services.award_terminate(
            self.award, user=user, reason=data.get("reason", "")
        )
        return _("The award is terminated.")


class PaymentActionView(PermissionView):
    """Approve (fund manager), pay (finance) or reject a payment: GET (or a POST
    without the token) shows who gets paid what (`payment_confirmation`), the
    confirming POST does it. A refusal (wrong state, or the separation of duties in
    `funding.permissions.payment_duty_refusal`) is shown on the confirm screen
    without a button, and a raw POST is refused by the service all the same."""

    header_icon = "doc-full"
    model = None
    steps = {}  # step → (permission, service); "pay" goes to the payments desk
    list_url_name = ""
    desk_kind = ""  # "award" or "purchase" (funding.selectors.payments)

    def dispatch(self, request, *args, **kwargs):
        step = kwargs["step"]
        if step not in self.steps:
            raise PermissionDenied
        self.payment = get_object_or_404(self.model, pk=kwargs["pk"])
        self.permission = self.steps[step][0]
        pay_perm = self.steps["pay"][0]
        if (
            step == "reject"
            and not request.user.has_perm(self.permission)
            and self.payment.status == DisbursementStatus.APPROVED
        ):
            # finance returns an approved payment it will not pay, with the reason
            self.permission = pay_perm
        return super().dispatch(request, *args, **kwargs)

    def pay_form_url(self):
        """The payments desk's pay form for this one payment (凭证号, 付款日期)."""
        return (
            f"{reverse('funding_finance_batch', args=['pay'])}"
            f"?payments={self.desk_kind}-{self.payment.pk}"
        )

    def get_page_title(self):
        return {
            "approve": _("Approve (fund manager)"),
            "pay": _("Approve and pay (finance)"),
            "reject": _("Reject payment"),
        }[self.kwargs["step"]]

    def refusal(self):
        step = self.kwargs["step"]
        if step == "reject":
            return None
        next_step, refusal = payment_next_step(
            self.payment,
            self.request.user,
            approve_perm=self.steps["approve"][0],
            pay_perm=self.steps["pay"][0],
        )
        if next_step != step:
            return _("This payment is “%(s)s”: nothing to do here now.") % {
                "s": self.payment.get_status_display()
            }
        return refusal

    def confirmation(self):
        step = self.kwargs["step"]
        return payment_confirmation(
            self.payment, step, action=self.get_page_title(), refusal=self.refusal()
        )

    def next_url(self):
        next_url = self.request.POST.get("next") or self.request.GET.get("next")
        if not next_url or not url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            next_url = reverse(self.list_url_name)
        return next_url

    def get(self, request, pk, step):
        if step == "pay" and self.refusal() is None:
            return redirect(self.pay_form_url())
        return confirmation_page(
            self,
            self.confirmation(),
            fields={"next": self.next_url()},
            back_url=self.next_url(),
        )

    def post(self, request, pk, step):
        if step == "pay" and self.refusal() is None:
            return redirect(self.pay_form_url())
        service = self.steps[step][1]
        asked = confirm_or_show(
            self,
            self.confirmation(),
            fields={"next": self.next_url()},
            back_url=self.next_url(),
        )
        if asked:
            return asked
        try:
            if step == "reject":
                service(
                    self.payment,
                    user=request.user,
                    reason=request.POST.get("reason", ""),
                )
            else:
                service(self.payment, user=request.user)  # approve
        except FundingError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                {
                    "approve": _("Approved; it now awaits finance."),
                    "pay": _("Approved by finance and paid."),
                    "reject": _("Payment rejected."),
                }[step],
            )
        return redirect(self.next_url())


class DisbursementActionView(PaymentActionView):
    model = Disbursement
    steps = {
        "approve": (APPROVE_DISBURSEMENT, disbursement_services.disbursement_approve),
        "pay": (PAY_DISBURSEMENT, disbursement_services.disbursement_pay),
        "reject": (APPROVE_DISBURSEMENT, disbursement_services.disbursement_reject),
    }
    list_url_name = "wagtailsnippets_funding_disbursement:list"
    desk_kind = "award"


class NoticeCloseView(PermissionView):
    """Close a public notice: GET shows the awards made and held
    (`notice_close_confirmation`), the confirming POST closes it."""

    permission = "funding.change_publicnotice"
    header_icon = "info-circle"
    page_title = gettext_lazy("Close the notice")

    def get_parent(self):
        return self.back_url, _("Public notices")

    @property
    def back_url(self):
        return reverse("wagtailsnippets_funding_publicnotice:list")

    def get(self, request, pk):
        notice = get_object_or_404(PublicNotice, pk=pk)
        return confirmation_page(
            self, notice_close_confirmation(notice), back_url=self.back_url
        )

    def post(self, request, pk):
        notice = get_object_or_404(PublicNotice, pk=pk)
        asked = confirm_or_show(
            self, notice_close_confirmation(notice), back_url=self.back_url
        )
        if asked:
            return asked
        try:
            awarded, held = notice_services.notice_close(notice, user=request.user)
        except FundingError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("%(awarded)s awarded, %(held)s held by open objections.")
                % {"awarded": len(awarded), "held": len(held)},
            )
        return redirect("wagtailsnippets_funding_publicnotice:list")
