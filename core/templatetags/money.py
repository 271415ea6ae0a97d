"""Template filters for money and counts: `yuan`, `wanyuan` and `count`."""

from django import template

from core.money import wan_yuan_display, yuan_display
from core.numbers import count_display

register = template.Library()

#: The argument of `yuan`/`wanyuan` that leaves the unit out (for a column whose
#: heading already says 元 or 万元): `{{ x|yuan:"bare" }}`.
BARE = "bare"


@register.filter
def yuan(value, arg=""):
    """`{{ x|yuan }}` → "56,500.00 元"; `{{ x|yuan:"bare" }}` → "56,500.00".
    The one way a template prints an amount in 元 to the fen (screens, forms,
    letters); empty for None. See `core.money.yuan_display`."""
    return yuan_display(value, unit=arg != BARE)


@register.filter
def wanyuan(value, arg=""):
    """`{{ x|wanyuan }}` → "750.00 万元" (x in 元); `{{ x|wanyuan:"bare" }}` →
    "750.00". For summaries and dashboards; empty for None. See
    `core.money.wan_yuan_display`."""
    return wan_yuan_display(value, unit=arg != BARE)


@register.filter
def count(value, unit=""):
    """`{{ n|count:"人" }}` → "2,150 人"; `{{ n|count }}` → "2,150". A count as a
    whole number with thousands separators; empty for None. See
    `core.numbers.count_display`."""
    return count_display(value, unit or "")
