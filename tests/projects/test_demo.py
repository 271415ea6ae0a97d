"""The demo data: shaped like the source reports, and idempotent."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from incubator.models import Organization
from projects.choices import ReportStatus
from projects.models import Alliance, OutcomeReport, Pairing, Project
from projects.selectors.rollups import rollup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_demo_gives_each_organization_its_own_name():
    """The apps' demos find organizations by name; a name taken twice made the
    projects demo pair whichever copy PostgreSQL happened to return first."""
    names = list(Organization.objects.values_list("name", flat=True))
    assert len(names) > 100
    assert [n for n, count in Counter(names).items() if count > 1] == []


def test_seed_demo_twice_changes_nothing():
    """The module's demo was seeded once on an empty database; a second run."""
    counts = (
        Pairing.objects.count(),
        Project.objects.count(),
        OutcomeReport.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (
        Pairing.objects.count(),
        Project.objects.count(),
        OutcomeReport.objects.count(),
    )

    hunan_key = Pairing.objects.filter(
        county__code__startswith="43", county__is_key_county=True
    )
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


@pytest.mark.parametrize("role", ["administrator", "coordinator"])
def test_admin_screens_render_on_demo_data(client_for, role):
    from django.urls import reverse

    from projects.models import Indicator, Village

    client = client_for(role, username=f"test-{role}")
    if role == "coordinator":
        for pairing in Pairing.objects.all():
            pairing.coordinators.add(client.user)
    for model in (Pairing, Project, OutcomeReport, Alliance, Village, Indicator):
        name = model._meta.model_name
        listing = client.get(reverse(f"wagtailsnippets_projects_{name}:list"))
        assert listing.status_code == 200, name
        if role == "coordinator" and model in (Alliance, Village, Indicator):
            continue
        obj = model.objects.first()
        for view in ("edit", "history"):
            response = client.get(
                reverse(f"wagtailsnippets_projects_{name}:{view}", args=[obj.pk])
            )
            assert response.status_code in (200, 302), (name, view)
    report = OutcomeReport.objects.filter(status=ReportStatus.SUBMITTED).first()
    assert (
        client.get(reverse("projects_report_review", args=[report.pk])).status_code
        == 200
    )
    assert client.get(reverse("projects_rollup")).status_code == 200
    assert client.get(reverse("projects_report_import")).status_code == 200
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
