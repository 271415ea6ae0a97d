"""The announcement listings of the public site: award notices (公示) and call
announcements (申报通知) with their state and dates, newest first."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import pgettext_lazy
from wagtail.models import Page

#: State of a 公示 on a given day: before its first day, during it, after its end.
NOTICE_STATES = {
    "upcoming": pgettext_lazy("notice state", "Not yet started"),
    "running": pgettext_lazy("notice state", "On public notice"),
    "ended": pgettext_lazy("notice state", "Ended"),
}
#: State of a call on a given day: before it opens, open, after it closes.
CALL_STATES = {
    "upcoming": pgettext_lazy("call state", "Opens soon"),
    "running": pgettext_lazy("call state", "Open for applications"),
    "ended": pgettext_lazy("call state", "Closed"),
}


@dataclass(frozen=True)
class Announcement:
    """One line of a listing: the live page, its kind (`notice`, `call` or
    `page` for any other child), its state key (`upcoming`, `running`, `ended`,
    or "" for a plain page) and label, and its period (`starts_on`, `ends_on`;
    `ends_on` None for a plain page, whose `starts_on` is its first publication
    day)."""

    page: Page
    kind: str
    state: str
    state_label: str
    starts_on: datetime.date
    ends_on: datetime.date | None


def _state(starts_on, ends_on, today):
    if today < starts_on:
        return "upcoming"
    if today <= ends_on:
        return "running"
    return "ended"


def _published_on(page):
    moment = page.first_published_at or page.latest_revision_created_at
    return timezone.localdate(moment) if moment else timezone.localdate()


def announcements(pages, *, today=None, limit=None):
    """The award notices, call announcements and other pages among `pages` (a
    queryset of live, public pages), newest first by the day each starts (a 公示's
    first day, a call's opening day, another page's first publication), then by
    page id: [Announcement]. Three queries whatever the number of pages. The
    state is today's (公示中 / 已结束, 申报中 / 已截止); a 公示 stays listed
    after it ends, so it can always be found (issue item 1)."""
    from cms.models import AwardNoticePage, CallPage

    today = today or timezone.localdate()
    ids = list(pages.values_list("pk", flat=True))
    rows = []
    notices = AwardNoticePage.objects.filter(pk__in=ids).select_related("notice")
    for page in notices:
        notice = page.notice
        state = _state(notice.starts_on, notice.ends_on, today)
        rows.append(
            Announcement(
                page,
                "notice",
                state,
                NOTICE_STATES[state],
                notice.starts_on,
                notice.ends_on,
            )
        )
    calls = CallPage.objects.filter(pk__in=ids).select_related("call")
    for page in calls:
        call = page.call
        state = _state(call.opens_on, call.closes_on, today)
        rows.append(
            Announcement(
                page, "call", state, CALL_STATES[state], call.opens_on, call.closes_on
            )
        )
    done = {row.page.pk for row in rows}
    others = Page.objects.filter(pk__in=[i for i in ids if i not in done])
    for page in others:
        rows.append(Announcement(page, "page", "", "", _published_on(page), None))
    rows.sort(key=lambda row: (row.starts_on, row.page.pk), reverse=True)
    return rows[:limit] if limit else rows
