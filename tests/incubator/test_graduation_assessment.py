"""Graduation assessment: weighted rubric, assessors, pass mark, and its gate on
graduation."""

import datetime
from decimal import Decimal

import pytest

from incubator.errors import IncubationError
from incubator.models import AssessmentScore, Stage
from incubator.selectors.assessments import assessment_result
from incubator.services.assessments import (
    assessment_conclude,
    assessment_create,
    assessment_score,
)
from incubator.services.residencies import residency_admit, residency_advance


@pytest.fixture
def base(make_base):
    return make_base("长沙市社会组织孵化基地", pass_mark=Decimal("70"))


@pytest.fixture
def assessing(base, make_organization):
    residency = residency_admit(organization=make_organization(), base=base, enter=True)
    residency = residency_advance(residency, Stage.INCUBATING)
    return residency_advance(residency, Stage.ASSESSING)


@pytest.fixture
def assessors(make_user):
    return make_user("zhang", first_name="伟", last_name="张"), make_user("li")


def _scores(base, values):
    """Scores in rubric order: governance, capacity, projects, finance, party, impact."""
    return {c.pk: v for c, v in zip(base.criteria.all(), values, strict=True)}


def test_weighted_result_passes_and_allows_graduation(base, assessing, assessors):
    zhang, li = assessors
    assessment = assessment_create(residency=assessing, assessors=[zhang, li])
    assert assessment.pass_mark == Decimal("70")
    assessment_score(
        assessment, assessor=zhang, scores=_scores(base, [80, 70, 90, 60, 100, 50])
    )
    assert assessment_result(assessment) is None  # li has not scored yet
    assessment_score(
        assessment, assessor=li, scores=_scores(base, [70, 80, 70, 80, 90, 70])
    )
    # Means per criterion: 75, 75, 80, 70, 95, 60; weights 20/20/20/15/10/15:
    # 20×.75 + 20×.75 + 20×.80 + 15×.70 + 10×.95 + 15×.60
    # = 15 + 15 + 16 + 10.5 + 9.5 + 9 = 75.00 ≥ 70 → passed.
    assessment = assessment_conclude(assessment)
    assert assessment.result == Decimal("75.00")
    assert assessment.passed is True
    residency = residency_advance(assessing, Stage.GRADUATED)
    assert residency.stage == Stage.GRADUATED
    assert residency.graduated_on == datetime.date.today()


def test_failed_assessment_blocks_graduation(base, assessing, assessors):
    zhang, _li = assessors
    assessment = assessment_create(residency=assessing, assessors=[zhang])
    assessment_score(assessment, assessor=zhang, scores=_scores(base, [60] * 6))
    assessment = assessment_conclude(assessment)
    # Every criterion at 60 of 100 → 60.00 < 70.
    assert (assessment.result, assessment.passed) == (Decimal("60.00"), False)
    with pytest.raises(IncubationError) as exc:
        residency_advance(assessing, Stage.GRADUATED)
    assert exc.value.messages == [
        "出壳需要通过出壳评估；最近一次评估得分 60.00，未达到及格线 70.00。"
    ]
    # Back to incubation is allowed, to try again later.
    assert residency_advance(assessing, Stage.INCUBATING).stage == Stage.INCUBATING


def test_score_above_maximum_is_refused_and_nothing_stored(base, assessing, assessors):
    zhang, _li = assessors
    assessment = assessment_create(residency=assessing, assessors=[zhang])
    with pytest.raises(IncubationError) as exc:
        assessment_score(
            assessment, assessor=zhang, scores=_scores(base, [120, 70, 70, 70, 70, 70])
        )
    assert exc.value.messages == ["“内部治理”的得分为 120，必须在 0 到 100 之间。"]
    assert AssessmentScore.objects.count() == 0


def test_someone_not_an_assessor_cannot_score(base, assessing, assessors, make_user):
    zhang, _li = assessors
    assessment = assessment_create(residency=assessing, assessors=[zhang])
    stranger = make_user("wang")
    with pytest.raises(IncubationError) as exc:
        assessment_score(assessment, assessor=stranger, scores=_scores(base, [80] * 6))
    assert exc.value.messages == ["wang不是本次评估的评估人。"]


def test_cannot_conclude_before_everyone_scored(base, assessing, assessors):
    zhang, li = assessors
    assessment = assessment_create(residency=assessing, assessors=[zhang, li])
    assessment_score(assessment, assessor=zhang, scores=_scores(base, [80] * 6))
    with pytest.raises(IncubationError) as exc:
        assessment_conclude(assessment)
    assert exc.value.messages == ["尚有评估人未完成评分：li。"]
    assessment.refresh_from_db()
    assert assessment.result is None


def test_concluded_scores_are_locked(base, assessing, assessors):
    zhang, _li = assessors
    assessment = assessment_create(residency=assessing, assessors=[zhang])
    assessment_score(assessment, assessor=zhang, scores=_scores(base, [80] * 6))
    assessment_conclude(assessment)
    with pytest.raises(IncubationError):
        assessment_score(assessment, assessor=zhang, scores=_scores(base, [10] * 6))
    assert {s.score for s in AssessmentScore.objects.all()} == {Decimal("80")}


def test_weights_not_summing_to_100_are_refused(base, assessing, assessors):
    criterion = base.criteria.first()
    criterion.weight = 30  # 20 → 30: total 110
    criterion.save()
    with pytest.raises(IncubationError) as exc:
        assessment_create(residency=assessing, assessors=[assessors[0]])
    assert exc.value.messages == ["各项指标权重合计为 110，必须合计为 100。"]


def test_only_a_residency_in_assessment_can_be_assessed(
    base, make_organization, assessors
):
    residency = residency_admit(organization=make_organization(), base=base)
    with pytest.raises(IncubationError) as exc:
        assessment_create(residency=residency, assessors=[assessors[0]])
    assert "当前为“已申请”" in exc.value.messages[0]
