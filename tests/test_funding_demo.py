from decimal import Decimal
from io import StringIO

import pytest

from core import demo as core_demo
from funding import demo as funding_demo
from funding.choices import ApplicationStatus, LineOutcome
from funding.models import Application, Call, Review
from incubator import demo as incubator_demo

pytestmark = pytest.mark.django_db


def test_demo_hunan_2023_funds_70_organizations_with_7_5_million():
    out = StringIO()
    for module in (core_demo, incubator_demo, funding_demo):
        module.seed(out)
    hunan = Call.objects.get(name__startswith="2023年度湖南省")
    approved = hunan.applications.filter(status=ApplicationStatus.APPROVED)
    assert approved.count() == 70
    assert sum(a.approved_amount for a in approved) == Decimal("7500000.00")
    line = hunan.funding_lines.get()
    assert line.entries.filter(outcome=LineOutcome.REDUCED).count() == 1
    assert hunan.applications.filter(status=ApplicationStatus.INELIGIBLE).count() == 2
    shaanxi = Call.objects.get(name__startswith="2021年度陕西省")
    assert shaanxi.total_budget == Decimal("2760000")
    assert Review.objects.filter(
        application__call=shaanxi, reviewer__username="reviewer", status="assigned"
    ).exists()
    counts = (Application.objects.count(), Review.objects.count())
    funding_demo.seed(out)  # idempotent
    assert (Application.objects.count(), Review.objects.count()) == counts
