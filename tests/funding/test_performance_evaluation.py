"""Evaluations by indicators: each evaluator scores every indicator (0 … its
weight); total = mean of the evaluators' totals, 2 decimals half-up; grade 优 ≥ 90,
良 80–89.99, 中 60–79.99, 差 < 60; a concluded purchase evaluation feeds the
purchase's PerformanceEvaluation, which gates the final payment."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core import roles
from funding.errors import FundingError
from funding.models.performance import EvaluationStatus
from funding.models.purchases import Grade, PerformanceEvaluation
from funding.selectors.performance import mean_total
from funding.services.performance import (
    evaluator_sheet_record,
    indicator_evaluation_conclude,
    indicator_evaluation_start,
)
from funding.services.purchases import purchase_payment_refusal
from tests.support.performance import framework_make, scores_of

pytestmark = pytest.mark.django_db

D = datetime.date
# weights 10 10 10 10 20 10 20 10
SCORES_89_98 = ["9", "9", "9", "9", "18", "9", "18", "8.98"]  # 45 + 36 + 8.98
SCORES_89_99 = ["9", "9", "9", "9", "18", "9", "18", "8.99"]
SCORES_90 = ["9", "9", "9", "9", "18", "9", "18", "9"]  # 90.00
SCORES_55 = ["5", "5", "5", "5", "10", "5", "15", "5"]  # 55.00
SCORES_60 = ["6", "6", "6", "6", "12", "6", "12", "6"]  # 60.00


def test_the_mean_is_rounded_half_up():
    assert mean_total([Decimal("89.98"), Decimal("90.00")]) == Decimal("89.99")
    assert mean_total([Decimal("89.99"), Decimal("90.00")]) == Decimal("90.00")
    assert mean_total(["80", "80", "80.01"]) == Decimal("80.00")  # 80.0033…
    assert mean_total([]) is None


@pytest.fixture
def fm(make_user):
    return make_user("fm", roles.FUND_MANAGER)


@pytest.fixture
def evaluation(make_purchase, fm):
    framework = framework_make()
    purchase = make_purchase()  # service ends 2023-12-31; 尾款 200,000 is final
    return indicator_evaluation_start(
        framework=framework, purchase=purchase, evaluated_on=D(2024, 1, 15), user=fm
    )


def _score(evaluation, name, values, user, **extra):
    return evaluator_sheet_record(
        evaluation,
        evaluator=name,
        scores=scores_of(evaluation.framework, values),
        user=user,
        **extra,
    )


def test_89_99_is_good_and_90_is_excellent(evaluation, fm):
    _score(evaluation, "张评估", SCORES_89_98, fm)
    _score(evaluation, "李评估", SCORES_90, fm)
    concluded = indicator_evaluation_conclude(evaluation, user=fm)
    # (89.98 + 90.00) / 2 = 89.99 → 良
    assert (concluded.total, concluded.grade) == (Decimal("89.99"), Grade.GOOD)
    result = PerformanceEvaluation.objects.get(purchase=evaluation.purchase)
    assert (result.score, result.grade) == (Decimal("89.99"), Grade.GOOD)
    assert result.indicator_evaluation_id == evaluation.pk
    assert result.evaluator == "张评估、李评估"


def test_a_single_evaluator_at_90_gives_excellent(evaluation, fm):
    _score(evaluation, "李评估", SCORES_90, fm)
    concluded = indicator_evaluation_conclude(evaluation, user=fm)
    assert (concluded.total, concluded.grade) == (Decimal("90.00"), Grade.EXCELLENT)


def test_89_995_rounds_half_up_to_excellent(evaluation, fm):
    _score(evaluation, "张评估", SCORES_89_99, fm)
    _score(evaluation, "李评估", SCORES_90, fm)
    concluded = indicator_evaluation_conclude(evaluation, user=fm)
    assert (concluded.total, concluded.grade) == (Decimal("90.00"), Grade.EXCELLENT)


def test_a_third_party_organization_evaluates(evaluation, fm, make_organization):
    agency = make_organization(name="苏州市社会组织评估中心")
    sheet = _score(evaluation, "王评估", SCORES_90, fm, organization=agency)
    assert str(sheet) == "王评估（苏州市社会组织评估中心）"


def test_a_score_above_the_weight_is_refused_naming_the_indicator(evaluation, fm):
    values = list(SCORES_90)
    values[4] = "20.5"  # 服务人次完成率 is worth 20
    with pytest.raises(FundingError) as exc:
        _score(evaluation, "张评估", values, fm)
    assert "服务人次完成率" in " ".join(exc.value.messages)
    assert "20" in " ".join(exc.value.messages)
    assert not evaluation.sheets.exists()


def test_every_indicator_is_scored(evaluation, fm):
    values = list(SCORES_90)
    values[7] = ""
    with pytest.raises(FundingError) as exc:
        _score(evaluation, "张评估", values, fm)
    assert "服务对象满意度" in " ".join(exc.value.messages)


def test_scoring_again_replaces_the_evaluators_scores(evaluation, fm):
    _score(evaluation, "张评估", SCORES_55, fm)
    _score(evaluation, "张评估", SCORES_90, fm)
    assert evaluation.sheets.count() == 1
    concluded = indicator_evaluation_conclude(evaluation, user=fm)
    assert concluded.total == Decimal("90.00")


def test_a_concluded_evaluation_takes_no_more_scores(evaluation, fm):
    _score(evaluation, "张评估", SCORES_90, fm)
    indicator_evaluation_conclude(evaluation, user=fm)
    with pytest.raises(FundingError):
        _score(evaluation, "李评估", SCORES_55, fm)
    with pytest.raises(FundingError):
        indicator_evaluation_conclude(evaluation, user=fm)


def test_no_conclusion_without_an_evaluator(evaluation, fm):
    with pytest.raises(FundingError):
        indicator_evaluation_conclude(evaluation, user=fm)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.OPEN


def test_the_payment_gate_reads_the_computed_grade(evaluation, fm):
    purchase = evaluation.purchase
    final = purchase.instalments.get(is_final=True)
    # the first instalment paid in full, so the final one is next in order
    first = purchase.instalments.get(is_final=False)
    from funding.models.purchases import PurchasePayment

    PurchasePayment.objects.create(
        purchase=purchase, instalment=first, amount=first.amount, status="paid"
    )
    _score(evaluation, "张评估", SCORES_55, fm)
    indicator_evaluation_conclude(evaluation, user=fm)
    refusal = purchase_payment_refusal(purchase, final, Decimal("200000"))
    assert "差" in refusal and "55.00" in refusal


def test_a_fair_grade_lets_the_final_payment_through(make_purchase, fm):
    purchase = make_purchase()
    evaluation = indicator_evaluation_start(
        framework=framework_make(),
        purchase=purchase,
        evaluated_on=D(2024, 1, 15),
        user=fm,
    )
    from funding.models.purchases import PurchasePayment

    first = purchase.instalments.get(is_final=False)
    PurchasePayment.objects.create(
        purchase=purchase, instalment=first, amount=first.amount, status="paid"
    )
    final = purchase.instalments.get(is_final=True)
    _score(evaluation, "张评估", SCORES_60, fm)
    concluded = indicator_evaluation_conclude(evaluation, user=fm)
    assert concluded.grade == Grade.FAIR  # 60.00 → 中
    assert purchase_payment_refusal(purchase, final, Decimal("200000")) is None


def test_an_evaluation_is_not_dated_before_the_service_ends(make_purchase, fm):
    with pytest.raises(FundingError) as exc:
        indicator_evaluation_start(
            framework=framework_make(),
            purchase=make_purchase(),
            evaluated_on=D(2023, 12, 1),
            user=fm,
        )
    assert "2023-12-31" in " ".join(exc.value.messages)


def test_the_fund_manager_scores_and_concludes_on_the_page(evaluation, client_for):
    client = client_for(roles.FUND_MANAGER, username="fm_page")
    page = reverse("funding_indicator_evaluation", args=[evaluation.pk])
    data = {"evaluator": "张评估", "comment": ""}
    data.update(
        {
            f"score_{pk}": v
            for pk, v in scores_of(evaluation.framework, SCORES_89_98).items()
        }
    )
    response = client.post(page, data)
    assert response.status_code == 302
    data["evaluator"] = "李评估"
    data.update(
        {
            f"score_{pk}": v
            for pk, v in scores_of(evaluation.framework, SCORES_90).items()
        }
    )
    client.post(page, data)
    html = client.get(page).content.decode()
    assert "89.98" in html and "90.00" in html
    assert 'data-testid="mean-total">89.99<' in html

    conclude = reverse("funding_indicator_evaluation_conclude", args=[evaluation.pk])
    confirm = client.get(conclude).content.decode()
    assert "89.99" in confirm and "良" in confirm
    client.post(conclude)
    evaluation.refresh_from_db()
    assert (evaluation.total, evaluation.grade) == (Decimal("89.99"), Grade.GOOD)


def test_a_bad_score_on_the_page_is_shown_and_nothing_is_saved(evaluation, client_for):
    client = client_for(roles.FUND_MANAGER, username="fm_bad")
    page = reverse("funding_indicator_evaluation", args=[evaluation.pk])
    data = {"evaluator": "张评估", "comment": ""}
    values = list(SCORES_90)
    values[0] = "十"
    data.update(
        {f"score_{pk}": v for pk, v in scores_of(evaluation.framework, values).items()}
    )
    response = client.post(page, data)
    assert response.status_code == 200
    assert (
        "不是数字" in response.content.decode() or "不是" in response.content.decode()
    )
    assert not evaluation.sheets.exists()
