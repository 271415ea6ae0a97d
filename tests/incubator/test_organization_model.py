"""The organization record: codes, ratings, founding date, credit status, history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from incubator.choices import CreditList, CreditStatus, OrganizationType
from incubator.models import CreditEntry, Organization

pytestmark = pytest.mark.django_db


def test_uscc_is_required_for_registered_organizations(make_organization):
    with pytest.raises(ValidationError) as excinfo:
        make_organization(uscc="")
    assert "uscc" in excinfo.value.message_dict


def test_filed_community_organization_needs_only_a_filing_number(make_organization):
    org = make_organization(
        org_type=OrganizationType.COMMUNITY, filing_number="雨花备字第0001号"
    )
    assert org.uscc is None
    with pytest.raises(ValidationError):
        make_organization(org_type=OrganizationType.COMMUNITY)


def test_two_organizations_cannot_share_a_code(make_organization):
    org = make_organization()
    with pytest.raises(IntegrityError):
        Organization.objects.create(
            name="重复",
            org_type=org.org_type,
            registration_level=org.registration_level,
            region=org.region,
            uscc=org.uscc,
        )


def test_several_filed_organizations_may_have_no_code(make_organization):
    for n in range(2):
        make_organization(org_type=OrganizationType.COMMUNITY, filing_number=f"备{n}")
    assert Organization.objects.filter(uscc=None).count() == 2


def test_rating_lasts_five_years(make_organization):
    org = make_organization(rating="4A", rated_on=datetime.date(2022, 5, 20))
    assert org.rating_valid_until == datetime.date(2027, 5, 19)


def test_expired_rating_is_not_current(make_organization):
    org = make_organization(rating="3A", rated_on=datetime.date(2015, 1, 1))
    assert org.current_rating == ""
    fresh = make_organization(rating="5A", rated_on=datetime.date(2024, 1, 1))
    assert fresh.current_rating == "5A"


def test_future_founding_date_is_refused(make_organization):
    with pytest.raises(ValidationError) as excinfo:
        make_organization(founded_on=datetime.date.today() + datetime.timedelta(days=3))
    assert "founded_on" in excinfo.value.message_dict


def test_future_rating_date_is_refused(make_organization):
    # a fuzzed form once sent 9999-01-01: five years on left the calendar (a 500)
    with pytest.raises(ValidationError) as excinfo:
        make_organization(rating="3A", rated_on=datetime.date(9999, 1, 1))
    assert excinfo.value.message_dict["rated_on"] == ["评估日期不能晚于今天。"]


def test_rating_of_29_february_ends_on_28_february():
    from incubator.models.organizations import rating_expiry

    assert rating_expiry(datetime.date(2024, 2, 29)) == datetime.date(2029, 2, 28)
    assert rating_expiry(datetime.date(9998, 3, 1)) == datetime.date.max


def test_credit_status_follows_active_entries(make_organization):
    org = make_organization()
    assert org.credit_status() == CreditStatus.NORMAL
    CreditEntry.objects.create(
        organization=org,
        list_type=CreditList.ABNORMAL,
        reason="未年检",
        date_in=datetime.date(2024, 7, 1),
        date_out=datetime.date(2024, 12, 1),
    )
    assert org.credit_status(on=datetime.date(2024, 8, 1)) == CreditStatus.ABNORMAL
    assert org.credit_status(on=datetime.date(2025, 1, 1)) == CreditStatus.NORMAL
    CreditEntry.objects.create(
        organization=org,
        list_type=CreditList.SERIOUS_DISHONESTY,
        reason="失信",
        date_in=datetime.date(2024, 9, 1),
    )
    assert (
        org.credit_status(on=datetime.date(2024, 10, 1))
        == CreditStatus.SERIOUS_DISHONESTY
    )
    listed = Organization.objects.credit_status(
        CreditStatus.SERIOUS_DISHONESTY, on=datetime.date(2024, 10, 1)
    )
    assert list(listed) == [org]
    assert not Organization.objects.credit_status(
        CreditStatus.NORMAL, on=datetime.date(2024, 10, 1)
    ).exists()


def test_credit_entry_cannot_end_before_it_starts(make_organization):
    entry = CreditEntry(
        organization=make_organization(),
        list_type=CreditList.ABNORMAL,
        reason="x",
        date_in=datetime.date(2024, 7, 1),
        date_out=datetime.date(2024, 6, 1),
    )
    with pytest.raises(ValidationError):
        entry.full_clean()


def test_every_change_is_kept_with_history(make_organization, make_user):
    org = make_organization(name="甲")
    org.name = "乙"
    org._history_user = make_user("clerk")
    org.save()
    names = list(org.history.order_by("history_date").values_list("name", flat=True))
    assert names == ["甲", "乙"]
    assert org.history.first().history_user.username == "clerk"
