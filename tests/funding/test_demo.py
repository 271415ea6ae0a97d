"""The funding demo data: Hunan 2023's 70 awards, partly paid awards, purchases."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest

from funding import demo as funding_demo
from funding.choices import ApplicationStatus, LineOutcome
from funding.models import Application, Call, Review
from funding.models.awards import Award, Disbursement, DisbursementStatus
from funding.models.purchases import ServicePurchase
from funding.selectors.purchases import purchase_summary

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_demo_hunan_2023_funds_70_organizations_with_7_5_million():
    """The module's demo was seeded once on an empty database; then the funding
    demo runs again."""
    out = StringIO()
    hunan = Call.objects.get(name__startswith="2023年度湖南省")
    # the approved applications went through public notice and are awards now
    approved = hunan.applications.filter(approved_amount__isnull=False)
    assert approved.count() == 70
    assert sum(a.approved_amount for a in approved) == Decimal("7500000.00")
    assert not approved.filter(status=ApplicationStatus.APPROVED).exists()
    line = hunan.funding_lines.get()
    assert line.entries.filter(outcome=LineOutcome.REDUCED).count() == 1
    assert hunan.applications.filter(status=ApplicationStatus.INELIGIBLE).count() == 2
    shaanxi = Call.objects.get(name__startswith="2021年度陕西省")
    assert shaanxi.total_budget == Decimal("2760000")
    assert Review.objects.filter(
        application__call=shaanxi, reviewer__username="reviewer", status="assigned"
    ).exists()
    counts = (
        Application.objects.count(),
        Review.objects.count(),
        Award.objects.count(),
        Disbursement.objects.count(),
        ServicePurchase.objects.count(),
    )
    funding_demo.seed(out)  # idempotent
    assert (
        Application.objects.count(),
        Review.objects.count(),
        Award.objects.count(),
        Disbursement.objects.count(),
        ServicePurchase.objects.count(),
    ) == counts


def test_demo_awards_partly_paid_and_suzhou_purchases():
    awards = Award.objects.filter(application__call__name__startswith="2023年度湖南省")
    assert awards.count() == 70
    assert sum(a.approved_amount for a in awards) == Decimal("7500000.00")
    statuses = Counter(a.application.status for a in awards)
    assert statuses[ApplicationStatus.AWARDED] == 10  # agreements not yet signed
    assert statuses[ApplicationStatus.COMPLETED] == 1
    assert statuses[ApplicationStatus.TERMINATED] == 1
    paid = Disbursement.objects.filter(
        status=DisbursementStatus.PAID, tranche__award__in=awards
    )
    # 40 first tranches (60%) + one final tranche; nothing above any award
    # (the demo organization's 2025 award, portal_awards, is another call's)
    assert paid.count() == 41
    for award in awards:
        assert award.paid_total <= award.approved_amount
    assert Disbursement.objects.filter(status=DisbursementStatus.APPROVED).count() == 10
    suzhou = ServicePurchase.objects.filter(region__code="320500")
    assert suzhou.count() == 10
    # 10 years (2014–2023), social organizations' share of 14.1 million:
    # (14,100,000 − 1,500,000 − 800,000) ÷ 14,100,000 = 83.69%
    summary = purchase_summary(suzhou)
    assert summary["contract_total"] == Decimal("14100000")
    assert summary["years"] == 10
    assert summary["social_share"] == Decimal("83.69")


def test_demo_organization_applies_online():
    """The `org` login's organization has an open call with its own form (a number
    and a choice question) and applications in four states; seeding again adds
    nothing."""
    from funding.demo.portal import CALL_NAME
    from funding.models import ApplicationSubmission
    from incubator.demo.incubation import demo_organization

    call = Call.objects.get(name=CALL_NAME)
    version = call.form_versions.get()
    assert [b["type"] for b in version.blocks] == ["number", "choice"]
    mine = Application.objects.filter(call=call, organization=demo_organization())
    assert sorted(mine.values_list("status", flat=True)) == sorted(
        [
            ApplicationStatus.DRAFT,
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.MORE_INFO,
            ApplicationStatus.REJECTED,
        ]
    )
    assert mine.get(status=ApplicationStatus.MORE_INFO).info_request
    assert ApplicationSubmission.objects.filter(application__in=mine).count() == 3
    funding_demo.seed(StringIO())
    assert mine.count() == 4
    assert ApplicationSubmission.objects.filter(application__in=mine).count() == 3


def test_demo_organization_follows_its_award_in_its_portal():
    """The demo's `org` login: an award of 128,500.00 元 (40 / 30 / 30 %), the
    first tranche (51,400.00 元) paid, the mid-term one open until the mid-term
    report is approved; that report returned with its reason; due within 14 days."""
    import datetime

    from django.utils import timezone

    from core.models import Notification, NotificationKind
    from funding.models.awards import ReportStatus
    from funding.selectors.portal_awards import awards_of, tranche_schedule
    from incubator.demo.incubation import demo_organization

    award = awards_of(demo_organization()).get()
    assert award.approved_amount == Decimal("128500")
    rows = tranche_schedule(award)
    assert [r["amount"] for r in rows] == [
        Decimal("51400.00"),
        Decimal("38550.00"),
        Decimal("38550.00"),
    ]
    assert rows[0]["state"] == "paid" and rows[0]["open"] is None
    assert rows[1]["state"] == "unpaid" and rows[1]["open"]
    report = award.reports.get()
    assert report.status == ReportStatus.RETURNED and report.return_reason
    assert report.from_organization
    today = timezone.localdate()
    assert today <= award.midterm_due_on <= today + datetime.timedelta(days=14)
    assert Notification.objects.filter(
        recipient__username="org", kind=NotificationKind.REPORT_DUE
    ).exists()
    # seeding again changes nothing
    funding_demo.seed(StringIO())
    assert awards_of(demo_organization()).count() == 1
    assert award.reports.count() == 1
