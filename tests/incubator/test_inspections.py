"""The annual inspection (年检/年报): who is due, the inspection rate with the
reports' own figures, recording a report and closing a campaign."""

import datetime
from decimal import Decimal

import pytest

from core.models import Region
from incubator.choices import (
    InspectionResult,
    OrganizationType,
    RegistrationLevel,
    RegistrationStatus,
)
from incubator.errors import SupervisionError
from incubator.models import AnnualInspection, Inspection
from incubator.selectors.inspections import (
    campaign_rates,
    campaign_total,
    inspection_rate,
    organizations_due,
)
from incubator.services.inspections import (
    inspection_campaign_close,
    inspection_record,
)

pytestmark = pytest.mark.django_db


def test_rate_is_one_decimal_rounded_half_up():
    # Shaanxi: 1,300 of 1,410 = 92.1985… % → 92.2 %
    assert inspection_rate(1300, 1410) == Decimal("92.2")
    # Suzhou: 900 of 1,000 → 90.0 %
    assert inspection_rate(900, 1000) == Decimal("90.0")
    # 1 of 16 = 6.25 % → 6.3 % (half up, not to even)
    assert inspection_rate(1, 16) == Decimal("6.3")
    assert inspection_rate(0, 0) is None


def test_shaanxi_first_online_inspection_reaches_92_2_percent(
    bulk_organizations, open_campaign, submit_reports
):
    organizations = bulk_organizations(1410)
    campaign = open_campaign(2019)
    submit_reports(campaign, organizations[:1300])
    total = campaign_total(campaign)
    assert (total.due, total.submitted, total.rate) == (1410, 1300, Decimal("92.2"))
    # every one provincial: the level table has the one line with the same figure
    [provincial] = campaign_rates(campaign, "level")
    assert provincial.label == "省级"
    assert (provincial.due, provincial.submitted, provincial.rate) == (
        1410,
        1300,
        Decimal("92.2"),
    )


def test_suzhou_reaches_90_percent(bulk_organizations, open_campaign, submit_reports):
    organizations = bulk_organizations(200, registration_level=RegistrationLevel.CITY)
    campaign = open_campaign(2020)
    submit_reports(campaign, organizations[:180])
    assert campaign_total(campaign).rate == Decimal("90.0")


def test_rate_by_level_type_and_region(
    bulk_organizations, open_campaign, submit_reports
):
    yiyang = Region.objects.get(code="430900")
    provincial = bulk_organizations(4)  # 3 submit: 75.0 %
    county = bulk_organizations(  # 2 of 3 submit: 66.7 %
        3, registration_level=RegistrationLevel.COUNTY, region=yiyang
    )
    groups = bulk_organizations(  # social groups, 1 of 16 submits: 6.3 %
        16, org_type=OrganizationType.SOCIAL_GROUP, registration_level="city"
    )
    campaign = open_campaign(2023)
    submit_reports(campaign, provincial[:2])
    submit_reports(campaign, provincial[2:3], result=InspectionResult.FAILED)
    submit_reports(campaign, county[:2], result=InspectionResult.BASICALLY_PASSED)
    submit_reports(campaign, groups[:1])

    by_level = {row.label: row for row in campaign_rates(campaign, "level")}
    assert (by_level["省级"].submitted, by_level["省级"].rate) == (3, Decimal("75.0"))
    assert by_level["省级"].passed == 2 and by_level["省级"].failed == 1
    assert by_level["县级"].rate == Decimal("66.7")
    assert by_level["县级"].basically_passed == 2
    assert by_level["市级"].rate == Decimal("6.3")

    by_type = {row.label: row for row in campaign_rates(campaign, "type")}
    # social service organizations: 3 + 2 of 4 + 3 = 5 of 7 = 71.4 %
    assert by_type["社会服务机构"].rate == Decimal("71.4")
    assert by_type["社会团体"].rate == Decimal("6.3")

    by_region = {row.label: row for row in campaign_rates(campaign, "region")}
    # 雨花区: 3 + 1 of 4 + 16 = 4 of 20 = 20.0 %; 益阳市: 2 of 3
    assert by_region["雨花区"].rate == Decimal("20.0")
    assert by_region["益阳市"].rate == Decimal("66.7")
    # the whole campaign: 6 of 23 = 26.086… → 26.1 %
    assert campaign_total(campaign).rate == Decimal("26.1")


def test_due_means_registered_by_the_years_end_and_not_cancelled(make_organization):
    last_day = make_organization(founded_on=datetime.date(2023, 12, 31))
    next_year = make_organization(founded_on=datetime.date(2024, 1, 1))
    unknown = make_organization()
    deregistered = make_organization(
        founded_on=datetime.date(2010, 1, 1),
        registration_status=RegistrationStatus.DEREGISTERED,
    )
    revoked = make_organization(registration_status=RegistrationStatus.REVOKED)
    filed = make_organization(
        org_type=OrganizationType.COMMUNITY, filing_number="雨民社备2020001"
    )
    due = set(organizations_due(2023))
    assert last_day in due and unknown in due
    assert not due & {next_year, deregistered, revoked, filed}
    assert next_year in set(organizations_due(2024))


def test_opening_lists_the_due_organizations_once(make_organization, open_campaign):
    due = make_organization(founded_on=datetime.date(2020, 5, 1))
    make_organization(founded_on=datetime.date(2025, 5, 1))
    campaign = open_campaign(2024, deadline=datetime.date(2025, 6, 30))
    assert [i.organization for i in campaign.inspections.all()] == [due]
    with pytest.raises(SupervisionError, match="2024年度年检已存在"):
        open_campaign(2024)


def test_recording_checks_report_and_result_fit(make_organization, open_campaign):
    organization = make_organization()
    campaign = open_campaign(2024)
    inspection = campaign.inspections.get()
    user = campaign.history.first().history_user
    with pytest.raises(SupervisionError, match="需已报送年报"):
        inspection_record(
            inspection=inspection, user=user, submitted=False, result="passed"
        )
    with pytest.raises(SupervisionError, match="报送日期"):
        inspection_record(
            inspection=inspection, user=user, submitted=True, result="passed"
        )
    inspection_record(
        inspection=inspection,
        user=user,
        submitted=True,
        submitted_on=datetime.date(2025, 3, 2),
        result=InspectionResult.BASICALLY_PASSED,
    )
    inspection.refresh_from_db()
    assert inspection.result == "basically_passed"
    # the organization's own record of the year follows
    assert AnnualInspection.objects.get(
        organization=organization, year=2024
    ).result == ("basically_passed")


def test_closing_marks_the_missing_reports_not_inspected(
    bulk_organizations, open_campaign, submit_reports
):
    organizations = bulk_organizations(3)
    campaign = open_campaign(2023)
    submit_reports(campaign, organizations[:1])
    user = campaign.history.first().history_user
    Inspection.objects.filter(organization=organizations[1]).update(
        submitted=True, submitted_on=datetime.date(2024, 3, 1)
    )
    with pytest.raises(SupervisionError, match="1 份已报送的年报尚未给出结论"):
        inspection_campaign_close(campaign=campaign, user=user)
    Inspection.objects.filter(organization=organizations[1]).update(result="failed")
    assert inspection_campaign_close(campaign=campaign, user=user) == 1
    missing = Inspection.objects.get(organization=organizations[2])
    assert missing.result == InspectionResult.NOT_INSPECTED
    assert AnnualInspection.objects.get(organization=organizations[2]).result == (
        "not_inspected"
    )
    with pytest.raises(SupervisionError, match="已结束"):
        inspection_record(
            inspection=missing,
            user=user,
            submitted=True,
            submitted_on=datetime.date(2024, 5, 1),
        )
