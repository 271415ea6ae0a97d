"""The Chinese UI's formats: Django's zh_Hans ones, with amounts grouped by
thousands with commas ("1,250,000.00"), as finance tables, budgets and public
notices write them. Django's zh_Hans has no separator (and groups by four), so
`intcomma` and `floatformat:"2g"` printed "1250000" beside the roll-up's
"1,250,000".

Dates show as 2024年3月5日 (Django's DATE_FORMAT) and are typed as 2024-03-05,
2024/3/5 or 2024年3月5日. Django's own zh_Hans input format
"%Y年%n月%j日" uses directives strptime does not have (%n) or reads the day of the
year (%j), so a typed 2024年3月5日 was refused. ISO comes first: it is the format
a form writes back into an input (`<input type="date">` and Wagtail's date picker,
WAGTAIL_DATE_FORMAT, read only ISO)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# strptime's %m and %d accept one or two digits: 2024/3/5 and 2024/03/05 alike.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2024-03-05'
    "%Y/%m/%d",  # '2024/3/5'
    "%Y年%m月%d日",  # '2024年3月5日'
    "%Y.%m.%d",  # '2024.3.5'
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",  # '2024-03-05 14:30'
    "%Y-%m-%d %H:%M:%S",  # '2024-03-05 14:30:59'
    "%Y-%m-%d %H:%M:%S.%f",  # '2024-03-05 14:30:59.000200'
    "%Y/%m/%d %H:%M",  # '2024/3/5 14:30'
    "%Y/%m/%d %H:%M:%S",  # '2024/3/5 14:30:59'
    "%Y年%m月%d日 %H:%M",  # '2024年3月5日 14:30'
    "%Y年%m月%d日 %H:%M:%S",  # '2024年3月5日 14:30:59'
    "%Y年%m月%d日%H:%M",  # '2024年3月5日14:30'
    "%Y-%m-%d",  # '2024-03-05' (midnight)
    "%Y/%m/%d",  # '2024/3/5'
    "%Y年%m月%d日",  # '2024年3月5日'
]
