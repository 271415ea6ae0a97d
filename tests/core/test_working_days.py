"""The public notice counts working days on China's official
holiday and make-up workday calendar (core/workdays.py); a year the calendar does
not carry yet is counted with weekends only, and the screens say so.

The dates of the existing award tests (June 2023) contain no holiday, which is why
they never saw the weekend-only count."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core import roles
from core.workdays import add_working_days
from funding.models.awards import PublicNotice
from funding.services.notices import notice_publish
from tests.support.confirm import post_confirmed

D = datetime.date
GAP_2027 = "2027 年的法定节假日安排尚未收录，公示期暂按周末计算，请人工核对截止日期。"
PUBLIC_GAP = "本公示期所在年份的法定节假日安排尚未收录"


def test_five_working_days_skip_national_day_and_count_the_make_up_sunday():
    # Sun 28 Sep 2025 is a make-up workday: 28, 29, 30 Sep; 1–8 Oct holiday; 9, 10 Oct.
    assert add_working_days(D(2025, 9, 28), 5) == (D(2025, 10, 10), True)


def test_five_working_days_skip_the_spring_festival():
    # Thu 12 Feb 2026: 12, 13, Sat 14 (make-up); 15–23 Feb holiday; 24, 25 Feb.
    assert add_working_days(D(2026, 2, 12), 5) == (D(2026, 2, 25), True)


def test_the_first_day_counts_only_when_it_is_a_working_day():
    # Put up on 1 Oct 2025 (holiday): the first working day is Thu 9 Oct.
    assert add_working_days(D(2025, 10, 1), 1) == (D(2025, 10, 9), True)
    # Sat 11 Oct 2025 is a make-up workday: it is the first (and only) day.
    assert add_working_days(D(2025, 10, 11), 1) == (D(2025, 10, 11), True)
    # An ordinary Saturday does not count: Sat 7 Jun 2025 → Mon 9 Jun.
    assert add_working_days(D(2025, 6, 7), 1) == (D(2025, 6, 9), True)


def test_a_year_the_calendar_does_not_carry_falls_back_to_weekends():
    # Mon 4 Jan 2027 + 5: Mon–Fri, weekends only, and not covered.
    assert add_working_days(D(2027, 1, 4), 5) == (D(2027, 1, 8), False)
    # Mon 28 Dec 2026 + 5 runs into 2027: Fri 1 Jan 2027 (New Year's Day) is
    # counted as a weekday — exactly why the screens must say so.
    assert add_working_days(D(2026, 12, 28), 5) == (D(2027, 1, 1), False)


def test_a_period_has_at_least_one_working_day():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 9, 28), 0)


@pytest.mark.django_db
def test_the_notice_published_in_the_admin_ends_after_national_day(
    client_for, approved_application
):
    app = approved_application(Decimal("90000"))
    manager = client_for(roles.FUND_MANAGER)
    response = post_confirmed(
        manager,
        reverse("wagtailsnippets_funding_publicnotice:add"),
        {
            "call": app.call.pk,
            "title": "2025年度福彩公益金资助项目立项公示",
            "starts_on": "2025-09-28",
            "working_days": "5",
            "objection_contact": "省民政厅 0731-00000000",
        },
        follow=True,
    )
    assert PublicNotice.objects.get().ends_on == D(2025, 10, 10)
    assert "尚未收录" not in response.content.decode()


@pytest.mark.django_db
def test_the_notice_over_the_spring_festival_ends_on_25_february(
    approved_application, manager
):
    app = approved_application(Decimal("90000"))
    notice = notice_publish(
        app.call,
        title="2026年度立项公示",
        starts_on=D(2026, 2, 12),
        working_days=5,
        objection_contact="0731-00000000",
        user=manager,
    )
    assert notice.ends_on == D(2026, 2, 25)
    assert notice.calendar_note == ""


@pytest.mark.django_db
def test_a_2027_notice_is_counted_on_weekends_and_every_screen_says_so(
    client_for, approved_application, make_notice_page, client, monkeypatch
):
    app = approved_application(Decimal("90000"))
    manager = client_for(roles.FUND_MANAGER)
    # The add screen says which years the calendar knows.
    form = manager.get(reverse("wagtailsnippets_funding_publicnotice:add"))
    assert "已收录 2004–2026 年" in form.content.decode()
    response = post_confirmed(
        manager,
        reverse("wagtailsnippets_funding_publicnotice:add"),
        {
            "call": app.call.pk,
            "title": "2027年度福彩公益金资助项目立项公示",
            "starts_on": "2027-01-04",
            "working_days": "5",
            "objection_contact": "省民政厅 0731-00000000",
        },
        follow=True,
    )
    notice = PublicNotice.objects.get()
    assert notice.ends_on == D(2027, 1, 8)
    # The message after publishing and the notices' listing.
    assert GAP_2027 in response.content.decode()
    listing = manager.get(reverse("wagtailsnippets_funding_publicnotice:list"))
    assert "2027年1月8日" in listing.content.decode()
    assert f'title="{GAP_2027}">暂按周末计算，请核对' in listing.content.decode()
    # The notice's own screen and the award's desk.
    edit = manager.get(
        reverse("wagtailsnippets_funding_publicnotice:edit", args=[notice.pk])
    )
    assert GAP_2027 in edit.content.decode()
    app.refresh_from_db()
    desk = manager.get(reverse("funding_award_desk", args=[app.award.pk]))
    assert GAP_2027 in desk.content.decode()
    # The public notice page, read while the notice runs (it is public from its
    # first day on: cms.selectors.announcements.notice_is_public).
    page = make_notice_page(notice)
    monkeypatch.setattr(
        "cms.selectors.announcements.timezone.localdate", lambda *a, **k: D(2027, 1, 5)
    )
    public = client.get(page.url).content.decode()
    assert "2027-01-08" in public
    assert PUBLIC_GAP in public
