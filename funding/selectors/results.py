"""A call's results: every reviewed application aggregated and ranked
(`call_results`) with its decision, and the reviews that make a drawn funding
line outdated.

A call's ranking is a record: once decided, every application keeps its rank,
score and decision whatever happens to it later (public notice, award, progress,
completion, termination), on the call desk and in the ranking export alike."""

from django.db.models import Count

from funding.choices import ApplicationStatus, ReviewStatus
from funding.models import Review
from funding.selectors.scores import (
    Result,
    mean,
    normalise,
    q2,
    rank,
    spread,
    trimmed_mean,
)

# An application that was approved keeps that decision through every later
# status of its award (`funding/lifecycle.py`).
APPROVED_AND_AFTER = (
    ApplicationStatus.APPROVED,
    ApplicationStatus.IN_PUBLIC_NOTICE,
    ApplicationStatus.AWARDED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.MIDTERM_CHECKED,
    ApplicationStatus.COMPLETED,
    ApplicationStatus.TERMINATED,
)

# Every status an application reaches once its review is done: it stays ranked.
RANKED_STATUSES = (
    ApplicationStatus.REVIEWED,
    ApplicationStatus.REJECTED,
    *APPROVED_AND_AFTER,
)


def decision_of(application):
    """The call's decision on a ranked application: APPROVED for one approved
    (whatever its award's later status), REJECTED for one rejected (below the
    line, by the fund manager, or on an upheld objection), None while undecided."""
    if application.status in APPROVED_AND_AFTER:
        return ApplicationStatus.APPROVED
    if application.status == ApplicationStatus.REJECTED:
        return ApplicationStatus.REJECTED
    return None


def call_results(call):
    """Every application of the call with submitted reviews, aggregated and ranked,
    in any status from reviewed on (`RANKED_STATUSES`), each with its
    `decision` (`decision_of`).

    Only submitted reviews count: reviews excluded for a conflict of interest
    are left out of every figure and only counted in
    `Result.excluded`, for the desk to show. Returns (ranked results, reviewers
    who fell back to raw totals)."""
    # Only the three numbers that count: no review objects (a 2,000-application
    # call has 6,000 reviews).
    reviews = (
        Review.objects.filter(
            application__call=call, status=ReviewStatus.SUBMITTED, total__isnull=False
        )
        .order_by("pk")
        .values_list("application_id", "reviewer_id", "total")
    )
    by_application = {}
    by_reviewer = {}
    for application_id, reviewer_id, total in reviews:
        by_application.setdefault(application_id, []).append((reviewer_id, total))
        by_reviewer.setdefault(reviewer_id, {})[application_id] = total
    normalised, fallback = normalise(by_reviewer)
    excluded = dict(
        Review.objects.filter(application__call=call, status=ReviewStatus.EXCLUDED)
        .values_list("application_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    results = []
    for application in call.applications.filter(
        pk__in=by_application, status__in=RANKED_STATUSES
    ).select_related("organization"):
        app_reviews = by_application[application.pk]
        totals = [total for _reviewer, total in app_reviews]
        result = Result(
            key=application.pk,
            application=application,
            totals=totals,
            excluded=excluded.get(application.pk, 0),
            decision=decision_of(application),
        )
        result.mean = mean(totals)
        result.trimmed_mean = trimmed_mean(totals)
        result.normalised = mean(
            normalised[(reviewer, application.pk)] for reviewer, _t in app_reviews
        )
        result.spread = spread(totals)
        result.spread_flag = result.spread >= call.spread_threshold
        result.score = q2(
            result.normalised if call.normalise_scores else result.trimmed_mean
        )
        results.append(result)
    requested = {r.key: r.application.requested_amount for r in results}
    return rank(results, requested), fallback


def line_outdated_by(line):
    """Reviews of the line's call excluded for a conflict of interest after the line
    was drawn: the line ranks on scores that no longer count."""
    return Review.objects.filter(
        application__call_id=line.call_id,
        status=ReviewStatus.EXCLUDED,
        excluded_at__gt=line.drawn_at,
    )
