"""The registry's own metrics for targets (`incubator.selectors.metric_registry`):
3A-and-above share of rated organizations, sound governance with no bad credit
record, party-organization coverage. Registered when the app is ready
(`incubator/apps.py`).

What the registry keeps limits the trend by year: an organization has its latest
rating (with the rating date and valid-until date) and its current party
organization, not earlier ones; years before are counted with what is known now.
"""

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from incubator.choices import (
    InspectionResult,
    PartyOrganization,
    Rating,
    RegistrationStatus,
)
from incubator.models import AnnualInspection, Organization
from incubator.selectors.metric_registry import Metric, metric_register, region_prefix


def organizations_in_force(on, region):
    """Organizations registered (founded on or before `on`, or with no founding
    date) and not deregistered or revoked, within the region."""

    qs = Organization.objects.filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=on),
        registration_status=RegistrationStatus.ACTIVE,
    )
    prefix = region_prefix(region)
    if prefix:
        qs = qs.filter(region__code__startswith=prefix)
    return qs


def rated_3a_count(*, on, region):
    """Rated organizations in force whose rating (rated on or before `on`, valid
    until `on` or later) is 3A, 4A or 5A, of all such rated organizations."""

    rated = (
        organizations_in_force(on, region)
        .filter(rated_on__lte=on, rating_valid_until__gte=on)
        .exclude(rating="")
    )
    high = rated.filter(rating__in=[Rating.A3, Rating.A4, Rating.A5])
    return high.count(), rated.count()


def sound_governance_count(*, on, region):
    """Organizations in force whose latest annual inspection of a year up to
    `on`'s year is 合格 (passed; 基本合格 and 不合格 are not sound) and that are on no
    credit list (活动异常名录, 严重违法失信名单) on `on`, of all organizations in force.

    The registry records governance through the annual inspection, which checks
    the articles, the governing bodies and the finances; an organization never
    inspected does not count as sound."""

    latest = (
        AnnualInspection.objects.filter(organization=OuterRef("pk"), year__lte=on.year)
        .order_by("-year")
        .values("result")[:1]
    )
    in_force = organizations_in_force(on, region)
    sound = (
        in_force.with_credit_status(on)
        .annotate(latest_result=Subquery(latest))
        .filter(
            latest_result=InspectionResult.PASSED,
            on_dishonesty_list=False,
            on_abnormal_list=False,
        )
    )
    return sound.count(), in_force.count()


def party_coverage_count(*, on, region):
    """Organizations in force with a party organization (an independent, joint or
    functional party branch), of all organizations in force."""

    in_force = organizations_in_force(on, region)
    covered = in_force.exclude(party_organization=PartyOrganization.NONE)
    return covered.count(), in_force.count()


RATED_3A = metric_register(
    Metric(
        key="rated_3a",
        label=_("Share of rated organizations rated 3A and above"),
        definition=_(
            "Organizations rated 3A, 4A or 5A with a rating in force on the day, "
            "of all organizations with a rating in force."
        ),
        count=rated_3a_count,
        unit=_("organizations"),
    )
)
SOUND_GOVERNANCE = metric_register(
    Metric(
        key="sound_governance",
        label=_("Share with sound governance and no bad credit record"),
        definition=_(
            "Organizations whose latest annual inspection is 合格 and that are on "
            "no credit list on the day, of all registered organizations."
        ),
        count=sound_governance_count,
        unit=_("organizations"),
    )
)
PARTY_COVERAGE = metric_register(
    Metric(
        key="party_coverage",
        label=_("Party-organization coverage"),
        definition=_(
            "Organizations with an independent, joint or functional party branch, "
            "of all registered organizations."
        ),
        count=party_coverage_count,
        unit=_("organizations"),
    )
)
