"""Aggregation formulas on hand-worked numbers (every number is worked in the test)."""

from decimal import Decimal

import pytest

from funding.choices import LineOutcome, ShortfallRule
from funding.selectors.scores import (
    Result,
    mean,
    normalise,
    population_sd,
    q2,
    rank,
    spread,
    trimmed_mean,
    weighted_total,
)
from funding.services.funding_line import line_outcomes

D = Decimal


def test_weighted_total_of_a_review():
    # 30·24/30 + 40·30/40 + 30·27/30 = 24 + 30 + 27 = 81 of Σw = 100 → 81.00
    assert q2(weighted_total([(24, 30, 30), (30, 40, 40), (27, 30, 30)])) == D("81.00")
    # weights 2 and 1, maxima 10 and 5: (2·8/10 + 1·2/5) / 3 × 100
    # = (1.6 + 0.4) / 3 × 100 = 66.666… → 66.67
    assert q2(weighted_total([(8, 10, 2), (2, 5, 1)])) == D("66.67")


def test_mean_and_trimmed_mean_with_five_reviews():
    totals = [90, 70, 85, 60, 80]
    # mean: 385 / 5 = 77
    assert q2(mean(totals)) == D("77.00")
    # trimmed: drop 60 and 90 → (70 + 80 + 85) / 3 = 235 / 3 = 78.333… → 78.33
    assert q2(trimmed_mean(totals)) == D("78.33")


def test_trimmed_mean_equals_mean_below_five_reviews():
    totals = [90, 70, 85, 60]
    # 305 / 4 = 76.25, nothing dropped with four reviews
    assert q2(trimmed_mean(totals)) == q2(mean(totals)) == D("76.25")


def test_spread_is_highest_minus_lowest():
    assert spread([62, 88, 75]) == D("26")  # 88 − 62 = 26 ≥ 20: flagged
    assert spread([80, 85]) == D("5")


def test_z_score_normalisation_with_fallback():
    harsh = {1: D("60"), 2: D("70"), 3: D("80")}  # μ = 70
    lenient = {1: D("80"), 2: D("90"), 3: D("100")}  # μ = 90
    few = {1: D("75"), 2: D("85")}  # only two reviews: fallback to raw totals
    normalised, fallback = normalise({"A": harsh, "B": lenient, "C": few})
    assert fallback == {"C"}
    # σ of each of A and B: √((10² + 0 + 10²) / 3) = √66.67 = 8.165
    assert q2(population_sd(harsh.values())) == D("8.16")
    # all eight totals: 60 70 80 80 90 100 75 85 → μ = 640 / 8 = 80,
    # σ = √((400+100+0+0+100+400+25+25) / 8) = √131.25 = 11.456
    # application 1: z = (60 − 70) / 8.165 = −1.2247 for A and (80 − 90) / 8.165 for B
    # → 80 − 1.2247 × 11.456 = 65.97 for both: the harsh and the lenient agree
    assert q2(normalised[("A", 1)]) == q2(normalised[("B", 1)]) == D("65.97")
    assert q2(normalised[("A", 2)]) == D("80.00")  # z = 0 → μ
    assert q2(normalised[("B", 3)]) == D("94.03")  # 80 + 1.2247 × 11.456
    assert normalised[("C", 1)] == D("75")  # fallback: raw total kept


def test_ranking_breaks_ties_by_smaller_request_and_says_so():
    results = [
        Result(key=1, score=D("80.00")),
        Result(key=2, score=D("85.50")),
        Result(key=3, score=D("80.00")),
    ]
    requested = {1: D("150000"), 2: D("100000"), 3: D("90000")}
    ordered = rank(results, requested)
    assert [r.key for r in ordered] == [2, 3, 1]
    assert [r.rank for r in ordered] == [1, 2, 3]
    assert "80.00" in ordered[1].tie_note and ordered[2].tie_note
    assert ordered[0].tie_note == ""


RANKED = [("A", D("120000")), ("B", D("100000")), ("C", D("90000")), ("D", D("50000"))]


def test_funding_line_offers_the_money_left_as_a_reduced_award():
    # 300,000: A 120,000 (180,000 left), B 100,000 (80,000 left),
    # C asks 90,000 > 80,000 → offered 80,000, the line ends; D below the line.
    outcomes = line_outcomes(RANKED, D("300000"), ShortfallRule.REDUCE)
    assert outcomes == [
        ("A", LineOutcome.FUNDED, D("120000")),
        ("B", LineOutcome.FUNDED, D("100000")),
        ("C", LineOutcome.REDUCED, D("80000")),
        ("D", LineOutcome.BELOW_LINE, D("0")),
    ]
    assert sum(amount for _k, _o, amount in outcomes) == D("300000")


def test_funding_line_skips_to_the_next_that_fits():
    # same ranking: C (90,000) does not fit in 80,000 → skipped; D (50,000) fits,
    # 30,000 stays unspent.
    outcomes = line_outcomes(RANKED, D("300000"), ShortfallRule.SKIP)
    assert [(k, o) for k, o, _a in outcomes] == [
        ("A", LineOutcome.FUNDED),
        ("B", LineOutcome.FUNDED),
        ("C", LineOutcome.SKIPPED),
        ("D", LineOutcome.FUNDED),
    ]
    assert sum(amount for _k, _o, amount in outcomes) == D("270000")


@pytest.mark.parametrize("rule", list(ShortfallRule))
def test_funding_line_with_exact_budget_funds_everyone(rule):
    outcomes = line_outcomes(RANKED, D("360000"), rule)  # 120+100+90+50 = 360 k
    assert all(o == LineOutcome.FUNDED for _k, o, _a in outcomes)
