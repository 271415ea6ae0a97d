"""Inner Mongolia's demo registry: 40 organizations across its leagues and cities,
enough for the three targets of 《内蒙古自治区关于推动社会组织高质量发展的意见》
(seed report 004: by 2025, 3A and above ≥ 80% of rated organizations; ≥ 90% with
sound governance and no bad credit record; ≥ 30% of new public-service purchases
from social organizations) to be figures, not anecdotes.

Built to land near the report's targets, a little short of them, as a province
midway reads its board (these 40 alone, on the seed day):

- ratings: 35 of the 40 rated, 26 of those 3A or above (5 unrated; 9 at 1A/2A)
  → 26 / 35 = 74.3% (target 80%);
- governance: the last year's annual inspection 基本合格 for 4, 未参检 for 3 (two of
  them also on the 活动异常名录) → 33 / 40 = 82.5% sound (target 90%);
- purchases: `funding.demo.awards.neimenggu_yearly` signs Inner Mongolia's
  purchases each year from these organizations and from companies: 28.0%, 32.1%,
  31.7% of the amount over the last three years (target 30%).

Idempotent: organizations by USCC (serials 15001–15040), their inspections and
credit entries made only with the organization."""

import datetime

from django.utils import timezone

from core.models import Region
from incubator.choices import (
    USCC_CATEGORY_BY_TYPE,
    CreditList,
    InspectionResult,
    OrganizationType,
    PartyOrganization,
    RegistrationLevel,
)
from incubator.models import AnnualInspection, CreditEntry, Organization
from incubator.services.service_fields import service_fields_ensure
from incubator.uscc import uscc_make

#: (region code, place in the name) of the leagues and cities the demo spreads over.
PLACES = [
    ("150100", "呼和浩特市"),
    ("150200", "包头市"),
    ("150300", "乌海市"),
    ("150400", "赤峰市"),
    ("150500", "通辽市"),
    ("150600", "鄂尔多斯市"),
    ("150700", "呼伦贝尔市"),
    ("150800", "巴彦淖尔市"),
    ("150900", "乌兰察布市"),
    ("152500", "锡林郭勒盟"),
]

#: (name ending, type, service fields) the names are made of.
KINDS = [
    ("养老服务中心", OrganizationType.SOCIAL_SERVICE, ["养老"]),
    ("社会工作服务中心", OrganizationType.SOCIAL_SERVICE, ["社区治理"]),
    ("牧区发展促进会", OrganizationType.SOCIAL_GROUP, ["乡村振兴"]),
    ("残疾人康复服务中心", OrganizationType.SOCIAL_SERVICE, ["助残"]),
]

#: How many organizations (PLACES × KINDS).
COUNT = 40
SERIAL_BASE = 15000


def organization_name(index):
    """The demo name of the `index`-th organization (0–39), e.g. 呼和浩特市养老服务中心."""
    place = PLACES[index % len(PLACES)][1]
    ending = KINDS[index // len(PLACES)][0]
    return f"{place}{ending}"


def _rating(index):
    """(rating, rated on) of the `index`-th organization: unrated when index % 7
    == 6, 1A/2A when index % 4 == 1, else 3A–5A; rated within the last four years
    (ratings last five)."""
    if index % 7 == 6:
        return "", None
    rating = (
        ("2A", "1A")[index % 2]
        if index % 4 == 1
        else ("3A", "4A", "3A", "5A")[index % 4]
    )
    today = timezone.localdate()
    return rating, datetime.date(today.year - 1 - index % 4, 1 + index % 12, 10)


def _last_year_result(index):
    if index % 13 == 7:
        return InspectionResult.NOT_INSPECTED
    if index % 9 == 4:
        return InspectionResult.BASICALLY_PASSED
    return InspectionResult.PASSED


def seed(stdout):
    """Create the 40 organizations with three years of annual inspections and
    their credit entries (idempotent)."""
    fields = service_fields_ensure()
    regions = {
        r.code: r for r in Region.objects.filter(code__in=[c for c, _ in PLACES])
    }
    last_year = timezone.localdate().year - 1
    made = 0
    for index in range(COUNT):
        code = PLACES[index % len(PLACES)][0]
        _ending, org_type, field_names = KINDS[index // len(PLACES)]
        rating, rated_on = _rating(index)
        serial = SERIAL_BASE + index + 1
        organization, created = Organization.objects.get_or_create(
            uscc=uscc_make(USCC_CATEGORY_BY_TYPE[org_type], code, serial),
            defaults={
                "name": organization_name(index),
                "org_type": org_type,
                "registration_level": (
                    RegistrationLevel.CITY if index % 3 else RegistrationLevel.COUNTY
                ),
                "region": regions[code],
                "founded_on": datetime.date(2006 + index % 15, 1 + index % 12, 1),
                "party_organization": (
                    PartyOrganization.INDEPENDENT,
                    PartyOrganization.JOINT,
                    PartyOrganization.NONE,
                )[index % 3],
                "rating": rating,
                "rated_on": rated_on,
                "legal_representative": "巴特尔" if index % 2 else "王其其格",
                "contact_name": "乌云" if index % 2 else "张敏",
                "contact_phone": f"0471-6{index:03d}{serial % 10000:04d}",
                "contact_email": f"nm{index + 1}@example.org",
            },
        )
        if not created:
            continue
        made += 1
        organization.service_fields.set([fields[f] for f in field_names])
        organization.save()  # ParentalManyToManyField writes on save
        for year in range(last_year - 2, last_year + 1):
            result = (
                _last_year_result(index)
                if year == last_year
                else InspectionResult.PASSED
            )
            AnnualInspection.objects.create(
                organization=organization, year=year, result=result
            )
        if index in (20, 33):  # did not take part last year: 活动异常名录
            CreditEntry.objects.create(
                organization=organization,
                list_type=CreditList.ABNORMAL,
                reason=f"未按规定参加{last_year}年度年检",
                date_in=min(datetime.date(last_year + 1, 7, 1), timezone.localdate()),
            )
    stdout.write(
        f"incubator: Inner Mongolia registry, {made} new of {COUNT} organizations"
    )
