"""An award's agreement, reports, completion (结项验收) and termination; the award's
stage is its application's status (`funding/lifecycle.py`)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.lifecycle import REPORT_TRANSITIONS
from funding.models import Award, AwardReport, Disbursement
from funding.models.awards import DisbursementStatus, ReportKind, ReportStatus
from funding.services.applications import application_move
from funding.services.notifications import award_report_returned_notify


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


@transaction.atomic
def award_report_submit(award, *, kind, submitted_on, user, summary="", document=None):
    """Record a report (`kind`: a `ReportKind` value, 中期/结项) of an award under way.
    Refuses with FundingError a kind that is not one of them (a forged POST) or an
    award whose project is not under way."""
    if kind not in ReportKind.values:
        raise FundingError({"kind": [_("Choose the kind of report.")]})
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.application.status not in (S.IN_PROGRESS, S.MIDTERM_CHECKED):
        raise FundingError(_("Reports are submitted while the project is under way."))
    report = AwardReport(
        award=award,
        kind=kind,
        status=ReportStatus.SUBMITTED,
        submitted_on=submitted_on,
        submitted_by=user,
        summary=summary,
        document=document,
    )
    report._history_user = user
    report.save()
    return report


def report_move_refusal(report, to):
    """Why `report` may not move to status `to` (`REPORT_TRANSITIONS`), or None."""
    current = ReportStatus(report.status)
    if ReportStatus(to) in REPORT_TRANSITIONS[current]:
        return None
    if current == ReportStatus.APPROVED:
        return _("This report is already approved.")
    return _("A report that is “%(current)s” cannot become “%(to)s”.") % {
        "current": current.label,
        "to": ReportStatus(to).label,
    }


@transaction.atomic
def award_report_approve(report, *, user, on=None):
    """Approve a submitted report (fund manager); approving the mid-term report is
    the mid-term check. Refuses with FundingError a report that is not submitted
    (a draft, one returned to the organization, one already approved)."""
    report = AwardReport.objects.select_for_update().get(pk=report.pk)
    refusal = report_move_refusal(report, ReportStatus.APPROVED)
    if refusal:
        raise FundingError(refusal)
    report.status = ReportStatus.APPROVED
    report.approved_by = user
    report.approved_on = on or timezone.localdate()
    report._history_user = user
    report.save()
    application = report.award.application
    if report.kind == ReportKind.MIDTERM and application.status == S.IN_PROGRESS:
        application_move(application, S.MIDTERM_CHECKED, user=user)
    log(report.award, "funding.report_approved", user=user, data={"kind": report.kind})
    return report


@transaction.atomic
def award_report_return(report, *, user, reason, on=None):
    """Return a submitted report to the organization for changes (fund manager).

    `reason` (required) is kept on the report and shown to the organization,
    which edits and submits again; its members are told (REPORT_RETURNED).
    Refuses with FundingError {"reason": …} an empty reason, and a report that is
    not submitted."""
    reason = (reason or "").strip()
    if not reason:
        raise FundingError({"reason": [_("Say why the report is returned.")]})
    report = AwardReport.objects.select_for_update().get(pk=report.pk)
    refusal = report_move_refusal(report, ReportStatus.RETURNED)
    if refusal:
        raise FundingError(refusal)
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.returned_by = user
    report.returned_on = on or timezone.localdate()
    report._history_user = user
    report.save()
    log(
        report.award,
        "funding.report_returned",
        user=user,
        data={"kind": report.kind, "reason": reason},
    )
    award_report_returned_notify(report, actor=user)
    return report


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
