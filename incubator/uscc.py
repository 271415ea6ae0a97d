"""统一社会信用代码 (GB 32100-2015) of social organizations, checked with python-stdnum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as stdnum_uscc

from incubator.choices import USCC_CATEGORY_BY_TYPE, OrganizationType

CIVIL_AFFAIRS = "5"  # 登记管理部门代码: 民政


def uscc_compact(value):
    """A code as it is stored: spaces and hyphens dropped, full-width digits made
    ASCII, upper case ("5243 0900-mj…" → "52430900MJ…"); the key of an
    organization in imports. A str ("" for None); never raises."""
    return stdnum_uscc.compact(value or "")


def uscc_validate(value, org_type=None):
    """Return the compact code or raise ValidationError with a reason for the user."""
    number = stdnum_uscc.compact(value or "")
    try:
        try:
            stdnum_uscc.validate(number)
        except stdnum_errors.ValidationError:
            raise
        except ValueError as exc:
            # stdnum's own slip: "1234567\n…" passes its digit check (isdigit
            # of the first eight characters after compaction), then int() fails
            raise stdnum_errors.InvalidFormat() from exc
    except stdnum_errors.InvalidLength as exc:
        raise ValidationError(
            _("The code must have 18 characters; “%(value)s” has %(count)s.")
            % {"value": value, "count": len(number)}
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
