"""Attacks on the annual inspection: a result withdrawn while the campaign is open
must not stay behind in the organization's registry record (which the spot-check
risk group and the targets read)."""

import datetime

import pytest

from incubator.models import AnnualInspection
from incubator.selectors.spotchecks import risk_sets
from incubator.services.inspections import inspection_record

pytestmark = pytest.mark.django_db


def test_a_withdrawn_result_leaves_the_registry(make_organization, open_campaign):
    organization = make_organization()
    campaign = open_campaign(2024)
    inspection = campaign.inspections.get()
    user = campaign.history.first().history_user
    # 不合格 entered by mistake …
    inspection_record(
        inspection=inspection,
        user=user,
        submitted=True,
        submitted_on=datetime.date(2025, 3, 2),
        result="failed",
    )
    assert AnnualInspection.objects.get(organization=organization, year=2024)
    # … and withdrawn: the report stays, the result waits
    inspection_record(
        inspection=inspection,
        user=user,
        submitted=True,
        submitted_on=datetime.date(2025, 3, 2),
        result="",
    )
    assert not AnnualInspection.objects.filter(
        organization=organization, year=2024
    ).exists()
    # so the withdrawn 不合格 no longer puts it in a spot check's risk group
    risk = risk_sets([organization.pk], on=datetime.date(2025, 12, 1))
    assert organization.pk not in risk["failed_or_skipped"]
