"""Graduation assessment reads: who has not scored yet, and the weighted result."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q

from core import roles
from core.money import round_cents


def assessor_candidates(*, bases, keep=()):
    """Who may be named an assessor of a graduation assessment at one of `bases`
    (a queryset or list of IncubationBase): the active operators of those bases
    (their staff) and the active members of the expert pool (the 评审专家 role),
    plus the users in `keep` (already named: a person since moved stays on the
    assessment). A queryset of users ordered by name. Assessors are
    picked from the base's staff and the experts, not from every login."""
    keep_ids = [getattr(u, "pk", u) for u in keep]
    return (
        get_user_model()
        .objects.filter(
            Q(is_active=True)
            & (
                Q(operated_bases__in=bases)
                | Q(groups__name=roles.GROUP_NAMES[roles.REVIEWER])
            )
            | Q(pk__in=keep_ids)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


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
