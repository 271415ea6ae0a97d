"""Moderation notifications (`core.notifications.notify`) from Wagtail's workflow signals.

A page submitted → the moderators (members of the approval task's groups, see
`cms.moderation`), not the submitter; approved (and so published) or returned
for changes → the editor who submitted it. These handlers take the place of
Wagtail's own moderation e-mails: `notifications_install` connects them under
Wagtail's dispatch_uids, so Wagtail's mailers (connected later, by
`wagtail.admin`'s ready, under the same ids) are never connected and nobody gets
two mails. Wagtail's mail on submission to every superuser is dropped with them:
the moderators are told through the task.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import (
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from core.notifications import NotificationKind, notify

#: Wagtail's dispatch_uids (wagtail/admin/signal_handlers.py) and the signals they
#: are on: ours are connected under them.
WAGTAIL_MAILERS = {
    "group_approval_task_submitted_email_notification": (task_submitted, TaskState),
    "workflow_state_submitted_email_notification": (workflow_submitted, WorkflowState),
    "workflow_state_rejected_email_notification": (workflow_rejected, WorkflowState),
    "workflow_state_approved_email_notification": (workflow_approved, WorkflowState),
}


def _page(state):
    page = state.content_object if hasattr(state, "content_object") else None
    return getattr(page, "specific", page)


def _edit_link(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def page_submitted_notify(sender, instance, user=None, **kwargs):
    """A page reached a group-approval task: tell the task's groups' members."""
    task = instance.task.specific
    groups = getattr(task, "groups", None)
    page = _page(instance.workflow_state)
    if groups is None or page is None:
        return
    moderators = get_user_model().objects.filter(groups__in=groups.all()).distinct()
    notify(
        NotificationKind.PAGE_SUBMITTED,
        moderators,
        title=format_lazy(
            _("Page submitted for moderation: {page} ({task})"),
            page=page.get_admin_display_title(),
            task=task.name,
        ),
        link=_edit_link(page),
        actor=user,
    )


def page_approved_notify(sender, instance, user=None, **kwargs):
    """The workflow approved (the page is published): tell who submitted it."""
    page = _page(instance)
    if page is None:
        return
    notify(
        NotificationKind.PAGE_DECIDED,
        [instance.requested_by],
        title=format_lazy(
            _("Page approved and published: {page}"),
            page=page.get_admin_display_title(),
        ),
        link=_edit_link(page),
        actor=user,
    )


def page_rejected_notify(sender, instance, user=None, **kwargs):
    """The moderator asked for changes: tell who submitted it, with the comment."""
    page = _page(instance)
    if page is None:
        return
    task_state = instance.current_task_state
    comment = task_state.specific.get_comment() if task_state else ""
    notify(
        NotificationKind.PAGE_DECIDED,
        [instance.requested_by],
        title=format_lazy(
            _("Page returned for changes: {page}. {comment}"),
            page=page.get_admin_display_title(),
            comment=comment or "",
        ),
        link=_edit_link(page),
        actor=user,
    )


def workflow_submitted_quiet(sender, instance, user=None, **kwargs):
    """Nothing: the moderators are told by `page_submitted_notify`."""


HANDLERS = {
    "group_approval_task_submitted_email_notification": page_submitted_notify,
    "workflow_state_submitted_email_notification": workflow_submitted_quiet,
    "workflow_state_rejected_email_notification": page_rejected_notify,
    "workflow_state_approved_email_notification": page_approved_notify,
}


def notifications_install():
    """Connect the handlers in place of Wagtail's mailers (run in `CmsConfig.ready`,
    before `wagtail.admin`'s; a mailer already connected is disconnected first)."""
    for uid, (signal, sender) in WAGTAIL_MAILERS.items():
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(HANDLERS[uid], sender=sender, dispatch_uid=uid, weak=False)
