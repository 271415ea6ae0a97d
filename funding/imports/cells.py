"""Cell parsers shared by the funding imports: amounts in 元 and scores."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.money import MONEY
from core.numbers import parse_decimal


def _yuan(text):
    try:
        return parse_decimal(text, money=True, **MONEY)
    except ValidationError as exc:
        if exc.code == "invalid":
            raise ValidationError(
                _("“%(value)s” is not an amount in yuan.") % {"value": text}
            ) from None
        if exc.code == "max_decimal_places":
            raise ValidationError(
                _("Amounts are in yuan with at most two decimals.")
            ) from None
        raise


def parse_amount(text):
    """A positive amount in 元 (thousands separators and full-width digits
    accepted); ValidationError otherwise."""
    amount = _yuan(text)
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    return amount


def parse_paid_amount(text):
    """An amount already paid in 元: zero or more; zero means nothing was paid
    (None). ValidationError for text that is not an amount or is negative."""
    amount = _yuan(text)
    if amount < 0:
        raise ValidationError(_("The amount paid cannot be negative."))
    return amount or None


def parse_score(text):
    """A performance-evaluation score of 100 (0–100, two decimals);
    ValidationError otherwise."""
    try:
        score = parse_decimal(text, max_digits=5, decimal_places=2)
    except ValidationError as exc:
        if exc.code == "invalid":
            raise ValidationError(
                _("“%(value)s” is not a score.") % {"value": text}
            ) from None
        raise ValidationError(_("The score is between 0 and 100.")) from None
    if not 0 <= score <= 100:
        raise ValidationError(_("The score is between 0 and 100."))
    return score


def text_limit(model, field_name):
    """A parser for a text cell stored in `model.field_name`: the text, or a
    ValidationError when it is longer than the field holds (PostgreSQL would
    refuse it while writing)."""
    limit = model._meta.get_field(field_name).max_length

    def parse(text):
        if len(text) > limit:
            raise ValidationError(
                _("At most %(limit)s characters (this cell has %(length)s).")
                % {"limit": limit, "length": len(text)}
            )
        return text

    return parse
