"""Reads of outcome reports: the evidence a report still lacks, and why a user may
not approve a report."""

from django.utils.translation import gettext as _

from projects.choices import ReportStatus
from projects.models import Indicator
from projects.permissions import report_visible

APPROVE = "projects.approve_outcomereport"


def report_missing_evidence(report):
    """Indicators with an actual whose required evidence is not attached (a list of
    Indicator, in line order)."""
    attached = set(report.evidence.values_list("indicator_id", flat=True))
    missing = []
    for line in report.lines.select_related("indicator"):
        if line.has_actual and line.indicator.requires_evidence:
            if line.indicator_id not in attached:
                missing.append(line.indicator)
    return missing


def evidence_list_text(indicators):
    """The missing evidence as one line: “name（kind：note）；…”."""
    return "；".join(
        f"{i.name}（{i.get_evidence_kind_display()}"
        + (f"：{i.evidence_note}" if i.evidence_note else "")
        + "）"
        for i in indicators
    )


def report_approval_refusal(report, user):
    """Why `user` may not approve `report` now, as a message for the user, or None
    when they may. The rules (DESIGN §2 outcome reports, kept for bulk
    approval): the report lies in the user's pairings, the user holds
    `projects.approve_outcomereport`, the report is not approved already, the user
    did not write it, it is submitted, and every indicator with an actual has the
    evidence it requires.
    `report_approve` applies the same rules, one report or many."""
    if not report_visible(user, report):
        return _("This report is not in your pairings.")
    if not user.has_perm(APPROVE):
        return _("You may not approve outcome reports.")
    # An approved report is done, whoever wrote it: say so before anything else.
    if report.status == ReportStatus.APPROVED:
        return _("This report is already approved.")
    if report.created_by_id == user.pk:
        return _("You wrote this report: someone else must approve or return it.")
    if report.status != ReportStatus.SUBMITTED:
        return _("A report that is “%(status)s” cannot become “%(to)s”.") % {
            "status": report.get_status_display(),
            "to": ReportStatus.APPROVED.label,
        }
    missing = report_missing_evidence(report)
    if missing:
        return _("The required evidence is missing: %(items)s") % {
            "items": evidence_list_text(missing)
        }
    return None


def indicators_addable(report):
    """The active indicators `report` has no line for yet (a queryset, in the
    catalogue's order)."""
    return Indicator.objects.filter(is_active=True).exclude(
        pk__in=report.lines.values("indicator_id")
    )


def report_source_organization(report):
    """The Organization whose user (社会组织用户) wrote or submitted `report` online
    through 我的机构 → 成效报告, or None for a report staff keyed in: staff screens
    say which reports came from the organization."""
    from incubator.permissions import organization_of

    for user in (report.submitted_by, report.created_by):
        organization = organization_of(user)
        if organization is not None:
            return organization
    return None
