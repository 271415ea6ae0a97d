"""Aggregation of review scores: pure functions on numbers, then the call's results.

Every score is on a 100-point scale:
- a review's total is the weighted mean of its criteria, each as a share of its
  maximum: total = Σ wᵢ·(sᵢ / maxᵢ) / Σ wᵢ × 100;
- an application's mean is the plain mean of its submitted reviews' totals;
- its trimmed mean drops one highest and one lowest total when there are at least
  five reviews (with fewer it equals the mean);
- normalised (z-score) scores: each reviewer's totals in the call are turned into
  z = (x − μ_reviewer) / σ_reviewer and put back on the call's scale as
  μ_call + z·σ_call. Fallback: a reviewer with fewer than three submitted reviews in
  the call, or who gave every application the same total (σ = 0), keeps the raw
  total — too few scores to tell harshness from the applications' quality;
- the spread flag is raised when the highest and lowest totals differ by at least
  the call's threshold (20 points by default: two grade bands, which means the
  reviewers disagree about whether to fund at all).
Conflicted and withdrawn reviews have no scores and drop out of every average;
a submitted review excluded for a conflict recorded afterwards keeps its scores
but drops out the same way.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import HUNDRED, round_cents

Z_MIN_REVIEWS = 3
TRIM_MIN_REVIEWS = 5


def q2(value):
    """`value` rounded to two decimals, half up (`core.money.round_cents`)."""
    return round_cents(value)


def weighted_total(scores):
    """scores: [(score, max_score, weight)] → total on 100 points (unrounded)."""
    weights = sum((Decimal(w) for _s, _m, w in scores), Decimal("0"))
    if not weights:
        return None
    return (
        sum(
            (Decimal(w) * Decimal(s) / Decimal(m) for s, m, w in scores),
            Decimal("0"),
        )
        / weights
        * HUNDRED
    )


def mean(values):
    values = [Decimal(v) for v in values]
    if not values:
        return None
    return sum(values, Decimal("0")) / len(values)


def trimmed_mean(values):
    """Drop one highest and one lowest when there are ≥ 5 values."""
    values = sorted(Decimal(v) for v in values)
    if len(values) >= TRIM_MIN_REVIEWS:
        values = values[1:-1]
    return mean(values)


def population_sd(values):
    values = [Decimal(v) for v in values]
    if not values:
        return None
    mu = mean(values)
    return (sum(((v - mu) ** 2 for v in values), Decimal("0")) / len(values)).sqrt()


def spread(values):
    values = [Decimal(v) for v in values]
    return max(values) - min(values) if values else Decimal("0")


def normalise(totals_by_reviewer):
    """{reviewer: {key: total}} → ({(reviewer, key): normalised}, fallback reviewers).

    See the module docstring for the formula and the fallback.
    """
    everything = [t for totals in totals_by_reviewer.values() for t in totals.values()]
    if not everything:
        return {}, set()
    mu_all = mean(everything)
    sd_all = population_sd(everything)
    result = {}
    fallback = set()
    for reviewer, totals in totals_by_reviewer.items():
        values = list(totals.values())
        sd = population_sd(values)
        if len(values) < Z_MIN_REVIEWS or not sd:
            fallback.add(reviewer)
            for key, total in totals.items():
                result[(reviewer, key)] = Decimal(total)
            continue
        mu = mean(values)
        for key, total in totals.items():
            z = (Decimal(total) - mu) / sd
            result[(reviewer, key)] = mu_all + z * sd_all
    return result, fallback


@dataclass
class Result:
    key: object
    application: object = None
    totals: list = field(default_factory=list)
    mean: Decimal | None = None
    trimmed_mean: Decimal | None = None
    normalised: Decimal | None = None
    spread: Decimal = Decimal("0")
    spread_flag: bool = False
    score: Decimal | None = None
    rank: int | None = None
    tie_note: str = ""
    # Submitted reviews excluded for a conflict of interest (not in `totals`).
    excluded: int = 0
    # The call's decision (an ApplicationStatus: APPROVED or REJECTED), or None.
    decision: object = None

    @property
    def decision_label(self):
        """The decision in the user's language, "" while undecided."""
        return self.decision.label if self.decision else ""

    @property
    def review_count(self):
        return len(self.totals)


def rank(results, requested):
    """Order results by score (high first); ties by the smaller request, then the
    earlier application. `requested`: {key: amount}. Sets rank and tie notes."""
    ordered = sorted(
        results,
        key=lambda r: (-q2(r.score), Decimal(requested[r.key]), r.key),
    )
    for position, result in enumerate(ordered, start=1):
        result.rank = position
    for a, b in zip(ordered, ordered[1:], strict=False):
        if q2(a.score) == q2(b.score):
            note = _(
                "Tied at %(score)s: ordered by the smaller requested amount, "
                "then the earlier application."
            ) % {"score": q2(a.score)}
            a.tie_note = b.tie_note = note
    return ordered
