"""The registration officer's tasks in the dashboard inbox (`core.inbox.Task`):
annual-inspection campaigns with organizations that have not submitted yet, and
dormant-organization cases waiting for their next step."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.inbox import Task, TaskItem
from incubator.selectors.dormant import cases_waiting
from incubator.selectors.inspections import campaigns_waiting

#: How many records a task reads for its list (core.inbox shows up to 5).
ITEMS = 5


def inspection_tasks(user, today):
    """Open campaigns with reports still missing (for who may change
    inspections): one task, the count of organizations not yet submitted, the
    earliest deadline as its due date."""
    if not user.has_perm("incubator.change_inspection"):
        return []
    campaigns = list(campaigns_waiting())
    listing = reverse("wagtailsnippets_incubator_inspection:list")
    return [
        Task(
            label=_("Annual reports not yet submitted"),
            count=sum(c.waiting for c in campaigns),
            url=reverse("wagtailsnippets_incubator_inspectioncampaign:list"),
            due=min((c.deadline for c in campaigns if c.deadline), default=None),
            items=tuple(
                TaskItem(
                    _("%(campaign)s: %(count)s not submitted")
                    % {"campaign": c, "count": c.waiting},
                    f"{listing}?campaign={c.pk}&submitted=false",
                    c.deadline,
                )
                for c in campaigns[:ITEMS]
            ),
        )
    ]


def dormant_tasks(user, today):
    """Dormant-organization cases listed, interviewed or rectifying (for who may
    change cases), the longest waiting first, each opening its step screen."""
    if not user.has_perm("incubator.change_dormantcase"):
        return []
    waiting = cases_waiting()
    rows = list(waiting[:ITEMS])
    return [
        Task(
            label=_("Dormant-organization cases waiting for a step"),
            count=waiting.count(),
            url=reverse("wagtailsnippets_incubator_dormantcase:list"),
            items=tuple(
                TaskItem(
                    f"{case.organization} · {case.get_status_display()}",
                    reverse("incubator_dormant_step", args=[case.pk]),
                )
                for case in rows
            ),
        )
    ]


def tasks(user, today):
    """Every supervision task of `user` (a `core.inbox.INBOX_HOOK` provider)."""
    return [*inspection_tasks(user, today), *dormant_tasks(user, today)]
