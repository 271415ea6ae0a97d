"""The moves of an outcome report: submit, approve, return (the table is
`projects.lifecycle.TRANSITIONS`).

Only approved actuals count in official totals. A report is approved by someone
other than its author; its author never changes.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from projects.choices import ReportStatus
from projects.errors import ProjectsError
from projects.lifecycle import TRANSITIONS
from projects.models import OutcomeReport
from projects.permissions import report_editable_by, report_visible
from projects.selectors.reports import (
    evidence_list_text,
    report_approval_refusal,
    report_missing_evidence,
)
from projects.services.notifications import report_decided_notify
from projects.services.rollup_totals import rollup_totals_apply


def _check_access(user, report):
    if not report_visible(user, report):
        raise PermissionDenied


def _check_submitter(user, report):
    # staff within their pairings, or a user of the project's organization
    if not report_editable_by(user, report):
        raise PermissionDenied


def _move(report, to_status):
    if to_status not in TRANSITIONS[report.status]:
        raise ProjectsError(
            _("A report that is “%(status)s” cannot become “%(to)s”.")
            % {
                "status": report.get_status_display(),
                "to": ReportStatus(to_status).label,
            }
        )
    report.status = to_status


@transaction.atomic
def report_submit(report, *, user):
    """Submit a draft or returned report for approval. Needs at least one actual
    and the evidence its indicators require; raises ProjectsError otherwise,
    PermissionDenied outside the user's pairings (staff) or organization (a
    社会组织用户 submits its own organization's reports). Returns the saved
    report."""
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    _check_submitter(user, report)
    _move(report, ReportStatus.SUBMITTED)
    if not any(line.has_actual for line in report.lines.all()):
        raise ProjectsError(_("Enter at least one actual figure before submitting."))
    missing = report_missing_evidence(report)
    if missing:
        raise ProjectsError(
            _("Attach the required evidence before submitting: %(items)s")
            % {"items": evidence_list_text(missing)}
        )
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.save(update_fields=["status", "submitted_at", "submitted_by"])
    rollup_totals_apply(report=report)
    log(report, "projects.report_submit", user=user)
    return report


def _check_decider(user, report):
    _check_access(user, report)
    if not user.has_perm("projects.approve_outcomereport"):
        raise PermissionDenied
    if report.created_by_id == user.pk:
        raise ProjectsError(
            _("You wrote this report: someone else must approve or return it.")
        )


@transaction.atomic
def report_approve(report, *, user):
    """Approve a submitted report (not the author's own, with the evidence its
    indicators require): its actuals count in official totals from now on. Raises
    PermissionDenied outside the user's pairings or without the approve
    permission, ProjectsError with the reason otherwise
    (`report_approval_refusal`)."""
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    _check_access(user, report)
    if not user.has_perm("projects.approve_outcomereport"):
        raise PermissionDenied
    refusal = report_approval_refusal(report, user)
    if refusal:
        raise ProjectsError(refusal)
    _move(report, ReportStatus.APPROVED)
    report.decided_by = user
    report.decided_at = timezone.now()
    report.return_reason = ""
    report.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    rollup_totals_apply(report=report)
    log(report, "projects.report_approve", user=user)
    report_decided_notify(report, actor=user)
    return report


def reports_approve(reports, *, user):
    """Approve many reports at once (bulk approval): each through `report_approve`
    in its own transaction, so the approvable ones are approved and each refusal
    is kept with its reason. Returns (approved reports, [(report, reason)])."""
    approved, refused = [], []
    for report in reports:
        try:
            approved.append(report_approve(report, user=user))
        except ProjectsError as exc:
            refused.append((report, " ".join(exc.messages)))
        except PermissionDenied:
            refused.append((report, report_approval_refusal(report, user) or ""))
    return approved, refused


@transaction.atomic
def report_return(report, *, user, reason):
    """Return a submitted report for revision with `reason` (required, shown to
    the author). Raises ProjectsError or PermissionDenied."""
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    _check_decider(user, report)
    if not (reason or "").strip():
        raise ProjectsError(_("Say what must be revised."))
    _move(report, ReportStatus.RETURNED)
    report.decided_by = user
    report.decided_at = timezone.now()
    report.return_reason = reason.strip()
    report.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    rollup_totals_apply(report=report)
    log(report, "projects.report_return", user=user, data={"reason": reason})
    report_decided_notify(report, actor=user)
    return report


@transaction.atomic
def report_approve_imported(report, *, user):
    """Mark an imported report of historical figures approved by `user`, the
    importing user (issue's import rule: "Imported historical figures may be marked
    approved on import by a user allowed to approve"). Its history records the
    change with the reason "imported as approved" and the action log an approval on
    import. The import checks the permission and that the period has ended
    (`projects.imports.outcome_reports`). Returns the saved report."""
    now = timezone.now()
    report.status = ReportStatus.APPROVED
    report.submitted_at = report.submitted_at or now
    report.decided_by = user
    report.decided_at = now
    report.return_reason = ""
    report._change_reason = "imported as approved"
    report.save()
    rollup_totals_apply(report=report)
    log(report, "projects.report_import_approve", user=user)
    return report
