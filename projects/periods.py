"""Fixed reporting periods: quarters, half-years and years."""

import datetime

from django.utils.translation import gettext as _

from projects.choices import PeriodType

PERIODS_PER_YEAR = {PeriodType.QUARTER: 4, PeriodType.HALF_YEAR: 2, PeriodType.YEAR: 1}


def period_bounds(period_type, year, number):
    """First and last day of period `number` (1-based) of `year`."""
    count = PERIODS_PER_YEAR[period_type]
    months = 12 // count
    first_month = (number - 1) * months + 1
    start = datetime.date(year, first_month, 1)
    last_month = first_month + months - 1
    if last_month == 12:
        end = datetime.date(year, 12, 31)
    else:
        end = datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)
    return start, end


def period_label(period_type, year, number):
    if period_type == PeriodType.YEAR:
        return _("%(year)s") % {"year": year}
    if period_type == PeriodType.HALF_YEAR:
        half = _("first half") if number == 1 else _("second half")
        return _("%(year)s %(half)s") % {"year": year, "half": half}
    return _("%(year)s Q%(number)s") % {"year": year, "number": number}
