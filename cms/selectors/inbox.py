"""The public-site tasks of the dashboard inbox: pages awaiting the user's
moderation, and the user's own pages in moderation or sent back for changes
(`core.inbox.Task`; the workflow is set up by `cms.moderation`)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page, TaskState, WorkflowState, get_default_page_content_type

from core.inbox import Task, TaskItem

#: How many records a task reads for its list (core.inbox shows up to 5).
ITEMS = 5


def moderation_tasks(user, today):
    """Pages whose current moderation task this user may approve (Wagtail's
    `TaskState.objects.reviewable_by`: the 内容审核 group, administrators), the
    oldest first; and the pages this user submitted, still waiting for a
    moderator, or sent back to them for changes. Each page links to its editor
    (where the approve, reject and resubmit actions are); the line to Wagtail's
    workflow report (every page in moderation). These replace Wagtail's own
    moderation panels on the dashboard (`core.inbox.FOLDED_PANELS`)."""
    page_type = get_default_page_content_type()
    report = reverse("wagtailadmin_reports:workflow")
    waiting = (
        TaskState.objects.reviewable_by(user)
        .filter(workflow_state__base_content_type=page_type)
        .order_by("started_at", "pk")
        .values_list("workflow_state__object_id", "started_at")
    )
    mine = WorkflowState.objects.filter(
        requested_by=user, base_content_type=page_type
    ).order_by("created_at", "pk")
    in_progress = mine.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    needs_changes = mine.filter(status=WorkflowState.STATUS_NEEDS_CHANGES)
    waiting_rows = list(waiting[:ITEMS])
    progress_rows = list(in_progress.values_list("object_id", "created_at")[:ITEMS])
    changes_rows = list(needs_changes.values_list("object_id", "created_at")[:ITEMS])
    titles = dict(
        Page.objects.filter(
            pk__in={
                int(object_id)
                for object_id, _at in waiting_rows + progress_rows + changes_rows
            }
        ).values_list("pk", "title")
    )

    def items(rows):
        return tuple(
            TaskItem(
                titles.get(int(object_id), ""),
                reverse("wagtailadmin_pages:edit", args=[int(object_id)]),
            )
            for object_id, _at in rows
            if int(object_id) in titles
        )

    return [
        Task(
            label=_("Pages awaiting my moderation"),
            count=waiting.count(),
            url=report,
            items=items(waiting_rows),
        ),
        Task(
            label=_("My pages awaiting moderation"),
            count=in_progress.count(),
            url=report,
            items=items(progress_rows),
        ),
        Task(
            label=_("My pages sent back for changes"),
            count=needs_changes.count(),
            url=report,
            items=items(changes_rows),
        ),
    ]


def tasks(user, today):
    """Every public-site task of `user` (the `core.inbox.INBOX_HOOK` provider)."""
    return moderation_tasks(user, today)
