"""Awards: public notice (公示), objections, the tranche schedule, the agreement,
reports, disbursements (fund manager, then finance) and the award's lifecycle.

Money rule: for every award and every tranche, the disbursements that are recorded,
approved or paid never add up to more than the approved amount or the tranche's
amount. Every service that adds or approves money locks the award row first, so two
clerks recording at the same moment are served one after the other.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.numbers import parse_decimal
from core.workdays import add_working_days
from funding.award_models import (
    COMMITTED,
    MONEY,
    Award,
    AwardReport,
    Disbursement,
    DisbursementStatus,
    Objection,
    ObjectionStatus,
    PublicNotice,
    ReportKind,
    Tranche,
    TrancheCondition,
)
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.lifecycle import application_move
from funding.models import Application, Call
from funding.permissions import APPROVE, PAY, payment_duty_refusal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def yuan(value):
    return f"{Decimal(value).quantize(CENT):,}"


def money(value, field="amount"):
    """A positive amount in yuan from user input (at most 999,999,999,999.99, the
    14 digits of the money fields), or a FundingError naming `field`. Parsing is
    `core.numbers.parse_decimal` (issue 13 item 7: no server error on
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


# --- working days ---------------------------------------------------------------


def working_days_end(start, days):
    """The last day of a period of `days` working days starting on `start`
    (counted when it is a working day), on China's official holiday and make-up
    workday calendar: `core.workdays.add_working_days`, where a year the calendar
    does not carry yet is counted with weekends only (the screens say so)."""
    return add_working_days(start, days)[0]


# --- public notice and objections -------------------------------------------------


@transaction.atomic
def notice_publish(call, *, title, starts_on, working_days, objection_contact, user):
    """Put every approved application of the call on public notice; each gets its
    award record (amount = the approved amount)."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not working_days or int(working_days) < 1:
        raise FundingError({"working_days": [_("Give at least one working day.")]})
    if not objection_contact.strip():
        raise FundingError(
            {"objection_contact": [_("Say who receives objections and how.")]}
        )
    applications = list(
        Application.objects.select_for_update()
        .filter(call=call, status=S.APPROVED)
        .order_by("pk")
    )
    if not applications:
        raise FundingError(_("The call has no approved applications to publish."))
    notice = PublicNotice(
        call=call,
        title=title,
        starts_on=starts_on,
        working_days=int(working_days),
        ends_on=working_days_end(starts_on, int(working_days)),
        objection_contact=objection_contact,
        published_by=user,
    )
    notice._history_user = user
    notice.save()
    for application in applications:
        award = Award(
            application=application,
            notice=notice,
            approved_amount=application.approved_amount,
        )
        award._history_user = user
        award.save()
        application_move(application, S.IN_PUBLIC_NOTICE, user=user)
    log(notice, "funding.notice_published", user=user)
    return notice


def _award_make(award, on, user):
    award.awarded_on = on
    award._history_user = user
    award.save(update_fields=["awarded_on"])
    application_move(award.application, S.AWARDED, user=user)


@transaction.atomic
def objection_record(award, *, received_on, objector, content, user):
    award = Award.objects.select_for_update().get(pk=award.pk)
    notice = award.notice
    if award.application.status != S.IN_PUBLIC_NOTICE:
        raise FundingError(
            _("Objections are recorded only while the award is on public notice.")
        )
    if not (notice.starts_on <= received_on <= notice.ends_on):
        raise FundingError(
            {
                "received_on": [
                    _(
                        "The notice ran from %(start)s to %(end)s; an objection "
                        "received on %(day)s is outside it."
                    )
                    % {
                        "start": notice.starts_on,
                        "end": notice.ends_on,
                        "day": received_on,
                    }
                ]
            }
        )
    if not content.strip():
        raise FundingError({"content": [_("Write down the objection.")]})
    objection = Objection(
        award=award, received_on=received_on, objector=objector, content=content
    )
    objection._history_user = user
    objection.save()
    log(award, "funding.objection", user=user, data={"objector": objector})
    return objection


@transaction.atomic
def objection_resolve(objection, *, upheld, note, user, on=None):
    """Upheld: the application is rejected. Dismissed: once the notice has ended and
    no other objection is open, the award is made."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    award = Award.objects.select_for_update().get(pk=objection.award_id)
    if objection.status != ObjectionStatus.OPEN:
        raise FundingError(_("This objection has already been resolved."))
    if not note.strip():
        raise FundingError({"note": [_("Give the reason for this decision.")]})
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolution_note = note
    objection.resolved_by = user
    objection.resolved_at = timezone.now()
    objection._history_user = user
    objection.save()
    log(award, "funding.objection_resolved", user=user, data={"upheld": upheld})
    on = on or timezone.localdate()
    if upheld:
        application_move(award.application, S.REJECTED, user=user, note=note)
    elif award.notice.closed_on and not award.objections.filter(
        status=ObjectionStatus.OPEN
    ):
        _award_make(award, on, user)
    return objection


@transaction.atomic
def notice_close(notice, *, user, on=None):
    """After the notice period: award every application without an open objection;
    the others stay held until their objections are resolved."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    on = on or timezone.localdate()
    if notice.closed_on:
        raise FundingError(_("This notice is already closed."))
    if on <= notice.ends_on:
        raise FundingError(
            _("The notice period runs until %(end)s; it can be closed after that.")
            % {"end": notice.ends_on}
        )
    notice.closed_on = on
    notice._history_user = user
    notice.save(update_fields=["closed_on"])
    awarded, held = [], []
    for award in notice.awards.select_for_update().select_related("application"):
        if award.application.status != S.IN_PUBLIC_NOTICE:
            continue
        if award.objections.filter(status=ObjectionStatus.OPEN).exists():
            held.append(award)
        else:
            _award_make(award, on, user)
            awarded.append(award)
    log(notice, "funding.notice_closed", user=user)
    return awarded, held


# --- tranche schedule and agreement ----------------------------------------------


def schedule_check(percentages):
    """The tranche percentages: each positive, together exactly 100."""
    values = [Decimal(p) for p in percentages]
    if not values:
        raise FundingError(_("The schedule needs at least one tranche."))
    if any(v <= 0 for v in values):
        raise FundingError(_("Every tranche needs a percentage above zero."))
    total = sum(values, Decimal("0"))
    if total != HUNDRED:
        raise FundingError(
            _("The tranche percentages add up to %(total)s%%, not 100%%.")
            % {"total": format(total.normalize(), "f")}
        )


def tranche_amounts(approved, percentages):
    """Each tranche's amount to the cent; the last takes the rounding remainder so
    that the amounts add up to the approved amount exactly."""
    amounts = [
        (approved * Decimal(p) / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
        for p in percentages[:-1]
    ]
    amounts.append(approved - sum(amounts, Decimal("0")))
    return amounts


def schedule_locked(award):
    return Disbursement.objects.filter(
        tranche__award=award, status__in=COMMITTED
    ).exists()


@transaction.atomic
def award_schedule_set(award, rows, *, user):
    """Replace the schedule: rows are (percentage, condition, note). Refused once
    money has been recorded against it."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.application.status in (S.TERMINATED, S.COMPLETED, S.REJECTED):
        raise FundingError(_("The schedule of a closed award cannot change."))
    if schedule_locked(award):
        raise FundingError(
            _("Money has been recorded against this schedule; it can no longer change.")
        )
    schedule_check([r[0] for r in rows])
    for condition in (r[1] for r in rows):
        if condition not in TrancheCondition.values:
            raise FundingError(_("Choose a condition for every tranche."))
    amounts = tranche_amounts(award.approved_amount, [Decimal(r[0]) for r in rows])
    award.tranches.all().delete()
    for order, ((percentage, condition, note), amount) in enumerate(
        zip(rows, amounts, strict=True)
    ):
        tranche = Tranche(
            award=award,
            sort_order=order,
            percentage=Decimal(percentage),
            amount=amount,
            condition=condition,
            note=note or "",
        )
        tranche._history_user = user
        tranche.save()
    return award


@transaction.atomic
def award_schedule_recompute(award, *, user):
    """After the admin form saved the tranches: order them and set their amounts."""
    tranches = list(award.tranches.order_by("sort_order", "pk"))
    schedule_check([t.percentage for t in tranches])
    amounts = tranche_amounts(award.approved_amount, [t.percentage for t in tranches])
    for order, (tranche, amount) in enumerate(zip(tranches, amounts, strict=True)):
        if tranche.amount != amount or tranche.sort_order != order:
            tranche.amount = amount
            tranche.sort_order = order
            tranche._history_user = user
            tranche.save(update_fields=["amount", "sort_order"])


@transaction.atomic
def award_sign(award, *, signed_on, user, number="", document=None):
    """The agreement is signed: the award moves to in progress."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.application.status != S.AWARDED:
        raise FundingError(
            _("An agreement is signed for an awarded application; this one is “%(s)s”.")
            % {"s": award.get_status_display()}
        )
    if not award.tranches.exists():
        raise FundingError(
            _("Set the tranche schedule before the agreement is signed.")
        )
    if award.awarded_on and signed_on < award.awarded_on:
        raise FundingError(
            {"agreement_signed_on": [_("The agreement cannot predate the award.")]}
        )
    award.agreement_signed_on = signed_on
    award.agreement_number = number or award.agreement_number
    if document is not None:
        award.agreement_document = document
    award._history_user = user
    award.save()
    application_move(award.application, S.IN_PROGRESS, user=user)
    return award


# --- reports -------------------------------------------------------------------


@transaction.atomic
def award_report_submit(award, *, kind, submitted_on, user, summary="", document=None):
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.application.status not in (S.IN_PROGRESS, S.MIDTERM_CHECKED):
        raise FundingError(_("Reports are submitted while the project is under way."))
    report = AwardReport(
        award=award,
        kind=kind,
        submitted_on=submitted_on,
        summary=summary,
        document=document,
    )
    report._history_user = user
    report.save()
    return report


@transaction.atomic
def award_report_approve(report, *, user, on=None):
    """Approving the mid-term report is the mid-term check."""
    report = AwardReport.objects.select_for_update().get(pk=report.pk)
    if report.approved_on:
        raise FundingError(_("This report is already approved."))
    report.approved_by = user
    report.approved_on = on or timezone.localdate()
    report._history_user = user
    report.save()
    application = report.award.application
    if report.kind == ReportKind.MIDTERM and application.status == S.IN_PROGRESS:
        application_move(application, S.MIDTERM_CHECKED, user=user)
    log(report.award, "funding.report_approved", user=user, data={"kind": report.kind})
    return report


# --- conditions ----------------------------------------------------------------


def linked_projects(award):
    """Revitalization projects whose funding links point to this award."""
    from projects.models import Project

    award_type = ContentType.objects.get_for_model(Award)
    return Project.objects.filter(
        funding_links__source_type=award_type, funding_links__source_id=award.pk
    ).distinct()


def tranche_open_condition(tranche):
    """None when the tranche's condition is met, else what is still open."""
    award = tranche.award
    condition = tranche.condition
    if condition == TrancheCondition.SIGNING:
        if award.agreement_signed_on:
            return None
        return _("the agreement has not been signed")
    if condition in (TrancheCondition.MIDTERM_REPORT, TrancheCondition.FINAL_REPORT):
        kind = (
            ReportKind.MIDTERM
            if condition == TrancheCondition.MIDTERM_REPORT
            else ReportKind.FINAL
        )
        if award.reports.filter(kind=kind, approved_on__isnull=False).exists():
            return None
        if kind == ReportKind.MIDTERM:
            return _("the mid-term report has not been approved")
        return _("the final report has not been approved")
    # approved outcome figures of a linked revitalization project — only projects
    # of the award's organization (or its alliance) count: the rule is projects'
    # (issue 13 item 3), so another organization's link never releases money
    from projects.models import OutcomeReport
    from projects.selectors.funding import funding_record_projects

    projects = funding_record_projects(award)
    if not projects:
        return _(
            "no revitalization project is linked to this award (link it in the "
            "project's funding sources)"
        )
    if OutcomeReport.objects.approved().filter(project__in=projects).exists():
        return None
    return _("the linked revitalization project has no approved outcome report")


# --- disbursements ---------------------------------------------------------------


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
                        "total": yuan(tranche.amount),
                        "used": yuan(tranche_used),
                        "left": yuan(tranche.amount - tranche_used),
                        "amount": yuan(amount),
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
                        "total": yuan(award.approved_amount),
                        "used": yuan(award_used),
                        "left": yuan(award.approved_amount - award_used),
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
    `disbursement_reject` and `purchases.purchase_payment_reject`."""
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


# --- completion and termination --------------------------------------------------


@transaction.atomic
def award_complete(award, *, user, on=None):
    """结项验收: after the mid-term check, with an approved final report."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not award.reports.filter(
        kind=ReportKind.FINAL, approved_on__isnull=False
    ).exists():
        raise FundingError(
            _("The project can be completed once its final report is approved.")
        )
    application_move(award.application, S.COMPLETED, user=user)
    award.completed_on = on or timezone.localdate()
    award._history_user = user
    award.save(update_fields=["completed_on"])
    return award


@transaction.atomic
def award_terminate(award, *, user, reason, on=None):
    """Terminate: records the reason and what was paid; unpaid disbursements are
    rejected."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    application_move(award.application, S.TERMINATED, user=user, note=reason)
    for disbursement in Disbursement.objects.select_for_update().filter(
        tranche__award=award,
        status__in=[DisbursementStatus.RECORDED, DisbursementStatus.APPROVED],
    ):
        disbursement.status = DisbursementStatus.REJECTED
        disbursement.rejection_reason = _("The award was terminated.")
        disbursement._history_user = user
        disbursement.save()
    award.terminated_on = on or timezone.localdate()
    award.termination_reason = reason
    award.paid_at_termination = award.paid_total
    award._history_user = user
    award.save()
    return award
