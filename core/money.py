"""Money: the one column shape for amounts in 元 and the rounding helpers."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField
from django.utils.translation import gettext as _

#: Keyword arguments of every money column: up to 999,999,999,999.99 元
#: (12 integer digits, 2 decimals). `DecimalField(_("amount (yuan)"), **MONEY)`.
MONEY = {"max_digits": 14, "decimal_places": 2}

#: One fen (分), the smallest unit of 元; amounts are quantized to it.
CENT = Decimal("0.01")

#: 100, for percentages of Decimal amounts.
HUNDRED = Decimal("100")


def money_output_field():
    """A `DecimalField` of the money shape, for `output_field=` of ORM annotations
    (Sum, Coalesce, Case) whose inputs are money columns."""
    return DecimalField(**MONEY)


def round_cents(value):
    """`value` (Decimal, int or str) rounded to the fen, half up (0.005 → 0.01):
    the rounding of scores and shares that reports quote. Returns a Decimal."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan_text(value):
    """An amount in 元 as text for messages: two decimals, thousands separated by
    commas ("1,234,567.00"). Rounds like `Decimal.quantize` (half even)."""
    return f"{Decimal(value).quantize(CENT):,}"


#: Ten thousand: 1 万元 = 10,000 元.
WAN = Decimal("10000")


def wan_yuan_text(value):
    """An amount in 元 as 万元 text for summaries and dashboards: two decimals,
    thousands separated by commas (2,760,000 元 → "276.00"; 123,456,789 元 →
    "12,345.68"), rounded half up. The unit (万元) is the caller's to write."""
    return f"{round_cents(Decimal(value) / WAN):,}"


def is_money_field(field):
    """True when the model `field` is a money column (a DecimalField of the `MONEY`
    shape): what listings, templates and exports must show as 元."""
    return (
        isinstance(field, DecimalField)
        and field.max_digits == MONEY["max_digits"]
        and field.decimal_places == MONEY["decimal_places"]
    )


def yuan_display(value, *, unit=True):
    """An amount in 元 as people read it on a screen or in a letter: to the fen,
    thousands separated by commas, with its unit ("56,500.00 元"; 7,500,000 →
    "7,500,000.00 元"); `unit=False` → "56,500.00" (a column headed "金额（元）").
    None or "" → "" (nothing to show). The one rendering behind the `yuan`
    template filter (core/templatetags/money.py)."""
    if value is None or value == "":
        return ""
    text = yuan_text(value)
    return _("%(amount)s yuan") % {"amount": text} if unit else text


def wan_yuan_display(value, *, unit=True):
    """An amount in 元 shown in 万元 for summaries and dashboards:
    two decimals, thousands separated, with its unit (7,500,000 → "750.00 万元";
    `unit=False` → "750.00"). None or "" → "". Behind the `wanyuan` filter."""
    if value is None or value == "":
        return ""
    text = wan_yuan_text(value)
    return _("%(amount)s × 10,000 yuan") % {"amount": text} if unit else text
