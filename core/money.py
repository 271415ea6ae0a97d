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
