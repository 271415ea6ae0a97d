"""The life of an outcome report: draft → submitted → returned / approved.

Only approved actuals count in official totals. A report is approved by someone
other than its author; its author never changes.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from projects.choices import REPORT_TRANSITIONS, ReportStatus
from projects.models import (
    OutcomeEvidence,
    OutcomeReport,
    Project,
    user_sees_all_pairings,
)
from projects.periods import period_bounds
from projects.services import ProjectsError


def pairing_visible(user, pairing):
    return (
        user_sees_all_pairings(user) or pairing.coordinators.filter(pk=user.pk).exists()
    )


def report_visible(user, report):
    return pairing_visible(user, report.project.pairing)


def evidence_public():
    """The evidence anyone may download: marked “may be shown publicly” by the
    coordinator AND belonging to an approved report. Evidence of a draft, submitted
    or returned report is never public, whatever its flag: it has not been checked
    yet (issue 13 item 1). A queryset of OutcomeEvidence."""
    return OutcomeEvidence.objects.filter(
        is_public=True, report__status=ReportStatus.APPROVED
    )


def report_period_overlaps(report):
    """The other reports of `report`'s project whose months overlap its period
    (first day ≤ other's last day and last day ≥ other's first day), earliest
    first. Every status counts: a draft or returned report occupies its period
    until it is deleted."""
    start, end = period_bounds(report.period_type, report.year, report.number)
    others = OutcomeReport.objects.filter(
        project_id=report.project_id, start_date__lte=end, end_date__gte=start
    )
    if report.pk:
        others = others.exclude(pk=report.pk)
    return others.order_by("start_date", "pk")


def report_check_period(report, *, lock=False):
    """Refuse (ProjectsError on `number`) a report whose months another report of
    the same project already covers, whatever its status — issue 13 item 10: an
    approved 2024 H1 of 100 and, after a switch to quarters, an approved Q1 of 60
    and Q2 of 40 made the county roll-up 200 instead of 100. With `lock` the
    project row is locked first (select_for_update), so two writers cannot both
    pass; callers must be inside a transaction."""
    if not (report.project_id and report.period_type and report.year):
        return
    if report.number is None:
        return
    if lock:
        Project.objects.select_for_update().filter(pk=report.project_id).first()
    clash = report_period_overlaps(report).first()
    if clash is not None:
        raise ProjectsError(
            {
                "number": _(
                    "The period overlaps the existing report %(period)s "
                    "(%(status)s): no two reports of one project may cover the same "
                    "months. Delete that report if it is a draft to be replaced, or "
                    "report a period it does not cover."
                )
                % {"period": clash.period_label, "status": clash.get_status_display()}
            }
        )


def _check_access(user, report):
    if not report_visible(user, report):
        raise PermissionDenied


def _move(report, to_status):
    if to_status not in REPORT_TRANSITIONS[report.status]:
        raise ProjectsError(
            _("A report that is “%(status)s” cannot become “%(to)s”.")
            % {
                "status": report.get_status_display(),
                "to": ReportStatus(to_status).label,
            }
        )
    report.status = to_status


def report_missing_evidence(report):
    """Indicators with an actual whose required evidence is not attached."""
    attached = set(report.evidence.values_list("indicator_id", flat=True))
    missing = []
    for line in report.lines.select_related("indicator"):
        if line.has_actual and line.indicator.requires_evidence:
            if line.indicator_id not in attached:
                missing.append(line.indicator)
    return missing


@transaction.atomic
def report_submit(report, *, user):
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    _check_access(user, report)
    _move(report, ReportStatus.SUBMITTED)
    if not any(line.has_actual for line in report.lines.all()):
        raise ProjectsError(_("Enter at least one actual figure before submitting."))
    missing = report_missing_evidence(report)
    if missing:
        raise ProjectsError(
            _("Attach the required evidence before submitting: %(items)s")
            % {
                "items": "；".join(
                    f"{i.name}（{i.get_evidence_kind_display()}"
                    + (f"：{i.evidence_note}" if i.evidence_note else "")
                    + "）"
                    for i in missing
                )
            }
        )
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at"])
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
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    _check_decider(user, report)
    _move(report, ReportStatus.APPROVED)
    report.decided_by = user
    report.decided_at = timezone.now()
    report.return_reason = ""
    report.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    log(report, "projects.report_approve", user=user)
    return report


@transaction.atomic
def report_return(report, *, user, reason):
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    _check_decider(user, report)
    if not (reason or "").strip():
        raise ProjectsError(_("Say what must be revised."))
    _move(report, ReportStatus.RETURNED)
    report.decided_by = user
    report.decided_at = timezone.now()
    report.return_reason = reason.strip()
    report.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    log(report, "projects.report_return", user=user, data={"reason": reason})
    return report
