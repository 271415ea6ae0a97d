"""Scoring a review: the weighted total, refused scores, drafts, closing a review."""

from decimal import Decimal

import pytest

from funding.choices import ApplicationStatus as S
from funding.choices import Recommendation, ReviewStatus
from funding.errors import FundingError
from funding.models import Criterion, Review, Score
from funding.services.assignment import review_assign
from funding.services.reviews import (
    call_close_review,
    review_save_draft,
    review_submit,
)
from tests.fixtures.funding import score_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(call, make_application, make_reviewer):
    app = make_application(status=S.ELIGIBLE)
    experts = [make_reviewer() for _ in range(3)]
    reviews = [review_assign(app, e) for e in experts]
    return app, experts, reviews


def test_submitting_computes_the_weighted_total_and_locks(call, assigned):
    app, experts, reviews = assigned
    # 项目必要性 24/30 (w 30), 实施方案 30/40 (w 40), 组织能力 27/30 (w 30)
    # → (30·0.8 + 40·0.75 + 30·0.9) / 100 × 100 = 81.00
    review = review_submit(
        reviews[0],
        user=experts[0],
        scores=score_form(call, [24, 30, 27]),
        recommendation=Recommendation.FUND,
    )
    assert review.status == ReviewStatus.SUBMITTED
    assert review.total == Decimal("81.00")
    with pytest.raises(FundingError) as excinfo:
        review_save_draft(
            review, user=experts[0], scores=score_form(call, [30, 40, 30])
        )
    assert "锁定" in excinfo.value.messages[0]
    review.refresh_from_db()
    assert review.total == Decimal("81.00")
    assert [s.score for s in review.scores.all()] == [24, 30, 27]


def test_missing_and_out_of_range_scores_are_refused_with_clear_errors(call, assigned):
    app, experts, reviews = assigned
    criteria = list(call.criteria.all())
    scores = score_form(call, [31, "", "abc"])
    with pytest.raises(FundingError) as excinfo:
        review_submit(reviews[0], user=experts[0], scores=scores, recommendation="")
    errors = excinfo.value.message_dict
    assert errors[f"score_{criteria[0].pk}"] == ["分数须在0到30.00之间。"]
    assert "项目实施方案" not in errors[f"score_{criteria[1].pk}"][0]
    assert errors[f"score_{criteria[2].pk}"] == ["请填写数字。"]
    assert errors["recommendation"] == ["请选择评审建议。"]
    assert not Score.objects.exists()
    assert Review.objects.get(pk=reviews[0].pk).status == ReviewStatus.ASSIGNED


def test_a_draft_may_be_incomplete(call, assigned):
    app, experts, reviews = assigned
    review = review_save_draft(
        reviews[0], user=experts[0], scores=score_form(call, [20, "", ""])
    )
    assert review.status == ReviewStatus.DRAFT
    assert review.scores.get(criterion__name="项目必要性").score == 20


def test_nobody_else_can_score_a_review(call, assigned):
    app, experts, reviews = assigned
    with pytest.raises(FundingError):
        review_submit(
            reviews[0],
            user=experts[1],
            scores=score_form(call, [1, 1, 1]),
            recommendation=Recommendation.REJECT,
        )


def test_application_is_reviewed_when_all_reviews_are_in(call, assigned):
    app, experts, reviews = assigned
    for review, expert in zip(reviews, experts, strict=True):
        app.refresh_from_db()
        assert app.status == S.IN_REVIEW
        review_submit(
            review,
            user=expert,
            scores=score_form(call, [20, 30, 20]),
            recommendation=Recommendation.FUND,
        )
    app.refresh_from_db()
    assert app.status == S.REVIEWED


def test_submitted_reviews_keep_the_criteria_they_were_scored_on(call, assigned):
    app, experts, reviews = assigned
    review_submit(
        reviews[0],
        user=experts[0],
        scores=score_form(call, [24, 30, 27]),
        recommendation=Recommendation.FUND,
    )
    assert call.rubric_locked
    # even if a criterion row were removed behind the UI's back…
    Criterion.objects.filter(call=call, name="组织能力").delete()
    score = Score.objects.get(review=reviews[0], criterion_name="组织能力")
    assert (score.criterion, score.weight, score.max_score, score.score) == (
        None,
        Decimal("30"),
        Decimal("30"),
        Decimal("27"),
    )
    reviews[0].refresh_from_db()
    assert reviews[0].total == Decimal("81.00")


def test_closing_the_review_withdraws_unsubmitted_reviews(call, assigned, make_user):
    app, experts, reviews = assigned
    review_submit(
        reviews[0],
        user=experts[0],
        scores=score_form(call, [24, 30, 27]),
        recommendation=Recommendation.FUND,
    )
    review_save_draft(reviews[1], user=experts[1], scores=score_form(call, [1, 1, 1]))
    call_close_review(call, user=make_user("manager"))
    statuses = [Review.objects.get(pk=r.pk).status for r in reviews]
    assert statuses == [
        ReviewStatus.SUBMITTED,
        ReviewStatus.WITHDRAWN,
        ReviewStatus.WITHDRAWN,
    ]
    app.refresh_from_db()
    assert app.status == S.REVIEWED
    with pytest.raises(FundingError):
        review_submit(
            reviews[2],
            user=experts[2],
            scores=score_form(call, [1, 1, 1]),
            recommendation=Recommendation.FUND,
        )


def test_a_comment_holding_a_nul_character_is_refused_on_the_screen(
    client, call, assigned
):
    """PostgreSQL cannot store NUL in text: the reviewer is told so, in Chinese,
    beside the comment, and the draft stored before is kept as it was."""
    from django.urls import reverse

    app, experts, reviews = assigned
    review_save_draft(
        reviews[0],
        user=experts[0],
        scores=score_form(call, [20, "", ""]),
        comment="初稿意见",
    )
    criterion = call.criteria.order_by("pk").first()
    client.force_login(experts[0])
    posted = {f"score_{criterion.pk}": "25", "action": "save"}
    for field in ["comment", f"comment_{criterion.pk}"]:
        response = client.post(
            reverse("funding_review_score", args=[reviews[0].pk]),
            {**posted, field: "意见\x00"},
        )
        assert response.status_code == 400
        assert "文字中含有空字符（NUL），无法保存。" in response.content.decode()
        review = Review.objects.get(pk=reviews[0].pk)
        assert (review.status, review.comment) == (ReviewStatus.DRAFT, "初稿意见")
        assert review.scores.get(criterion=criterion).score == 20
    with pytest.raises(FundingError) as excinfo:
        review_submit(
            reviews[0],
            user=experts[0],
            scores=score_form(call, [24, 30, 27]),
            recommendation=Recommendation.FUND,
            comment="x\x00",
        )
    assert excinfo.value.message_dict == {
        "comment": ["文字中含有空字符（NUL），无法保存。"]
    }
