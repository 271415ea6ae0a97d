"""The task inbox of the dashboard: what waits for the signed-in user, from every app.

Each app computes its own tasks in `<app>/selectors/inbox.py`, scoped by its
`permissions.py` (a user counts only what they may act on), and registers a
function `tasks(user, today) -> list[Task]` under the Wagtail hook `INBOX_HOOK` in
its `wagtail_hooks.py`. `InboxPanel` (registered in `core/wagtail_hooks.py`) shows
them on the dashboard: counts and due dates first, overdue marked, money in 万元
(the `wanyuan` filter), and "暂无待办" when nothing waits. Core never imports the
apps: the hook joins them.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

#: The hook name under which each app registers its `tasks(user, today)` function.
INBOX_HOOK = "register_inbox_tasks"

#: How many records a task lists under its line (the rest are behind its link).
ITEMS_SHOWN = 5


@dataclass(frozen=True)
class TaskItem:
    """One record behind a task, linking to the screen that does it.

    `text` is what the user reads (a title, a name), `url` the screen, `due` the
    record's own due date (a `datetime.date`) or None."""

    text: str
    url: str
    due: datetime.date | None = None


@dataclass(frozen=True)
class Task:
    """One line of the inbox.

    - `label`: what waits, in the user's words (e.g. 待评审);
    - `count`: how many records wait (a whole number; a task of 0 is not shown);
    - `url`: the screen that does the work (a listing filtered to these records);
    - `due`: the earliest due date among them (`datetime.date`) or None;
    - `amount`: for money, the total in 元 (Decimal), shown in 万元; else None;
    - `note`: a short addition (e.g. 已评 1/3 · the call's name);
    - `items`: up to `ITEMS_SHOWN` records (`TaskItem`), most urgent first; when
      there is exactly one record the line links straight to it.
    """

    label: str
    count: int
    url: str
    due: datetime.date | None = None
    amount: Decimal | None = None
    note: str = ""
    items: tuple = ()

    @property
    def link(self):
        """The line's link: the one record's screen when only one waits."""
        if self.count == 1 and len(self.items) == 1:
            return self.items[0].url
        return self.url

    @property
    def listed_items(self):
        """The records listed under the line (named even when the line links to
        the only one)."""
        return self.items[:ITEMS_SHOWN]


def inbox_tasks(user, today=None):
    """Every app's tasks for `user` (`today` defaults to the local date): the
    non-empty ones, overdue first, then by due date (undated last), each app's
    own order kept otherwise. A list of `Task`."""
    today = today or timezone.localdate()
    tasks = []
    for provider in hooks.get_hooks(INBOX_HOOK):
        tasks.extend(task for task in provider(user, today) if task.count > 0)
    undated = datetime.date.max
    return sorted(tasks, key=lambda task: task.due or undated)


#: Wagtail's own moderation panels, folded into the inbox (`cms.selectors.inbox`
#: lists the same pages, each linking to its editor where it is approved): they ran
#: queries for every page in moderation.
FOLDED_PANELS = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}


def panels_with_inbox(user, panels):
    """The dashboard's panels with the inbox first and Wagtail's moderation panels
    (`FOLDED_PANELS`) taken out; changes `panels` in place, as the
    `construct_homepage_panels` hook does."""
    panels[:] = [p for p in panels if getattr(p, "name", "") not in FOLDED_PANELS]
    panels.insert(0, InboxPanel(user))


class InboxPanel(Component):
    """Dashboard panel: the signed-in user's task inbox (`inbox_tasks`)."""

    name = "inbox"
    order = 10
    template_name = "core/panels/inbox.html"
    heading = _("Waiting for you")

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        return {
            "heading": self.heading,
            "rows": [_row(task, today) for task in inbox_tasks(self.user, today)],
        }


def _row(task, today):
    """A task with its days left (0 = due today) or days overdue, for the panel."""
    left = None if task.due is None else (task.due - today).days
    return {
        "task": task,
        "days_left": left if left is not None and left >= 0 else None,
        "days_overdue": -left if left is not None and left < 0 else None,
    }
