"""Numbers typed by people: one parser and one form field for every number input.

Every money, score, percentage and count input of the product goes through them.

A number beyond what its field holds (more digits than `max_digits`, or more
decimals than `decimal_places`), NaN, ±Infinity, 1e400 or 1e-400 gets a clear
error naming the limit instead of a server error, and nothing is stored.
Full-width digits (１２, typed with a Chinese input method) are read as the
number they show, as Python's `Decimal` does.

And how a count is shown back (`count_display`): a whole number with its unit.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

# full-width punctuation a Chinese input method may produce inside a number
_FULL_WIDTH = str.maketrans({"．": ".", "，": ",", "－": "-", "＋": "+", "　": " "})


def largest(max_digits, decimal_places):
    """The largest value a DecimalField(max_digits, decimal_places) holds, e.g.
    999999999999.99 for (14, 2)."""
    whole = Decimal(10) ** (max_digits - decimal_places) - 1
    if decimal_places:
        return whole + (1 - Decimal(10) ** -decimal_places)
    return whole


def parse_decimal(value, *, max_digits, decimal_places, money=False):
    """A finite Decimal that fits DecimalField(max_digits, decimal_places), from
    user text (thousands separators and full-width characters accepted).

    Raises ValidationError (Chinese by default) for text that is not a number,
    NaN/Infinity, a value over the limit (the message names the largest allowed
    value, in yuan when `money`) or too many decimals. Range rules of the domain
    (more than zero, at most 100 …) stay with the caller."""
    text = str(value).translate(_FULL_WIDTH).replace(",", "").strip()
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a number.") % {"value": value}, code="invalid"
        ) from None
    if not number.is_finite():
        raise ValidationError(
            _("“%(value)s” is not a number.") % {"value": value}, code="invalid"
        )
    limit = largest(max_digits, decimal_places)
    if abs(number) > limit:
        if money:
            message = _("The amount cannot exceed %(limit)s yuan.")
        else:
            message = _("The value cannot exceed %(limit)s.")
        raise ValidationError(message % {"limit": f"{limit:,}"}, code="max_digits")
    exponent = number.as_tuple().exponent
    if number != 0 and -exponent > decimal_places:
        if decimal_places == 0:
            message = _("Give a whole number.")
        else:
            message = _("At most %(places)s decimal places.") % {
                "places": decimal_places
            }
        raise ValidationError(message, code="max_decimal_places")
    return number if number else Decimal(0)


_DEFAULT_INVALID = forms.DecimalField.default_error_messages["invalid"]


class BoundedDecimalField(forms.DecimalField):
    """forms.DecimalField whose errors name the limit (see `parse_decimal`);
    registered for every model DecimalField of the Wagtail admin forms in
    `core.wagtail_hooks`."""

    def __init__(self, *, money=None, **kwargs):
        super().__init__(**kwargs)
        if money is None:  # a model field labelled "… (yuan)" holds money
            with translation.override("en"):
                money = "yuan" in str(self.label or "").lower()
        self.money = money

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.localize:
            value = forms.fields.formats.sanitize_separators(value)
        if self.max_digits is None:
            return super().to_python(value)
        try:
            return parse_decimal(
                value,
                max_digits=self.max_digits,
                decimal_places=self.decimal_places or 0,
                money=self.money,
            )
        except ValidationError as exc:
            # a field that set its own wording for text (projects' NumberField:
            # "只接受数字…") keeps it; the limits keep parse_decimal's wording
            custom = self.error_messages["invalid"]
            if exc.code == "invalid" and custom != _DEFAULT_INVALID:
                raise ValidationError(custom, code="invalid") from None
            raise


def install_form_field():
    """Every model DecimalField of a Wagtail admin form uses BoundedDecimalField
    (called from CoreConfig.ready, before the apps' forms are built)."""
    from django.db import models
    from wagtail.admin.forms.models import register_form_field_override

    register_form_field_override(
        models.DecimalField, override={"form_class": BoundedDecimalField}
    )


def year_param(value, *, first, last):
    """The year a user chose in a URL (`?year=2023`: a string or None) as an int
    when it lies in first–last; None (every year) for anything else — missing,
    mistyped (“²”, “2023 OR 1=1”), negative or twenty digits long, which the
    database could not even compare."""
    try:
        year = int((value or "").strip())
    except (TypeError, ValueError):
        return None
    return year if first <= year <= last else None


def count_display(value, unit=""):
    """A count or figure as people read it: thousands separated by commas, a
    whole number without decimals even when stored in a DecimalField
    (Decimal("2150.00") → "2,150"), any other with at least two decimals as money
    is written ("980,000.50", not "980,000.5"; a ratio 0.125 keeps its third),
    followed by its unit (人, 间, 个, 场, 户) when given: "2,150 人".
    None or "" → "" (nothing to show). Text that is not a number is returned
    as it is. The one rendering behind the `count` template filter."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    if number == number.to_integral_value():
        text = f"{number.to_integral_value():,f}"
    else:
        number = number.normalize()
        if number.as_tuple().exponent > -2:
            number = number.quantize(Decimal("0.01"))
        text = f"{number:,f}"
    return f"{text} {unit}" if unit else text
