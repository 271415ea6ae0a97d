"""The registry summary: counts by hand and the dashboard panel for registry roles."""

import datetime

import pytest

from core import roles
from incubator.choices import CreditList, InspectionResult, OrganizationType
from incubator.models import AnnualInspection, CreditEntry
from incubator.selectors.registry import registry_summary

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 1)


@pytest.fixture
def registry(make_organization):
    a = make_organization(rating="5A", rated_on=datetime.date(2023, 1, 1))
    b = make_organization(rating="2A", rated_on=datetime.date(2022, 1, 1))
    c = make_organization(
        rating="4A", rated_on=datetime.date(2018, 1, 1)
    )  # expired 2022
    d = make_organization(org_type=OrganizationType.FOUNDATION)
    make_organization(registration_status="deregistered")  # not counted
    for org, result in [
        (a, InspectionResult.PASSED),
        (b, InspectionResult.BASICALLY_PASSED),
        (c, InspectionResult.NOT_INSPECTED),
    ]:
        AnnualInspection.objects.create(organization=org, year=2024, result=result)
    CreditEntry.objects.create(
        organization=c,
        list_type=CreditList.ABNORMAL,
        reason="未年检",
        date_in=datetime.date(2025, 5, 1),
    )
    CreditEntry.objects.create(
        organization=d,
        list_type=CreditList.ABNORMAL,
        reason="x",
        date_in=datetime.date(2025, 1, 1),
    )
    CreditEntry.objects.create(
        organization=d,
        list_type=CreditList.SERIOUS_DISHONESTY,
        reason="y",
        date_in=datetime.date(2025, 2, 1),
    )
    return a, b, c, d


def test_summary_counts_by_hand(registry):
    summary = registry_summary(today=TODAY)
    assert summary.total == 4
    assert dict(summary.by_type)["社会服务机构"] == 3
    assert dict(summary.by_type)["基金会"] == 1
    assert summary.rated == 2  # a and b; c's rating expired
    assert summary.rated_3a_or_above == 1
    assert summary.rating_coverage == 50.0
    assert (summary.inspection_year, summary.inspected, summary.inspection_passed) == (
        2024,
        2,
        1,
    )
    assert summary.inspection_rate == 50.0  # 2 of 4
    assert (summary.abnormal, summary.dishonest) == (
        1,
        1,
    )  # d counts once, as dishonest


def test_dashboard_shows_the_panel_to_registry_roles(client_for, registry):
    html = client_for(roles.OPERATOR).get("/admin/").content.decode()
    assert "社会组织概况" in html and "严重违法失信名单" in html
    html = client_for(roles.REVIEWER).get("/admin/").content.decode()
    assert "社会组织概况" not in html
