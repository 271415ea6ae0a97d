"""Reads of the annual inspection (年检/年报): who is due, and the inspection rate.

Due (应参检): an organization registered on or before 31 December of the year
(`founded_on`, the registration date; an unknown date counts as registered), still
registered (not deregistered or revoked), with a unified social credit code — a
filed community organization (备案, no code) is not inspected. Source: 《社会团体登记
管理条例》第二十八条, 《民办非企业单位年度检查办法》.

Inspection rate (参检率) = organizations that submitted their report ÷ organizations
due, in %, one decimal, rounded half up: Shaanxi's first online inspection, 1,300
of 1,410 provincial organizations → 92.2 %; Suzhou 90 %.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from incubator.choices import (
    InspectionResult,
    OrganizationType,
    RegistrationLevel,
    RegistrationStatus,
)
from incubator.models import Inspection, InspectionCampaign, Organization


def organizations_due(year):
    """The organizations due for the inspection of `year` (an int): a queryset."""
    year_end = datetime.date(year, 12, 31)
    return Organization.objects.filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=year_end),
        registration_status=RegistrationStatus.ACTIVE,
        uscc__isnull=False,
    )


def inspection_rate(submitted, due):
    """`submitted` ÷ `due` in % (Decimal, one decimal, half up), or None when
    nothing is due: ``inspection_rate(1300, 1410)`` → Decimal("92.2")."""
    if not due:
        return None
    rate = Decimal(submitted) * 100 / Decimal(due)
    return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RateRow:
    """One line of a rate table: what it groups (`label`), organizations due,
    reports submitted, the rate in % (Decimal or None) and the results counted."""

    label: str
    due: int
    submitted: int
    rate: Decimal | None
    passed: int = 0
    basically_passed: int = 0
    failed: int = 0
    not_inspected: int = 0


#: The groupings of the rate table: key → (field of Inspection, how to name a value).
GROUPINGS = {
    "level": (
        "organization__registration_level",
        lambda v: str(RegistrationLevel(v).label) if v else "",
    ),
    "type": (
        "organization__org_type",
        lambda v: str(OrganizationType(v).label) if v else "",
    ),
    "region": ("organization__region__name", str),
}

_COUNTS = {
    "due": Count("pk"),
    "submitted_n": Count("pk", filter=Q(submitted=True)),
    "passed": Count("pk", filter=Q(result=InspectionResult.PASSED)),
    "basically_passed": Count("pk", filter=Q(result=InspectionResult.BASICALLY_PASSED)),
    "failed": Count("pk", filter=Q(result=InspectionResult.FAILED)),
    "not_inspected": Count("pk", filter=Q(result=InspectionResult.NOT_INSPECTED)),
}


def _row(label, counts):
    return RateRow(
        label=label,
        due=counts["due"],
        submitted=counts["submitted_n"],
        rate=inspection_rate(counts["submitted_n"], counts["due"]),
        passed=counts["passed"],
        basically_passed=counts["basically_passed"],
        failed=counts["failed"],
        not_inspected=counts["not_inspected"],
    )


def campaign_total(campaign):
    """The whole campaign as one `RateRow` (label: the campaign's name)."""
    counts = Inspection.objects.filter(campaign=campaign).aggregate(**_COUNTS)
    return _row(str(campaign), counts)


def campaign_rates(campaign, by):
    """The campaign's rate per registration level, type or region (`by`: "level",
    "type" or "region"): a list of `RateRow`, most organizations due first."""
    field, name = GROUPINGS[by]
    rows = (
        Inspection.objects.filter(campaign=campaign)
        .values(field)
        .annotate(**_COUNTS)
        .order_by("-due", field)
    )
    return [_row(name(row[field]), row) for row in rows]


def campaigns_waiting():
    """Open campaigns with organizations that have not submitted yet, each
    annotated with `waiting` (how many), the earliest deadline first."""
    return (
        InspectionCampaign.objects.filter(status="open")
        .annotate(waiting=Count("inspections", filter=Q(inspections__submitted=False)))
        .filter(waiting__gt=0)
        .order_by("deadline", "year")
    )


def published_results(year):
    """The public announcement of `year`: (campaign, [(organization name, result
    label)]) of every organization with a result, by name; None when no campaign
    of that year exists. Names and results only (no contacts, no codes)."""
    campaign = InspectionCampaign.objects.filter(year=year).first()
    if campaign is None:
        return None
    rows = (
        Inspection.objects.filter(campaign=campaign)
        .exclude(result="")
        .order_by("organization__name")
        .values_list("organization__name", "result")
    )
    return campaign, [(name, InspectionResult(result).label) for name, result in rows]


def campaign_close_confirmation(campaign):
    """The summary before closing a campaign (`core.confirmations.Confirmation`):
    how many organizations become 未参检; refused while it is closed or a submitted
    report waits for its result."""
    from django.utils.translation import gettext as _

    from core.confirmations import Confirmation

    total = campaign_total(campaign)
    missing = list(
        campaign.inspections.filter(submitted=False)
        .order_by("organization__name")
        .values_list("pk", "organization__name")
    )
    waiting = campaign.inspections.filter(submitted=True, result="").count()
    refusal = ""
    if not campaign.is_open:
        refusal = _("The %(year)s annual inspection is already closed.") % {
            "year": campaign.year
        }
    elif waiting:
        refusal = _(
            "%(count)s submitted reports still wait for their result: give them "
            "before closing."
        ) % {"count": waiting}
    return Confirmation(
        action=_("Close the annual inspection"),
        subject=str(campaign),
        lines=[
            _(
                "%(submitted)s of %(due)s organizations due submitted their report "
                "(%(rate)s %%)."
            )
            % {"submitted": total.submitted, "due": total.due, "rate": total.rate},
            _(
                "The %(count)s organizations that did not submit get the result "
                "“Not inspected”; the results become final and public."
            )
            % {"count": len(missing)},
        ],
        headings=(_("organization"),),
        rows=[(name,) for _pk, name in missing[:50]],
        facts={"missing": [pk for pk, _name in missing], "status": campaign.status},
        refusal=refusal,
        serious=True,
    )
