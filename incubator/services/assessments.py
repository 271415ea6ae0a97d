"""Graduation assessment writes: create, score, conclude.

The weighted result (computed in `incubator/selectors/assessments.py`) is Σ weightᵢ × (mean score of criterion i ÷ its maximum), with
weights summing to 100, so the result is out of 100. The assessment passes when the
result reaches the pass mark copied from the base. A passed, concluded assessment
is what lets `residency_advance` (`incubator/services/residencies.py`) graduate the residency.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.numbers import parse_decimal
from core.people import display_name
from incubator.errors import IncubationError
from incubator.models import Assessment, AssessmentScore, Residency, Stage
from incubator.models.bases import WEIGHT_TOTAL
from incubator.permissions import base_operation_check
from incubator.selectors.assessments import (
    assessment_result,
    assessor_candidates,
    missing_assessors,
)

#: The action name of a concluded assessment in Wagtail's action log.
LOG_ACTION = "incubator.assessment_concluded"


def rubric_check(base):
    """The base's criteria (a list), or IncubationError when it has none or their
    weights do not add up to 100."""
    criteria = list(base.criteria.all())
    if not criteria:
        raise IncubationError(
            _("%(base)s has no graduation rubric yet.") % {"base": base},
            code="no_rubric",
        )
    total = sum(c.weight for c in criteria)
    if total != WEIGHT_TOTAL:
        raise IncubationError(
            _("The criterion weights add up to %(total)s; they must add up to 100.")
            % {"total": total},
            code="weights",
        )
    return criteria


@transaction.atomic
def assessors_check(*, base, assessors, keep=()):
    """Refuse (IncubationError, code "not_candidate") assessors who are neither
    staff of `base` nor experts of the pool (`assessor_candidates`; those in `keep`
    are already named and stay). The rule: a graduation assessment is scored by
    the base's own staff and by independent experts (DESIGN.md §2, 出壳评估), never by
    any login of the platform."""
    allowed = set(
        assessor_candidates(bases=[base], keep=keep).values_list("pk", flat=True)
    )
    strangers = [u for u in assessors if u.pk not in allowed]
    if strangers:
        raise IncubationError(
            _(
                "%(names)s may not assess at %(base)s: assessors are the "
                "base's staff or experts of the expert pool."
            )
            % {"names": "、".join(display_name(u) for u in strangers), "base": base},
            code="not_candidate",
        )


def assessment_create(*, residency, assessors, user=None, held_on=None, note=""):
    """Open a graduation assessment of a residency in the `assessing` stage, with
    the named assessors (users) and the base's pass mark; returns it. Refuses with
    IncubationError (wrong stage, no or bad rubric, no assessor, an assessor who is
    neither the base's staff nor an expert — `assessors_check`, skipped for system
    work without a user — dated before the assessment stage) or PermissionDenied (a
    user who does not operate the base)."""
    residency = Residency.objects.select_related("base").get(pk=residency.pk)
    base_operation_check(user, residency.base)
    if residency.stage != Stage.ASSESSING:
        raise IncubationError(
            _(
                "Only a residency in the assessment stage can be assessed; this one "
                "is “%(stage)s”."
            )
            % {"stage": residency.get_stage_display()},
            code="not_assessing",
        )
    rubric_check(residency.base)
    assessors = list(assessors)
    if not assessors:
        raise IncubationError(_("Name at least one assessor."), code="no_assessor")
    if user is not None:
        assessors_check(base=residency.base, assessors=assessors)
    assessment = Assessment(
        residency=residency,
        held_on=held_on or timezone.localdate(),
        pass_mark=residency.base.pass_mark,
        note=note,
    )
    if assessment.held_on < residency.stage_changed_on:
        raise IncubationError(
            _("The assessment cannot be dated before the residency entered assessment.")
        )
    assessment._history_user = user
    assessment.save()
    assessment.assessors.set(assessors)
    return assessment


def _number(value):
    """A score as typed, within AssessmentScore.score (5 digits, 2 decimals), as
    a Decimal; ValidationError otherwise (`core.numbers.parse_decimal`)."""
    return parse_decimal(value, max_digits=5, decimal_places=2)


@transaction.atomic
def assessment_score(assessment, *, assessor, scores, comments=None):
    """Record one assessor's scores: {criterion id: score}. Every criterion of the
    base's rubric must be scored, each between 0 and its maximum; `comments` is
    {criterion id: text}. Returns the assessment. Refuses with IncubationError
    (concluded, not an assessor, missing or out-of-range scores)."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("residency__base")
        .get(pk=assessment.pk)
    )
    comments = comments or {}
    if assessment.is_concluded:
        raise IncubationError(
            _("This assessment is concluded; its scores cannot change."),
            code="concluded",
        )
    if not assessment.assessors.filter(pk=assessor.pk).exists():
        raise IncubationError(
            _("%(user)s is not an assessor of this assessment.")
            % {"user": display_name(assessor)},
            code="not_assessor",
        )
    criteria = rubric_check(assessment.residency.base)
    scores = {int(k): v for k, v in scores.items()}
    errors = []
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None or value == "":
            errors.append(
                _("Score “%(criterion)s”.")
                % {"criterion": criterion.get_kind_display()}
            )
            continue
        shown = value
        try:
            value = _number(value)
        except ValidationError:
            value = None
        if value is None or value < 0 or value > criterion.max_score:
            errors.append(
                _(
                    "The score for “%(criterion)s” is %(score)s; it must be between 0 "
                    "and %(max)s."
                )
                % {
                    "criterion": criterion.get_kind_display(),
                    "score": shown,
                    "max": criterion.max_score,
                }
            )
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        errors.append(_("Some scores are for criteria of another rubric."))
    if errors:
        raise IncubationError(errors, code="bad_scores")
    for criterion in criteria:
        score, _created = AssessmentScore.objects.get_or_create(
            assessment=assessment,
            assessor=assessor,
            criterion=criterion,
            defaults={"score": _number(scores[criterion.pk])},
        )
        score.score = _number(scores[criterion.pk])
        score.comment = comments.get(criterion.pk, "")[:255]
        score._history_user = assessor
        score.save()
    return assessment


@transaction.atomic
def assessment_conclude(assessment, *, user=None):
    """Fix the result and the outcome (passed when the result reaches the pass
    mark) once every assessor scored every criterion; returns the assessment.
    Refuses with IncubationError (already concluded, bad rubric, scores missing)
    or PermissionDenied (a user who does not operate the base)."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("residency__base")
        .get(pk=assessment.pk)
    )
    base_operation_check(user, assessment.residency.base)
    if assessment.is_concluded:
        raise IncubationError(_("This assessment is already concluded."))
    rubric_check(assessment.residency.base)
    missing = missing_assessors(assessment)
    if missing:
        raise IncubationError(
            _("Not every assessor has scored yet: %(names)s.")
            % {"names": "、".join(display_name(u) for u in missing)},
            code="incomplete",
        )
    assessment.result = assessment_result(assessment)
    assessment.passed = assessment.result >= assessment.pass_mark
    assessment.concluded_at = timezone.now()
    assessment._history_user = user
    assessment.save()
    log(
        instance=assessment.residency,
        action=LOG_ACTION,
        user=user,
        data={"result": str(assessment.result), "passed": assessment.passed},
    )
    return assessment
