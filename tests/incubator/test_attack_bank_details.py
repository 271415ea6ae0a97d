"""Attacks on the payee account finance pays to: an account typed in full-width
digits is stored in ASCII digits (what a bank file and the masked account on the
payments desk show), and digits of another script (Arabic-Indic ٦٢٢٢…), which
`str.isdigit` accepts, are refused."""

import pytest
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


def test_a_full_width_account_is_stored_in_ascii_digits(make_organization):
    org = make_organization(
        bank_name="中国工商银行益阳分行", bank_account="6222000000000000"
    )
    org.bank_account = "６２２２ ０２１２ ３４５６ １２３４"
    org.full_clean()
    org.save()
    org.refresh_from_db()
    assert org.bank_account == "6222021234561234"


@pytest.mark.parametrize("typed", ["٦٢٢٢٠٢١٢٣٤٥٦١٢٣٤", "६२२२०२१२३४५६१२३४"])
def test_digits_of_another_script_are_refused(make_organization, typed):
    org = make_organization(
        bank_name="中国工商银行益阳分行", bank_account="6222000000000000"
    )
    org.bank_account = typed
    with pytest.raises(ValidationError) as refused:
        org.full_clean()
    assert refused.value.message_dict["bank_account"] == [
        "账号为8至30位数字（空格将被忽略）。"
    ]
