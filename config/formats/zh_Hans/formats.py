"""The Chinese UI's formats: Django's zh_Hans ones, with amounts grouped by
thousands with commas ("1,250,000.00"), as finance tables, budgets and public
notices write them. Django's zh_Hans has no separator (and groups by four), so
`intcomma` and `floatformat:"2g"` printed "1250000" beside the roll-up's
"1,250,000"."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
