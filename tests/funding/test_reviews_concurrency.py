"""Concurrent writes on PostgreSQL: nothing is lost when two reviewers submit at the
same moment, or when the funding line is drawn while a review is being submitted.

Each scenario holds the first transaction open at its most delicate point (review
written, not yet committed) and starts the second one against it: the second must
wait for the first and then see its result. No timing is asserted.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from funding.choices import ApplicationStatus as S
from funding.choices import LineOutcome, Recommendation, ReviewStatus, ShortfallRule
from funding.models import Application, Review
from funding.services.assignment import review_assign
from funding.services.funding_line import funding_line_draw
from funding.services.reviews import review_submit
from tests.fixtures.funding import score_form
from tests.support.concurrency import in_thread

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)"
    ),
]


def _held_submit(review, user, scores, ready, release):
    """Submit inside a transaction that stays open until `release` is set."""

    def run():
        with transaction.atomic():
            review_submit(
                review, user=user, scores=scores, recommendation=Recommendation.FUND
            )
            ready.set()
            release.wait(timeout=30)

    return run


@pytest.fixture
def two_reviews(make_call, make_application, make_reviewer):
    call = make_call(reviewers_per_application=2, total_budget=Decimal("300000"))
    app = make_application(call=call, status=S.ELIGIBLE)
    experts = [make_reviewer(), make_reviewer()]
    reviews = [review_assign(app, e) for e in experts]
    return call, app, experts, reviews


def test_two_reviewers_submitting_at_once_both_count(two_reviews):
    call, app, experts, reviews = two_reviews
    ready, release, errors = threading.Event(), threading.Event(), []
    first = in_thread(
        _held_submit(
            reviews[0], experts[0], score_form(call, [24, 30, 27]), ready, release
        ),
        errors,
    )
    assert ready.wait(timeout=30)
    second = in_thread(
        lambda: review_submit(
            reviews[1],
            user=experts[1],
            scores=score_form(call, [18, 20, 21]),
            recommendation=Recommendation.REJECT,
        ),
        errors,
    )
    release.set()
    first.join(30)
    second.join(30)
    assert errors == []
    statuses = set(
        Review.objects.filter(application=app).values_list("status", flat=True)
    )
    assert statuses == {ReviewStatus.SUBMITTED}
    # the second submit waited for the first and saw it: the application moved on
    assert Application.objects.get(pk=app.pk).status == S.REVIEWED


def test_drawing_the_line_while_a_review_is_submitted(two_reviews, make_user):
    call, app, experts, reviews = two_reviews
    review_submit(
        reviews[0],
        user=experts[0],
        scores=score_form(call, [24, 30, 27]),  # 81.00
        recommendation=Recommendation.FUND,
    )
    manager = make_user("manager")
    ready, release, errors = threading.Event(), threading.Event(), []
    lines = []
    submit = in_thread(
        _held_submit(
            reviews[1], experts[1], score_form(call, [18, 20, 21]), ready, release
        ),
        errors,
    )
    assert ready.wait(timeout=30)
    draw = in_thread(
        lambda: lines.append(
            funding_line_draw(
                call, rule=ShortfallRule.SKIP, reason="按排名资助", user=manager
            )
        ),
        errors,
    )
    release.set()
    submit.join(30)
    draw.join(30)
    assert errors == []
    # The line waited for the review: the application is in it with both reviews,
    # (81.00 + 59.00) / 2 = 70.00 — 18/30·30 + 20/40·40 + 21/30·30 = 18 + 20 + 21 = 59.
    entry = lines[0].entries.get()
    assert entry.application_id == app.pk
    assert entry.score == Decimal("70.00")
    assert entry.outcome == LineOutcome.FUNDED
    assert (
        Review.objects.filter(application=app, status=ReviewStatus.SUBMITTED).count()
        == 2
    )
