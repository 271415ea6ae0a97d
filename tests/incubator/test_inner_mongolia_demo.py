"""Inner Mongolia's demo registry is large enough for its three targets to be
figures: 40 organizations, 26 of 35 rated at 3A or above, 33 of 40 with sound
governance and no bad credit record; its purchases about a third from social
organizations each year; running the demo twice changes nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import Region
from funding.demo.awards import neimenggu_yearly
from incubator.demo import inner_mongolia
from incubator.models import AnnualInspection, CreditEntry, Organization
from incubator.selectors.metrics import rated_3a_count, sound_governance_count

pytestmark = pytest.mark.django_db


def test_the_registry_gives_the_three_figures_and_is_idempotent():
    inner_mongolia.seed(io.StringIO())
    region = Region.objects.get(code="150000")
    today = timezone.localdate()
    assert Organization.objects.filter(region__code__startswith="15").count() == 40
    # 5 unrated (index % 7 == 6), 9 at 1A/2A: 26 of 35 → 74.29%
    assert rated_3a_count(on=today, region=region) == (26, 35)
    # last year 基本合格 ×4 and 未参检 ×3 (two of them listed as abnormal)
    assert sound_governance_count(on=today, region=region) == (33, 40)
    counts = (
        Organization.objects.count(),
        AnnualInspection.objects.count(),
        CreditEntry.objects.count(),
    )
    assert counts == (40, 120, 2)
    inner_mongolia.seed(io.StringIO())
    assert (
        Organization.objects.count(),
        AnnualInspection.objects.count(),
        CreditEntry.objects.count(),
    ) == counts


def test_the_purchases_are_about_a_third_from_social_organizations():
    rows = neimenggu_yearly(datetime.date(2026, 12, 1))
    shares = {}
    for _dept, _title, _cat, _method, supplier, amount, year, _score in rows:
        social, total = shares.get(year, (Decimal(0), Decimal(0)))
        if not isinstance(supplier, tuple):
            social += Decimal(amount)
        shares[year] = (social, total + Decimal(amount))
    # 2024: 1.4 of 5.0 million; 2025: 1.7 of 5.3; 2026: 2.0 of 6.3
    assert shares == {
        2024: (Decimal("1400000"), Decimal("5000000")),
        2025: (Decimal("1700000"), Decimal("5300000")),
        2026: (Decimal("2000000"), Decimal("6300000")),
    }
    names = {row[4] for row in rows if not isinstance(row[4], tuple)}
    made = {inner_mongolia.organization_name(i) for i in range(40)}
    assert names <= made
