"""Read-side queries over the organization registry."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from core.db import statistics_reads
from incubator.choices import InspectionResult, OrganizationType, RegistrationStatus
from incubator.models import AnnualInspection, Organization

HIGH_RATINGS = ("3A", "4A", "5A")


@dataclass
class RegistrySummary:
    total: int
    by_type: list  # [(label, count)]
    rated: int
    rated_3a_or_above: int
    abnormal: int
    dishonest: int
    inspection_year: int
    inspected: int
    inspection_passed: int

    @property
    def rating_coverage(self):
        """Share of organizations with a valid rating, in percent (Suzhou: 45%)."""
        return round(self.rated * 100 / self.total, 1) if self.total else 0.0

    @property
    def inspection_rate(self):
        """Share of those due that took part in last year's inspection (Shaanxi: 92.2%)."""
        return round(self.inspected * 100 / self.total, 1) if self.total else 0.0


@statistics_reads()
def registry_summary(today=None):
    today = today or timezone.localdate()
    active = Organization.objects.filter(registration_status=RegistrationStatus.ACTIVE)
    valid_rating = Q(rating__gt="") & (
        Q(rating_valid_until__isnull=True) | Q(rating_valid_until__gte=today)
    )
    counts = active.aggregate(
        total=Count("pk"),
        rated=Count("pk", filter=valid_rating),
        high=Count("pk", filter=valid_rating & Q(rating__in=HIGH_RATINGS)),
    )
    type_counts = dict(
        active.values_list("org_type")
        .annotate(n=Count("pk"))
        .values_list("org_type", "n")
    )
    flags = active.with_credit_status(on=today).aggregate(
        dishonest=Count("pk", filter=Q(on_dishonesty_list=True)),
        abnormal=Count("pk", filter=Q(on_abnormal_list=True, on_dishonesty_list=False)),
    )
    year = today.year - 1
    inspections = AnnualInspection.objects.filter(
        year=year, organization__in=active
    ).aggregate(
        inspected=Count("pk", filter=~Q(result=InspectionResult.NOT_INSPECTED)),
        passed=Count("pk", filter=Q(result=InspectionResult.PASSED)),
    )
    return RegistrySummary(
        total=counts["total"],
        by_type=[(t.label, type_counts.get(t.value, 0)) for t in OrganizationType],
        rated=counts["rated"],
        rated_3a_or_above=counts["high"],
        abnormal=flags["abnormal"],
        dishonest=flags["dishonest"],
        inspection_year=year,
        inspected=inspections["inspected"],
        inspection_passed=inspections["passed"],
    )
