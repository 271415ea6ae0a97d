"""Who in projects is told of what (`core.notifications.notify`): an outcome report
approved or returned → its author, while the report is still within the pairings
the author may see (`projects.permissions.report_visible`); a report of an
organization's own project returned → the organization's active users
(社会组织用户, REPORT_RETURNED), linked to the report in 我的机构 → 成效报告."""

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.notifications import NotificationKind, notify
from projects.choices import ReportStatus
from projects.permissions import report_of_own_organization, report_visible


def report_decided_notify(report, *, actor):
    """Tell the author of `report` it was approved, or returned with the reason;
    linked to the report's form (where a returned report is revised)."""
    author = report.created_by
    if report.status == ReportStatus.RETURNED:
        report_returned_notify_organization(report, actor=actor)
    if author is None or not report_visible(author, report):
        return
    if report.status == ReportStatus.APPROVED:
        title = format_lazy(_("Outcome report approved: {report}"), report=str(report))
    else:
        title = format_lazy(
            _("Outcome report returned: {report}. Reason: {reason}"),
            report=str(report),
            reason=report.return_reason,
        )
    notify(
        NotificationKind.REPORT_DECIDED,
        [author],
        title=title,
        link=reverse("wagtailsnippets_projects_outcomereport:edit", args=[report.pk]),
        actor=actor,
    )


def report_returned_notify_organization(report, *, actor):
    """Tell the active users of the project's organization that `report` was
    returned, with the coordinator's reason — when the report is the
    organization's own (written or submitted by one of its users)."""
    from incubator.models import OrganizationMembership

    writers = [u for u in (report.created_by, report.submitted_by) if u is not None]
    if not any(report_of_own_organization(u, report) for u in writers):
        return
    organization_id = report.project.pairing.organization_id
    members = [
        m.user
        for m in OrganizationMembership.objects.filter(
            organization_id=organization_id, user__is_active=True
        ).select_related("user")
    ]
    notify(
        NotificationKind.REPORT_RETURNED,
        members,
        title=format_lazy(
            _("Outcome report returned: {report}. Reason: {reason}"),
            report=str(report),
            reason=report.return_reason,
        ),
        link=reverse("projects_portal_report", args=[report.pk]),
        actor=actor,
    )
