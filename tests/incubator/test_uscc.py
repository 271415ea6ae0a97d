"""The unified social credit code (USCC): valid codes, bad ones refused why."""

import pytest
from django.core.exceptions import ValidationError

from incubator.choices import OrganizationType
from incubator.uscc import uscc_make, uscc_validate

VALID_SOCIAL_SERVICE = uscc_make("2", "430111", 12345)


def test_made_codes_pass_stdnum():
    from stdnum.cn import uscc

    assert uscc.is_valid(VALID_SOCIAL_SERVICE)
    assert VALID_SOCIAL_SERVICE.startswith("52430111")


def test_valid_code_is_returned_compact():
    spaced = VALID_SOCIAL_SERVICE[:6] + " " + VALID_SOCIAL_SERVICE[6:].lower()
    assert (
        uscc_validate(spaced, OrganizationType.SOCIAL_SERVICE) == VALID_SOCIAL_SERVICE
    )


def _wrong_check_digit(code):
    last = "0" if code[-1] != "0" else "1"
    return code[:-1] + last


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("52430111", "18"),
        (lambda: _wrong_check_digit(VALID_SOCIAL_SERVICE), "校验位"),
        ("5243011100000001I!", "不是统一社会信用代码"),
        (lambda: uscc_make("1", "430111", 1).replace("5", "9", 1), None),
    ],
)
def test_bad_codes_are_refused_with_a_reason(value, reason):
    value = value() if callable(value) else value
    with pytest.raises(ValidationError) as excinfo:
        uscc_validate(value, OrganizationType.SOCIAL_SERVICE)
    if reason:
        assert reason in " ".join(excinfo.value.messages)


def test_code_not_from_civil_affairs_is_refused():
    from stdnum.cn import uscc

    body = "9143011100000001X"[:17]
    code = body + uscc.calc_check_digit(body)
    with pytest.raises(ValidationError, match="民政"):
        uscc_validate(code)


def test_category_must_match_the_type():
    foundation_code = uscc_make("3", "430111", 7)
    assert uscc_validate(foundation_code, OrganizationType.FOUNDATION)
    with pytest.raises(ValidationError, match="53"):
        uscc_validate(uscc_make("2", "430111", 7), OrganizationType.FOUNDATION)


def test_a_line_break_after_seven_digits_is_refused_not_a_crash():
    # stdnum takes "1234567\n" for eight digits, then fails on the line break
    with pytest.raises(ValidationError) as caught:
        uscc_validate("1234567\n1234567890")
    assert "不是统一社会信用代码" in caught.value.messages[0]


@pytest.mark.django_db
def test_imports_find_an_organization_however_its_code_is_typed(
    make_organization, django_assert_num_queries
):
    """The imports' lookup reads the codes a file names, one query each the
    first time — never the whole registry."""
    from incubator.selectors.organizations import OrganizationsByCode

    wanted = make_organization(name="湖南省慈善协会")
    for n in range(3):
        make_organization(name=f"其他组织{n}")
    code = wanted.uscc
    full_width = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    lookup = OrganizationsByCode()
    with django_assert_num_queries(1):
        assert lookup.get(f"{code[:4]} {code[4:8]}-{code[8:].lower()}") == wanted
        assert lookup.get(full_width) == wanted
        assert lookup.get(code) == wanted
    with django_assert_num_queries(1):
        assert lookup.get("91430100MA4L00000X") is None
        assert lookup.get("91430100ma4l00000x") is None
    assert lookup.get("") is None
    assert list(lookup.by_code) == [code, "91430100MA4L00000X"]
