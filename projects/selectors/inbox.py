"""The rural-revitalization tasks of the dashboard inbox: outcome reports a
coordinator may approve, and their own reports returned for revision
(`core.inbox.Task`)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.inbox import Task, TaskItem
from projects.choices import ReportStatus
from projects.permissions import reports_visible_to
from projects.selectors.reports import APPROVE

#: How many records a task reads for its list (core.inbox shows up to 5).
ITEMS = 5


def coordinator_tasks(user, today):
    """Reports to approve: submitted reports in the user's pairings
    (`reports_visible_to`) that they did not write, for holders of
    `projects.approve_outcomereport` (the author never approves their own,
    `projects.selectors.reports.report_approval_refusal`); each links to the
    approval screen, the line to the list of submitted reports (bulk approval).
    Reports returned: the user's own reports returned for revision, each linking
    to its edit screen with the reason."""
    tasks = []
    visible = reports_visible_to(user).select_related("project")
    list_url = reverse("wagtailsnippets_projects_outcomereport:list")
    if user.has_perm(APPROVE):
        to_approve = (
            visible.filter(status=ReportStatus.SUBMITTED)
            .exclude(created_by=user)
            .order_by("submitted_at", "pk")
        )
        rows = list(to_approve[:ITEMS])
        tasks.append(
            Task(
                label=_("Outcome reports to approve"),
                count=to_approve.count(),
                url=f"{list_url}?status={ReportStatus.SUBMITTED}",
                items=tuple(
                    TaskItem(str(r), reverse("projects_report_review", args=[r.pk]))
                    for r in rows
                ),
            )
        )
    returned = visible.filter(status=ReportStatus.RETURNED, created_by=user).order_by(
        "decided_at", "pk"
    )
    rows = list(returned[:ITEMS])
    tasks.append(
        Task(
            label=_("Outcome reports returned to me"),
            count=returned.count(),
            url=f"{list_url}?status={ReportStatus.RETURNED}",
            items=tuple(
                TaskItem(
                    f"{r} — {r.return_reason}" if r.return_reason else str(r),
                    reverse("wagtailsnippets_projects_outcomereport:edit", args=[r.pk]),
                )
                for r in rows
            ),
        )
    )
    return tasks


def tasks(user, today):
    """Every rural-revitalization task of `user` (the `core.inbox.INBOX_HOOK`
    provider)."""
    return coordinator_tasks(user, today)
