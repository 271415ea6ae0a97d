"""Graduation assessment reads: who has not scored yet, and the weighted result."""

from decimal import Decimal

from core.money import round_cents


def missing_assessors(assessment):
    """Assessors who have not scored every criterion yet."""
    criteria = assessment.residency.base.criteria.count()
    missing = []
    for assessor in assessment.assessors.all():
        if assessment.scores.filter(assessor=assessor).count() < criteria:
            missing.append(assessor)
    return missing


def assessment_result(assessment):
    """The weighted result out of 100, a Decimal rounded half up to 0.01 (None
    until every assessor has scored every criterion):

        result = Σ weightᵢ × (mean of the assessors' scores for i) ÷ maxᵢ
    """
    criteria = list(assessment.residency.base.criteria.all())
    if not criteria or missing_assessors(assessment):
        return None
    total = Decimal(0)
    for criterion in criteria:
        values = [s.score for s in assessment.scores.filter(criterion=criterion)]
        if not values:
            return None
        mean = sum(values) / len(values)
        total += Decimal(criterion.weight) * mean / Decimal(criterion.max_score)
    return round_cents(total)
