"""统一社会信用代码 (GB 32100-2015) of social organizations, checked with python-stdnum."""

import operator
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as stdnum_uscc

from incubator.choices import USCC_CATEGORY_BY_TYPE, OrganizationType

CIVIL_AFFAIRS = "5"  # 登记管理部门代码: 民政


# A code written with ASCII letters, digits, spaces and hyphens only: stdnum's
# compaction of it is dropping the spaces and hyphens and upper-casing.
_ASCII_CODE = re.compile(r"[0-9A-Za-z \-]*")
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015, as stdnum's
_FORMAT = re.compile(f"[0-9]{{8}}[{_ALPHABET}]{{10}}")
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _compact_validate(value):
    """stdnum's `compact` then `validate` of the USCC: the compact code, or the
    same stdnum exception. An ASCII code (nearly every cell of an import) is
    checked here in a few microseconds — stdnum compacts a code three times,
    character by character, which was a third of validating an organization row;
    any other text goes through stdnum itself."""
    if not _ASCII_CODE.fullmatch(value):
        number = stdnum_uscc.compact(value)
        try:
            stdnum_uscc.validate(number)
        except stdnum_errors.ValidationError:
            raise
        except ValueError as exc:  # stdnum's own slip: "1234567\n…" passes its
            raise stdnum_errors.InvalidFormat() from exc  # digit check
        return number
    number = value.replace(" ", "").replace("-", "").upper()
    if len(number) != 18:
        raise stdnum_errors.InvalidLength()
    if not _FORMAT.fullmatch(number):
        raise stdnum_errors.InvalidFormat()
    total = sum(map(operator.mul, map(_VALUE.__getitem__, number[:17]), _WEIGHTS))
    if number[-1] != _ALPHABET[(31 - total) % 31]:
        raise stdnum_errors.InvalidChecksum()
    return number


def uscc_validate(value, org_type=None):
    """Return the compact code (18 characters, upper case) or raise
    ValidationError with a reason for the user."""
    try:
        number = _compact_validate(value or "")
    except stdnum_errors.InvalidLength as exc:
        raise ValidationError(
            _("The code must have 18 characters; “%(value)s” has %(count)s.")
            % {"value": value, "count": len(stdnum_uscc.compact(value or ""))}
        ) from exc
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError(
            _("The check digit of “%(value)s” is wrong: please check the code.")
            % {"value": value}
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("“%(value)s” is not a unified social credit code.") % {"value": value}
        ) from exc
    if number[0] != CIVIL_AFFAIRS:
        raise ValidationError(
            _(
                "“%(value)s” was not issued by civil affairs: a social organization's code starts with 5."
            )
            % {"value": value}
        )
    expected = USCC_CATEGORY_BY_TYPE.get(org_type)
    if expected and number[1] != expected:
        raise ValidationError(
            _(
                "“%(value)s” is the code of another kind of organization: a %(type)s's code starts with 5%(digit)s."
            )
            % {
                "value": value,
                "type": OrganizationType(org_type).label,
                "digit": expected,
            }
        )
    return number


def uscc_make(category, region_code, serial):
    """Build a valid code (demo data and tests): 5 + category + region + 9-char id + check."""
    body = f"{CIVIL_AFFAIRS}{category}{region_code}{serial:08d}X"[:17]
    body = body[:16] + _org_code_check(body[8:16])
    return body + stdnum_uscc.calc_check_digit(body)


def _org_code_check(code8):
    """The check character of the embedded 9-digit organization code (GB 11714)."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(alphabet.index(c) * w for c, w in zip(code8, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))
