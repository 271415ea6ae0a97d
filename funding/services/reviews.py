"""Scoring, submitting (then locked) and closing the review of a call."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history
from wagtail.log_actions import log

from core.fields import text_refusals
from core.numbers import parse_decimal
from funding.choices import ApplicationStatus, Recommendation, ReviewStatus
from funding.errors import FundingError
from funding.models import Application, Call, Review, Score
from funding.models.calls import SCORE
from funding.selectors.scores import q2, weighted_total
from funding.services.applications import application_move
from funding.services.assignment import conflict_reason


def _parse(value):
    if value in (None, ""):
        return None
    try:
        return parse_decimal(value, **SCORE)
    except ValidationError:
        return "invalid"


def _validate(review, scores, recommendation, complete, comment=""):
    """scores: {criterion_pk: {"score": str, "comment": str}} → errors dict, keyed
    by the screen's field names. A comment too long for its column or holding a
    NUL character is refused (`core.fields.text_refusals`)."""
    errors = {}
    for refusal in text_refusals(Review, comment=comment).values():
        errors["comment"] = refusal
    parsed = {}
    for criterion in review.application.call.criteria.all():
        entry = scores.get(criterion.pk, {})
        value = _parse(entry.get("score"))
        key = f"score_{criterion.pk}"
        if value == "invalid":
            errors[key] = [_("Give a number.")]
        elif value is None:
            if complete:
                errors[key] = [
                    _("Score “%(criterion)s” (0 – %(max)s).")
                    % {"criterion": criterion.name, "max": criterion.max_score}
                ]
        elif value < 0 or value > criterion.max_score:
            errors[key] = [
                _("The score must be between 0 and %(max)s.")
                % {"max": criterion.max_score}
            ]
        text = entry.get("comment") or ""
        for refusal in text_refusals(Score, comment=text).values():
            errors[f"comment_{criterion.pk}"] = refusal
        parsed[criterion.pk] = (
            criterion,
            value if value != "invalid" else None,
            (entry.get("comment") or "").strip(),
        )
    if complete and not recommendation:
        errors["recommendation"] = [_("Choose a recommendation.")]
    if recommendation and recommendation not in Recommendation.values:
        errors["recommendation"] = [_("Choose a recommendation from the list.")]
    return parsed, errors


def _lock_own(review, user):
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.reviewer_id != user.pk:
        raise FundingError(_("This review is assigned to someone else."))
    if review.is_locked:
        raise FundingError(
            _("This review is “%(status)s” and is locked: nobody can change it.")
            % {"status": review.get_status_display()}
        )
    if review.application.call.review_closed:
        raise FundingError(_("The call's review is closed."))
    # A conflict recorded after the assignment takes effect at once: even before
    # the review has been taken back, nothing more is accepted.
    reason = conflict_reason(user, review.application)
    if reason:
        raise FundingError(
            _("You have a conflict of interest with this applicant: %(reason)s")
            % {"reason": reason}
        )
    return review


def _write(review, parsed, recommendation, comment, user):
    # Scores of criteria no longer in the rubric (rows left by a draft when a
    # criterion was removed) go: a review holds exactly the criteria it is
    # totalled on. Their history stays in simple-history.
    current = {criterion.pk for criterion, _v, _t in parsed.values()}
    for stale in review.scores.all():
        if stale.criterion_id in current:
            continue
        stale._history_user = user
        stale._change_reason = "criterion no longer in the rubric"
        stale.delete()
    existing = {s.criterion_id: s for s in review.scores.all()}
    scores = []
    for criterion, value, text in parsed.values():
        score = existing.get(criterion.pk) or Score(review=review, criterion=criterion)
        # A copy of the criterion as scored: the review keeps it whatever happens
        # to the rubric later.
        score.criterion_name = criterion.name
        score.weight = criterion.weight
        score.max_score = criterion.max_score
        score.score = value
        score.comment = text
        score._history_user = user
        scores.append(score)
    if existing:
        for score in scores:
            score.save()
    else:
        # A first scoring: the same rows (scores, then their "+" history, in the
        # rubric's order) in two inserts instead of two per criterion.
        bulk_create_with_history(
            scores, Score, default_user=user, default_change_reason=None
        )
    review.recommendation = recommendation or ""
    review.comment = comment.strip()


@transaction.atomic
def review_save_draft(review, *, user, scores, recommendation="", comment=""):
    """Save what is there; out-of-range scores are refused, missing ones allowed."""
    review = _lock_own(review, user)
    parsed, errors = _validate(
        review, scores, recommendation, complete=False, comment=comment
    )
    if errors:
        raise FundingError(errors)
    _write(review, parsed, recommendation, comment, user)
    review.status = ReviewStatus.DRAFT
    review._history_user = user
    review.save()
    return review


def review_submit_check(review, *, scores, recommendation, comment=""):
    """The checks `review_submit` makes of the posted scores, writing nothing, for
    the confirmation shown before submitting: (total, errors) — the weighted total
    out of 100 the review would carry (Decimal, or None while a score is missing or
    wrong) and the errors by field (empty when it can be submitted)."""
    parsed, errors = _validate(
        review, scores, recommendation, complete=True, comment=comment
    )
    if errors:
        return None, errors
    total = weighted_total(
        [
            (value, criterion.max_score, criterion.weight)
            for criterion, value, _t in parsed.values()
        ]
    )
    return (None if total is None else q2(total)), {}


@transaction.atomic
def review_submit(review, *, user, scores, recommendation, comment=""):
    """Submit a complete review; from then on it is locked."""
    review = _lock_own(review, user)
    parsed, errors = _validate(
        review, scores, recommendation, complete=True, comment=comment
    )
    if errors:
        raise FundingError(errors)
    _write(review, parsed, recommendation, comment, user)
    # The total is read from the stored copy the screen and the export show.
    review.total = review_total(review)
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    review._history_user = user
    review.save()
    log(review, "funding.review_submitted", user=user)
    # Lock the application so that two reviewers submitting at once both count.
    application = Application.objects.select_for_update().get(pk=review.application_id)
    _mark_reviewed_if_complete(application, user)
    return review


def review_total(review):
    """A review's total on 100 points (Decimal, 2 places) from its stored scores —
    the copy of each criterion (weight, maximum) kept on the score — or None when
    a score is missing. The one formula behind the screen, the ranking and the
    exports (`funding.selectors.scores.weighted_total`)."""
    rows = list(review.scores.all())
    if not rows or any(row.score is None for row in rows):
        return None
    total = weighted_total([(row.score, row.max_score, row.weight) for row in rows])
    return None if total is None else q2(total)


def _mark_reviewed_if_complete(application, user):
    if application.status != ApplicationStatus.IN_REVIEW:
        return
    reviews = application.reviews.all()
    pending = reviews.filter(
        status__in=[ReviewStatus.ASSIGNED, ReviewStatus.DRAFT]
    ).exists()
    submitted = reviews.filter(status=ReviewStatus.SUBMITTED).count()
    if not pending and submitted >= application.call.reviewers_per_application:
        application_move(application, ApplicationStatus.REVIEWED, user=user)


@transaction.atomic
def call_close_review(call, *, user):
    """Close the review: unsubmitted assignments are withdrawn (they drop out),
    applications with at least one submitted review become reviewed, and
    reviewers may now see each other's scores."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.review_closed:
        raise FundingError(_("The call's review is already closed."))
    applications = Application.objects.select_for_update().filter(
        call=call, status=ApplicationStatus.IN_REVIEW
    )
    for application in applications:
        for review in application.reviews.filter(
            status__in=[ReviewStatus.ASSIGNED, ReviewStatus.DRAFT]
        ):
            review.status = ReviewStatus.WITHDRAWN
            review._change_reason = "review closed"
            review._history_user = user
            review.save()
            review.scores.all().delete()
        if application.reviews.filter(status=ReviewStatus.SUBMITTED).exists():
            application_move(application, ApplicationStatus.REVIEWED, user=user)
    call.review_closed_at = timezone.now()
    call.save()
    log(call, "funding.review_closed", user=user)
    return call
