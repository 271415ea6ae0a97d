"""Sums of the performance evaluation by indicators: an evaluator's total, the
evaluation's total (mean of the evaluators' totals) and the breakdown by
first-level indicator. The pure maths is apart from the ORM (`mean_total`)."""

from decimal import ROUND_HALF_UP, Decimal

from funding.models.performance import FirstLevel

CENT_POINT = Decimal("0.01")


def weights_total(weights):
    """The sum of indicator weights (points), Decimal."""
    return sum((Decimal(w) for w in weights), Decimal("0"))


def mean_total(totals):
    """The evaluation's total (of 100): the mean of the evaluators' totals, rounded
    half-up to 2 decimals; None without evaluators.
    mean_total([Decimal("89.98"), Decimal("90.00")]) == Decimal("89.99")."""
    totals = [Decimal(t) for t in totals]
    if not totals:
        return None
    mean = sum(totals, Decimal("0")) / len(totals)
    return mean.quantize(CENT_POINT, rounding=ROUND_HALF_UP)


def sheet_total(sheet):
    """One evaluator's total: the sum of the indicator scores (points of 100)."""
    return weights_total(s.score for s in sheet.scores.all())


def evaluation_summary(evaluation):
    """What the evaluation screen shows: {indicators, sheets: [(sheet, total,
    {indicator_id: score})], total, by_level: [(label, weight, mean score)]}.
    `total` is the mean of the sheets' totals (None without a sheet)."""
    indicators = list(evaluation.framework.indicators.all())
    sheets = []
    for sheet in evaluation.sheets.prefetch_related("scores").select_related(
        "organization"
    ):
        scores = {s.indicator_id: s.score for s in sheet.scores.all()}
        sheets.append((sheet, weights_total(scores.values()), scores))
    by_level = []
    for level in FirstLevel:
        ids = [i.pk for i in indicators if i.first_level == level]
        if not ids:
            continue
        weight = weights_total(i.weight for i in indicators if i.pk in ids)
        means = mean_total(
            [
                weights_total(scores.get(pk, 0) for pk in ids)
                for _s, _t, scores in sheets
            ]
        )
        by_level.append((level.label, weight, means))
    return {
        "indicators": indicators,
        "sheets": sheets,
        "total": mean_total([total for _s, total, _scores in sheets]),
        "by_level": by_level,
    }
