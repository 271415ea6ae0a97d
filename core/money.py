"""Money: the one column shape for amounts in 元 and the rounding helpers."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField

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
