"""Two clerks recording payments on one tranche at the same moment (PostgreSQL,
real transactions): the second waits for the first and is refused when the two
together would exceed the tranche. Same for finance paying while a clerk records."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from funding.errors import FundingError
from funding.models.awards import Disbursement, DisbursementStatus
from funding.services.disbursements import disbursement_record
from tests.support.concurrency import in_thread

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)"
    ),
]


def test_two_clerks_cannot_overpay_a_tranche(make_award, manager, make_user):
    award = make_award()  # first tranche: 60% of 100,000 = 60,000
    tranche = award.tranches.first()
    clerk = make_user("clerk2")
    ready, release, errors = threading.Event(), threading.Event(), []

    def held():
        with transaction.atomic():
            disbursement_record(tranche, amount="40000", user=manager)
            ready.set()
            release.wait(timeout=30)

    first = in_thread(held, errors)
    assert ready.wait(timeout=30)
    # 40,000 + 40,000 = 80,000 > 60,000: the second must wait, then be refused
    second = in_thread(
        lambda: disbursement_record(tranche, amount="40000", user=clerk), errors
    )
    release.set()
    first.join(30)
    second.join(30)
    assert len(errors) == 1 and isinstance(errors[0], FundingError)
    assert "最多还可拨付20,000.00元" in " ".join(errors[0].messages)
    amounts = list(
        Disbursement.objects.filter(tranche=tranche).values_list("amount", flat=True)
    )
    assert amounts == [Decimal("40000")]


def test_both_fit_so_both_are_kept(make_award, manager, make_user):
    award = make_award()
    tranche = award.tranches.first()
    clerk = make_user("clerk2")
    ready, release, errors = threading.Event(), threading.Event(), []

    def held():
        with transaction.atomic():
            disbursement_record(tranche, amount="30000", user=manager)
            ready.set()
            release.wait(timeout=30)

    first = in_thread(held, errors)
    assert ready.wait(timeout=30)
    second = in_thread(
        lambda: disbursement_record(tranche, amount="30000", user=clerk), errors
    )
    release.set()
    first.join(30)
    second.join(30)
    assert errors == []
    assert sorted(
        Disbursement.objects.filter(
            tranche=tranche, status=DisbursementStatus.RECORDED
        ).values_list("amount", flat=True)
    ) == [Decimal("30000"), Decimal("30000")]
