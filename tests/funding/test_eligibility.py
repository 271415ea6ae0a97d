"""The eligibility check: every failure listed, the call's rules and dates."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.services.eligibility import (
    application_check_eligibility,
    call_check_eligibility,
    eligibility_failures,
)
from incubator.choices import CreditList, OrganizationType, RegistrationLevel
from incubator.models import CreditEntry

pytestmark = pytest.mark.django_db


def test_hunan_widened_eligibility_from_provincial_to_city_and_county(
    make_call, make_application, make_organization
):
    county = make_organization(registration_level=RegistrationLevel.COUNTY)
    before = make_call(name="2022年度", eligible_levels=[RegistrationLevel.PROVINCE])
    after = make_call(
        name="2023年度",
        eligible_levels=[
            RegistrationLevel.PROVINCE,
            RegistrationLevel.CITY,
            RegistrationLevel.COUNTY,
        ],
    )
    old = make_application(call=before, organization=county, status=S.SUBMITTED)
    new = make_application(call=after, organization=county, status=S.SUBMITTED)
    assert eligibility_failures(old) == [
        "县级登记的社会组织不在申报范围内（可申报：省级）。"
    ]
    assert eligibility_failures(new) == []


def test_every_failure_is_listed_and_the_application_fails(
    make_call, make_application, make_organization
):
    call = make_call(eligible_types=[OrganizationType.SOCIAL_SERVICE])
    org = make_organization(org_type=OrganizationType.FOUNDATION)
    CreditEntry.objects.create(
        organization=org,
        list_type=CreditList.SERIOUS_DISHONESTY,
        reason="弄虚作假骗取登记",
        date_in=timezone.localdate() - datetime.timedelta(days=30),
    )
    app = make_application(
        call=call,
        organization=org,
        requested_amount=Decimal("200000"),
        lines=[("人员费用", Decimal("120000")), ("活动费用", Decimal("60000"))],
        status=S.SUBMITTED,
    )
    app = application_check_eligibility(app)
    assert app.status == S.INELIGIBLE
    assert app.eligibility_failures == [
        "“基金会”类型的社会组织不在申报范围内（可申报：社会服务机构）。",
        "该组织在严重违法失信名单上。",
        "申请金额200,000.00元，超过单项上限150,000.00元。",
        "预算明细合计180,000.00元，与申请金额200,000.00元不符。",
    ]


def test_an_abnormal_list_entry_is_not_a_failure_but_dishonesty_removed_is_fine(
    make_application, make_organization
):
    org = make_organization()
    CreditEntry.objects.create(
        organization=org,
        list_type=CreditList.SERIOUS_DISHONESTY,
        reason="已移出",
        date_in=datetime.date(2020, 1, 1),
        date_out=datetime.date(2021, 1, 1),
    )
    app = make_application(organization=org, status=S.SUBMITTED)
    assert application_check_eligibility(app).status == S.ELIGIBLE


def test_submission_outside_the_call_fails(make_call, make_application):
    call = make_call(
        opens_on=datetime.date(2023, 3, 1), closes_on=datetime.date(2023, 3, 31)
    )
    app = make_application(call=call, status=S.SUBMITTED)
    failures = eligibility_failures(app)
    assert len(failures) == 1 and "2023-03-01" in failures[0]


def test_only_submitted_applications_are_checked(make_application):
    app = make_application()
    with pytest.raises(FundingError):
        application_check_eligibility(app)


def test_call_check_counts(call, make_application):
    make_application(status=S.SUBMITTED)
    make_application(status=S.SUBMITTED, requested_amount=Decimal("999999"))
    assert call_check_eligibility(call) == (1, 1)
