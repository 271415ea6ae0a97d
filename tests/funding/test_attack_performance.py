"""Attacks on the evaluation by indicators: a second evaluation of the same purchase
must not replace, behind the first's back, the concluded total the final-payment
gate reads."""

import datetime
from decimal import Decimal

import pytest

from core import roles
from funding.errors import FundingError
from funding.models.performance import IndicatorEvaluation
from funding.models.purchases import PerformanceEvaluation
from funding.services.performance import (
    evaluator_sheet_record,
    indicator_evaluation_conclude,
    indicator_evaluation_start,
)
from tests.support.performance import framework_make, scores_of

pytestmark = pytest.mark.django_db

SCORES_55 = ["5", "5", "5", "5", "10", "5", "15", "5"]  # 55.00 → 差


def test_a_second_evaluation_of_the_same_purchase_is_refused(make_purchase, make_user):
    fm = make_user("fm", roles.FUND_MANAGER)
    framework = framework_make()
    purchase = make_purchase()
    first = indicator_evaluation_start(
        framework=framework,
        purchase=purchase,
        evaluated_on=datetime.date(2024, 1, 15),
        user=fm,
    )
    evaluator_sheet_record(
        first, evaluator="张评估", scores=scores_of(framework, SCORES_55), user=fm
    )
    indicator_evaluation_conclude(first, user=fm)
    with pytest.raises(FundingError) as refused:
        indicator_evaluation_start(
            framework=framework,
            purchase=purchase,
            evaluated_on=datetime.date(2024, 2, 1),
            user=fm,
        )
    assert "该政府购买服务项目已有绩效评价" in str(refused.value.message_dict)
    assert IndicatorEvaluation.objects.filter(purchase=purchase).count() == 1
    gate = PerformanceEvaluation.objects.get(purchase=purchase)
    assert (gate.score, gate.indicator_evaluation_id) == (Decimal("55.00"), first.pk)
