"""The announcement listings of the public site: award notices (公示) and call
announcements (申报通知) with their state and dates, newest first."""

import datetime
from dataclasses import dataclass

from django.db.models import DateField, F, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from wagtail.models import Page

from funding.models import Call, PublicNotice

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


def notice_is_public(notice, *, today=None):
    """Whether a 公示 (`funding.PublicNotice`) may be read on the public site
    `today` (default: the local date): from its first day (`starts_on`) on, and
    for good after it ends. Before that day its approved list (organizations,
    projects, amounts) is not published: the department chose the day the 公示
    starts, and the objection period counts from it (DESIGN.md, 公示)."""
    return notice.starts_on <= (today or timezone.localdate())


def _state(starts_on, ends_on, today):
    if today < starts_on:
        return "upcoming"
    if today <= ends_on:
        return "running"
    return "ended"


def _published_on(page):
    moment = page.first_published_at or page.latest_revision_created_at
    return timezone.localdate(moment) if moment else timezone.localdate()


def announcement_pages(pages, *, today=None):
    """`pages` (a queryset of live, public pages) in the order of `announcements`,
    read by the database: newest first by the day each starts (a 公示's first day,
    a call's opening day, another page's first publication day in the current
    time zone), then by page id, each annotated `announced_on` (a date); a 公示
    before its first day left out. For a listing's first lines or one page of it,
    so a site with thousands of calls and notices reads only the lines it shows;
    `announcements` then gives their state and period."""
    today = today or timezone.localdate()
    # through each page type's own row (Wagtail's page classes are tables joined
    # one to one to the page): none for a page of another type
    notice_starts_on = F("awardnoticepage__notice__starts_on")
    call_opens_on = F("callpage__call__opens_on")
    published = TruncDate(Coalesce("first_published_at", "latest_revision_created_at"))
    return (
        pages.exclude(awardnoticepage__notice__starts_on__gt=today)
        .annotate(
            announced_on=Coalesce(
                notice_starts_on,
                call_opens_on,
                published,
                Value(today),
                output_field=DateField(),
            )
        )
        .order_by("-announced_on", "-pk")
    )


def announcements(pages, *, today=None, limit=None):
    """The award notices, call announcements and other pages among `pages` (a
    queryset of live, public pages), newest first by the day each starts (a 公示's
    first day, a call's opening day, another page's first publication), then by
    page id: [Announcement]. A fixed number of queries whatever the number of
    pages (one per page type, one for the notices, one for the calls). The state
    is today's (公示中 / 已结束, 申报中 / 已截止); a 公示 is listed from its
    first day (`notice_is_public`) and stays listed after it ends, so it can
    always be found."""
    today = today or timezone.localdate()
    found = list(pages.specific(defer=False))
    if not found:
        return []
    notices = PublicNotice.objects.in_bulk(
        [p.notice_id for p in found if hasattr(p, "notice_id")]
    )
    calls = Call.objects.in_bulk([p.call_id for p in found if hasattr(p, "call_id")])
    rows = []
    for page in found:
        notice = notices.get(getattr(page, "notice_id", None))
        call = calls.get(getattr(page, "call_id", None))
        if notice is not None:
            if not notice_is_public(notice, today=today):
                continue  # not out before its first day
            state = _state(notice.starts_on, notice.ends_on, today)
            row = Announcement(
                page,
                "notice",
                state,
                NOTICE_STATES[state],
                notice.starts_on,
                notice.ends_on,
            )
        elif call is not None:
            state = _state(call.opens_on, call.closes_on, today)
            row = Announcement(
                page, "call", state, CALL_STATES[state], call.opens_on, call.closes_on
            )
        else:
            row = Announcement(page, "page", "", "", _published_on(page), None)
        rows.append(row)
    rows.sort(key=lambda row: (row.starts_on, row.page.pk), reverse=True)
    return rows[:limit] if limit else rows
