"""Attacks on credit decisions (双公示): a back-dated listing must not open a second
entry on a list the organization is already on from a later date."""

import datetime

import pytest

from incubator.errors import IncubationError
from incubator.models import CreditDecision, CreditEntry
from incubator.services.credit import credit_decision_record


def test_a_back_dated_listing_under_a_later_open_entry_is_refused(
    make_organization, make_user
):
    user = make_user("registrar_a", "registrar")
    org = make_organization(name="益阳市助老服务中心")
    credit_decision_record(
        organization=org,
        decision_type="abnormal_in",
        reason="未按规定报送年度工作报告",
        decided_on=datetime.date(2025, 6, 1),
        authority="湖南省民政厅",
        user=user,
    )
    with pytest.raises(IncubationError, match="已在此名单中"):
        credit_decision_record(
            organization=org,
            decision_type="abnormal_in",
            reason="重复列入",
            decided_on=datetime.date(2025, 1, 1),
            authority="湖南省民政厅",
            user=user,
        )
    # one entry, one decision: nothing overlapping stored
    assert CreditEntry.objects.filter(organization=org).count() == 1
    assert CreditDecision.objects.filter(organization=org).count() == 1
