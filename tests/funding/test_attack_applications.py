"""Attacks on online applications at the deadline's edge: the closing day counts
to 23:59:59 Beijing time inclusive, so a submission within that last second
(23:59:59.5) is on time; from 00:00:00 of the next day it is late."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.models import Application
from funding.services.portal import (
    application_save,
    application_submit_online,
    call_form_version_current,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def member(org_member):
    user = org_member()
    user.org = user.organization_membership.organization
    return user


def _draft(call, member):
    ids = {b["type"]: b["id"] for b in call_form_version_current(call).blocks}
    return application_save(
        call=call,
        organization=member.org,
        user=member,
        fields={"title": "护苗行动", "requested_amount": Decimal("100000")},
        budget_lines=[("人员费用", Decimal("60000")), ("活动费用", Decimal("40000"))],
        answers={ids["number"]: "120", ids["choice"]: "儿童"},
    )


def test_a_submission_within_the_last_second_of_the_closing_day_is_on_time(
    online_call, member
):
    app = _draft(online_call, member)
    closes = online_call.closes_on
    half_past_last_second = datetime.datetime.combine(
        closes, datetime.time(23, 59, 59, 500000), tzinfo=SHANGHAI
    )
    application_submit_online(
        application=app, organization=member.org, user=member, now=half_past_last_second
    )
    assert Application.objects.get(pk=app.pk).status == S.SUBMITTED


def test_midnight_after_the_closing_day_is_late(online_call, member):
    app = _draft(online_call, member)
    midnight = datetime.datetime.combine(
        online_call.closes_on + datetime.timedelta(days=1),
        datetime.time(0, 0),
        tzinfo=SHANGHAI,
    )
    with pytest.raises(FundingError) as refused:
        application_submit_online(
            application=app, organization=member.org, user=member, now=midnight
        )
    assert f"{online_call.closes_on:%Y-%m-%d} 23:59:59" in str(refused.value)
    assert Application.objects.get(pk=app.pk).status == S.DRAFT
