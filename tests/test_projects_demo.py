"""The demo data: shaped like the source reports, and idempotent."""

import io

import pytest
from django.core.management import call_command

from projects.choices import ReportStatus
from projects.models import Alliance, OutcomeReport, Pairing, Project
from projects.rollups import rollup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Pairing.objects.count(), Project.objects.count(), OutcomeReport.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (
        Pairing.objects.count(),
        Project.objects.count(),
        OutcomeReport.objects.count(),
    )

    hunan_key = Pairing.objects.filter(county__code__startswith="43", county__is_key_county=True)
    assert hunan_key.values("county").distinct().count() == 15
    assert Alliance.objects.get(name="紫阳县社会组织帮扶合力团").pairings.count() == 3
    assert Pairing.objects.cross_province().filter(county__code="611024").exists()
    assert OutcomeReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 1
    years = set(
        OutcomeReport.objects.filter(status=ReportStatus.APPROVED).values_list(
            "year", flat=True
        )
    )
    assert years == {2023, 2024}
    # four cabins: 8+12+10+9 baby, 10+14+12+11 reading, 6+9+11+7 livestream, 5+7+6+8 doctor
    total = rollup("county").total
    assert (
        total["cabins_baby"],
        total["cabins_reading"],
        total["cabins_livestream"],
        total["cabins_doctor"],
    ) == (39, 47, 33, 26)
