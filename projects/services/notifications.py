"""Who in projects is told of what (`core.notifications.notify`): an outcome report
approved or returned → its author, while the report is still within the pairings
the author may see (`projects.permissions.report_visible`)."""

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.notifications import NotificationKind, notify
from projects.choices import ReportStatus
from projects.permissions import report_visible


def report_decided_notify(report, *, actor):
    """Tell the author of `report` it was approved, or returned with the reason;
    linked to the report's form (where a returned report is revised)."""
    author = report.created_by
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
