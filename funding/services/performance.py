"""Performance evaluation by indicators (绩效评价): frameworks (weights add up to
100; a used version is frozen, revising makes the next version), evaluators'
scores (0 … an indicator's weight), and the conclusion, whose total and grade feed
the purchase's `PerformanceEvaluation` — the record the final-payment gate reads
(`funding.services.purchases.purchase_payment_refusal`).

Total = the mean of the evaluators' totals, 2 decimals half-up
(`funding.selectors.performance.mean_total`); grade by the bands of
`funding.services.purchases.grade_for`: 优 ≥ 90, 良 80–89.99, 中 60–79.99, 差 < 60
(DESIGN.md; 财预〔2020〕10号 uses the same bands).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.numbers import parse_decimal
from funding.errors import FundingError
from funding.models.performance import (
    EvaluationStatus,
    EvaluatorSheet,
    FirstLevel,
    Indicator,
    IndicatorEvaluation,
    IndicatorFramework,
    IndicatorScore,
)
from funding.models.purchases import PerformanceEvaluation
from funding.selectors.performance import mean_total, weights_total
from funding.services.purchases import evaluation_record, grade_for

HUNDRED = Decimal("100")


def framework_weights_refusal(indicators):
    """Why these indicators cannot make a framework, or None. `indicators`:
    (first_level, weight) pairs. The weights add up to exactly 100 points and the
    four first-level indicators (决策, 过程, 产出, 效益) each have at least one."""
    pairs = list(indicators)
    total = weights_total(w for _level, w in pairs)
    if total != HUNDRED:
        return _(
            "The weights of the indicators add up to %(total)s; they must add up "
            "to 100."
        ) % {"total": total.normalize() if total == total.to_integral() else total}
    missing = [
        str(level.label)
        for level in FirstLevel
        if level.value not in {lvl for lvl, _w in pairs}
    ]
    if missing:
        return _("Every first-level indicator needs an indicator: %(missing)s.") % {
            "missing": "、".join(missing)
        }
    return None


def framework_frozen_refusal(framework):
    """Why this framework version cannot be edited, or None: an evaluation has used
    it (revise it instead, which makes the next version)."""
    if framework.pk and framework.is_used:
        return _(
            "Version %(version)s of this framework is used by an evaluation and is "
            "frozen: make a new version to change it."
        ) % {"version": framework.version}
    return None


@transaction.atomic
def framework_revise(framework, *, user):
    """The next version of a framework: a copy of its indicators, version + 1,
    linked to the version it revises. Only the latest version is revised (its
    `next_version` must not exist). Raises FundingError."""
    framework = IndicatorFramework.objects.select_for_update().get(pk=framework.pk)
    if IndicatorFramework.objects.filter(previous=framework).exists():
        raise FundingError(
            _("Version %(version)s has already been revised; revise the latest.")
            % {"version": framework.version}
        )
    latest = (
        IndicatorFramework.objects.filter(
            department=framework.department, name=framework.name
        )
        .order_by("-version")
        .first()
    )
    revised = IndicatorFramework(
        department=framework.department,
        name=framework.name,
        description=framework.description,
        version=latest.version + 1,
        previous=framework,
    )
    revised._history_user = user
    revised.save()
    for indicator in framework.indicators.all():
        Indicator.objects.create(
            framework=revised,
            first_level=indicator.first_level,
            second_level=indicator.second_level,
            name=indicator.name,
            weight=indicator.weight,
            guidance=indicator.guidance,
            sort_order=indicator.sort_order,
        )
    log(revised, "wagtail.create", user=user)
    return revised


@transaction.atomic
def indicator_evaluation_start(
    *, framework, evaluated_on, user, purchase=None, award=None
):
    """Open an evaluation of a purchase (its service period ended by
    `evaluated_on`) or of a completed award, on a framework whose weights add up
    to 100; a purchase or award has one evaluation by indicators. Raises
    FundingError."""
    if (purchase is None) == (award is None):
        raise FundingError(_("Evaluate either a service purchase or an award."))
    refusal = framework_weights_refusal(
        framework.indicators.values_list("first_level", "weight")
    )
    if refusal:
        raise FundingError({"framework": [refusal]})
    if purchase is not None and evaluated_on < purchase.ends_on:
        raise FundingError(
            {
                "evaluated_on": [
                    _(
                        "The service period ends on %(end)s; the performance "
                        "evaluation cannot be dated before that (%(day)s)."
                    )
                    % {"end": purchase.ends_on, "day": evaluated_on}
                ]
            }
        )
    if award is not None and award.completed_on is None:
        raise FundingError(
            {"award": [_("An award is evaluated at completion: it is not completed.")]}
        )
    # one evaluation per purchase or award: a second one would silently replace
    # the first's total on the record the final-payment gate reads
    if purchase is not None:
        type(purchase).objects.select_for_update().filter(pk=purchase.pk).first()
        earlier = IndicatorEvaluation.objects.filter(purchase=purchase).first()
        if earlier is not None:
            raise FundingError(
                {
                    "purchase": [
                        _(
                            "This service purchase already has an evaluation by "
                            "indicators (%(evaluation)s); work on that one."
                        )
                        % {"evaluation": earlier}
                    ]
                }
            )
    else:
        type(award).objects.select_for_update().filter(pk=award.pk).first()
        earlier = IndicatorEvaluation.objects.filter(award=award).first()
        if earlier is not None:
            raise FundingError(
                {
                    "award": [
                        _(
                            "This award already has an evaluation by indicators "
                            "(%(evaluation)s); work on that one."
                        )
                        % {"evaluation": earlier}
                    ]
                }
            )
    evaluation = IndicatorEvaluation(
        framework=framework, purchase=purchase, award=award, evaluated_on=evaluated_on
    )
    evaluation._history_user = user
    evaluation.save()
    log(evaluation, "wagtail.create", user=user)
    return evaluation


def _score(indicator, value):
    try:
        score = parse_decimal(value, max_digits=5, decimal_places=2)
    except ValidationError as exc:
        raise FundingError({f"score_{indicator.pk}": exc.messages}) from None
    if score < 0 or score > indicator.weight:
        raise FundingError(
            {
                f"score_{indicator.pk}": [
                    _("“%(name)s” is scored from 0 to %(weight)s, not %(score)s.")
                    % {
                        "name": indicator.name,
                        "weight": indicator.weight,
                        "score": score,
                    }
                ]
            }
        )
    return score


@transaction.atomic
def evaluator_sheet_record(
    evaluation, *, evaluator, scores, user, organization=None, comment=""
):
    """Record (or replace) one evaluator's scores. `scores`: {indicator pk:
    score as typed}; every indicator of the framework is scored, each from 0 to its
    weight. Refused once the evaluation is concluded. Raises FundingError naming
    the indicator."""
    evaluation = IndicatorEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status == EvaluationStatus.CONCLUDED:
        raise FundingError(_("The evaluation is concluded: its scores are final."))
    evaluator = (evaluator or "").strip()
    if not evaluator:
        raise FundingError({"evaluator": [_("Name the evaluator.")]})
    indicators = list(evaluation.framework.indicators.all())
    missing = [i.name for i in indicators if str(scores.get(i.pk, "")).strip() == ""]
    if missing:
        raise FundingError(
            _("Score every indicator; not scored: %(names)s.")
            % {"names": "、".join(missing)}
        )
    parsed = {i.pk: _score(i, scores[i.pk]) for i in indicators}
    sheet = EvaluatorSheet.objects.filter(
        evaluation=evaluation, evaluator=evaluator
    ).first() or EvaluatorSheet(evaluation=evaluation, evaluator=evaluator)
    sheet.organization = organization
    sheet.comment = comment
    sheet.recorded_by = user
    sheet._history_user = user
    sheet.save()
    for indicator in indicators:
        row = IndicatorScore.objects.filter(sheet=sheet, indicator=indicator).first()
        row = row or IndicatorScore(sheet=sheet, indicator=indicator)
        row.score = parsed[indicator.pk]
        row._history_user = user
        row.save()
    log(
        evaluation,
        "funding.indicators_scored",
        user=user,
        data={"evaluator": evaluator},
    )
    return sheet


@transaction.atomic
def indicator_evaluation_conclude(evaluation, *, user):
    """Conclude: total = mean of the evaluators' totals (2 decimals half-up), grade
    by the bands. For a purchase, the total is recorded as its performance
    evaluation (`evaluation_record`), which the final-payment gate reads. Needs
    at least one evaluator. Raises FundingError."""
    evaluation = IndicatorEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status == EvaluationStatus.CONCLUDED:
        raise FundingError(_("The evaluation is already concluded."))
    sheets = list(evaluation.sheets.prefetch_related("scores"))
    if not sheets:
        raise FundingError(_("No evaluator has scored yet."))
    totals = [weights_total(s.score for s in sheet.scores.all()) for sheet in sheets]
    total = mean_total(totals)
    evaluation.total = total
    evaluation.grade = grade_for(total)
    evaluation.status = EvaluationStatus.CONCLUDED
    evaluation.concluded_by = user
    evaluation._history_user = user
    evaluation.save()
    if evaluation.purchase_id:
        result = evaluation_record(
            evaluation.purchase,
            score=total,
            evaluated_on=evaluation.evaluated_on,
            evaluator="、".join(str(sheet) for sheet in sheets),
            comment=_("Total of the evaluation by indicators (%(framework)s).")
            % {"framework": evaluation.framework},
            user=user,
        )
        PerformanceEvaluation.objects.filter(pk=result.pk).update(
            indicator_evaluation=evaluation
        )
    log(
        evaluation,
        "funding.indicators_concluded",
        user=user,
        data={"total": str(total), "grade": evaluation.grade},
    )
    return evaluation
