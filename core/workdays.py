"""Working days (工作日) in mainland China, for periods counted in working days.

Such as the public notice (公示期) of awards (DESIGN.md, "Dates").

A day is a working day as the State Council's General Office announces each year in
its notice on the arrangement of some public holidays (《国务院办公厅关于××年部分节假日
安排的通知》, published around November for the next year): the statutory holidays
(法定节假日) and the days taken with them are rest days, the make-up workdays
(调休上班日) — often a Saturday or Sunday — are working days, and other weekends
are rest days. The calendar is the `chinesecalendar` package, which carries those
notices (version 1.11: 2004–2026); a new year arrives with a new release once the
notice is out.

For a year the package does not carry yet, Saturdays and Sundays alone are rest
days, the result says the calendar did not cover it, and the screens say so
(`calendar_gap_note`), so that the clerk checks the end date by hand.
"""

import datetime

import chinese_calendar
from django.utils.translation import gettext as _


def calendar_years():
    """(first, last): the years whose official holidays the calendar carries, e.g.
    (2004, 2026) with chinesecalendar 1.11."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def _is_working_day(day):
    """(working, covered): whether `day` is a working day, and whether the official
    calendar knew the day's year (if not, weekdays are working days)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def _walk(start, n):
    """The end of the period and the set of years the calendar did not cover."""
    if n < 1:
        raise ValueError("A period has at least one working day.")
    day = start
    counted = 0
    missing = set()
    while True:
        working, covered = _is_working_day(day)
        if not covered:
            missing.add(day.year)
        if working:
            counted += 1
            if counted == n:
                return day, missing
        day += datetime.timedelta(days=1)


def add_working_days(start, n):
    """The last day of a period of `n` working days that begins on `start`.

    `start` is the first day of the period when it is a working day (a make-up
    workday included); otherwise the period begins on the next working day. So 5
    working days from Sunday 2025-09-28 (a make-up workday) are 28, 29, 30 September
    and 9, 10 October (1–8 October is the National Day holiday): end 2025-10-10;
    from Thursday 2026-02-12: 12, 13, 14 (a make-up Saturday), 24, 25 February
    (15–23 February is the Spring Festival holiday): end 2026-02-25.

    Arguments: `start` a `datetime.date`, `n` a whole number of working days ≥ 1
    (ValueError otherwise). Returns `(end_date, calendar_covered)`:
    `calendar_covered` is False when a day of the period falls in a year the
    official calendar does not carry yet — those days were counted with weekends
    only (see `calendar_gap_note`).
    """
    end, missing = _walk(start, n)
    return end, not missing


def calendar_gap_note(start, n):
    """The warning to show with a period of `n` working days from `start` whose
    years the official calendar does not carry yet, e.g. "2027 年的法定节假日安排
    尚未收录，公示期暂按周末计算，请人工核对截止日期。"; "" when it carries them all."""
    _end, missing = _walk(start, n)
    if not missing:
        return ""
    first, last = min(missing), max(missing)
    years = str(first) if first == last else f"{first}–{last}"
    return _(
        "China's official holidays for %(years)s are not in the platform's "
        "calendar yet: the notice period is counted with weekends only. Please "
        "check the end date by hand."
    ) % {"years": years}
