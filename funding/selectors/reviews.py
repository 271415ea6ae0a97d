"""Reads of the review work that several screens and exports share: the reviewers,
a review's rows as its screen and export show them."""

from django.contrib.auth import get_user_model
from django.db.models import Case, F, Value, When

from core import roles
from funding.choices import PENDING_REVIEW, ReviewStatus
from funding.permissions import reviews_for

# Reviews whose scores are final: they show the copy of the criteria kept on each
# score, whatever has happened to the rubric since.
FINAL = (ReviewStatus.SUBMITTED, ReviewStatus.EXCLUDED)


def review_rows(review):
    """The criteria of one review with its scores, as every screen and export shows
    them: [{"pk", "name", "description", "weight", "max_score", "score",
    "comment"}], weights and scores as Decimal.

    A submitted (or excluded) review: the copy kept on each of its scores — the very
    rows its total is computed from (`reviews.review_total`). Any other review: the
    call's current criteria with the scores saved so far; a score of a criterion
    no longer in the rubric is never shown.
    """
    if review.status in FINAL:
        return [
            {
                "pk": s.criterion_id or f"old{s.pk}",
                "name": s.criterion_name,
                "description": s.criterion.description if s.criterion else "",
                "weight": s.weight,
                "max_score": s.max_score,
                "score": s.score,
                "comment": s.comment,
            }
            for s in review.scores.select_related("criterion").order_by("pk")
        ]
    saved = {s.criterion_id: s for s in review.scores.filter(criterion__isnull=False)}
    rows = []
    for c in review.application.call.criteria.all():
        score = saved.get(c.pk)
        rows.append(
            {
                "pk": c.pk,
                "name": c.name,
                "description": c.description,
                "weight": c.weight,
                "max_score": c.max_score,
                "score": score.score if score else None,
                "comment": score.comment if score else "",
            }
        )
    return rows


def points(value):
    """A score as people write it: 5, 7.5, 10 (no trailing zeros); '' for None."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def reviewers():
    """Users in the reviewer role, active."""
    return (
        get_user_model()
        .objects.filter(groups__name=roles.GROUP_NAMES[roles.REVIEWER], is_active=True)
        .distinct()
    )


def reviews_listed_for(user):
    """A reviewer's list (我的评审): their assignments (`reviews_for`), the ones
    still to do (assigned or draft) first, by their call's review deadline (calls
    without one after), then the rest by application. A queryset of Review with
    its application, call and organization loaded."""
    return (
        reviews_for(user)
        .select_related("application__call", "application__organization")
        .annotate(
            to_do=Case(When(status__in=PENDING_REVIEW, then=Value(0)), default=Value(1))
        )
        .order_by(
            "to_do",
            F("application__call__review_due_on").asc(nulls_last=True),
            "application_id",
            "pk",
        )
    )
