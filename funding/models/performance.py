"""Performance evaluation by indicators (绩效评价指标体系) of government service
purchases and of awards at completion.

- `IndicatorFramework`: a department's template in the national shape — first-level
  决策 / 过程 / 产出 / 效益, second- and third-level indicators; the third-level
  indicators carry the weights, which add up to 100. Versioned like the review
  rubrics: a version an evaluation has used is frozen; revising it makes the next
  version (`funding.services.performance.framework_revise`).
- `IndicatorEvaluation`: one evaluation of a purchase or an award, on one framework
  version; `EvaluatorSheet`: one evaluator's scores (an evaluator may be a
  third-party organization); `IndicatorScore`: the score of one indicator
  (0 … its weight).

Rules and sums: `funding/services/performance.py`, `funding/selectors/performance.py`.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel

from core.fields import user_fk
from core.history import ChildHistoricalRecords
from funding.models.purchases import Grade

WEIGHT = {"max_digits": 5, "decimal_places": 2}


class FirstLevel(models.TextChoices):
    """The four first-level indicators of the national framework (财政部《项目支出
    绩效评价管理办法》, 财预〔2020〕10号, 附件1)."""

    DECISION = "decision", _("Decision (决策)")
    PROCESS = "process", _("Process (过程)")
    OUTPUT = "output", _("Output (产出)")
    EFFECT = "effect", _("Effect (效益)")


class IndicatorFramework(ClusterableModel):
    """One version of a department's indicator framework."""

    department = models.CharField(_("department"), max_length=200)
    name = models.CharField(_("framework"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("revised from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="next_version",
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    panels = [
        FieldRowPanel([FieldPanel("department"), FieldPanel("name")]),
        FieldPanel("description"),
        InlinePanel(
            "indicators",
            heading=_("Indicators (weights add up to 100)"),
            label=_("indicator"),
            min_num=1,
        ),
    ]

    class Meta:
        verbose_name = _("indicator framework")
        verbose_name_plural = _("indicator frameworks")
        ordering = ["department", "name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name", "version"],
                name="framework_one_version_number",
            )
        ]

    def __str__(self):
        return f"{self.department} · {self.name}（v{self.version}）"

    @property
    def is_used(self):
        """Whether an evaluation uses this version: it is then frozen."""
        return self.evaluations.exists()


class Indicator(models.Model):
    """A third-level indicator with its second- and first-level parents and its
    weight (points of 100)."""

    framework = ParentalKey(
        IndicatorFramework, related_name="indicators", on_delete=models.CASCADE
    )
    first_level = models.CharField(
        _("first-level indicator"), max_length=10, choices=FirstLevel.choices
    )
    second_level = models.CharField(_("second-level indicator"), max_length=100)
    name = models.CharField(_("third-level indicator"), max_length=200)
    weight = models.DecimalField(
        _("weight (points)"),
        validators=[MinValueValidator(0.01)],
        **WEIGHT,
    )
    guidance = models.CharField(_("scoring guidance"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = ChildHistoricalRecords()

    panels = [
        FieldRowPanel(
            [
                FieldPanel("first_level"),
                FieldPanel("second_level"),
                FieldPanel("name"),
                FieldPanel("weight"),
            ]
        ),
        FieldPanel("guidance"),
    ]

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["framework", "sort_order", "pk"]

    def __str__(self):
        return f"{self.get_first_level_display()} / {self.second_level} / {self.name}"


class EvaluationStatus(models.TextChoices):
    OPEN = "open", _("Scoring")
    CONCLUDED = "concluded", _("Concluded")


class IndicatorEvaluation(models.Model):
    """绩效评价 of one government service purchase or one award at completion,
    scored on one framework version by one or more evaluators. The total is the
    mean of the evaluators' totals (2 decimals, half-up); the grade follows the
    bands 优 ≥ 90, 良 80–89.99, 中 60–79.99, 差 < 60."""

    framework = models.ForeignKey(
        IndicatorFramework,
        verbose_name=_("indicator framework"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    purchase = models.ForeignKey(
        "funding.ServicePurchase",
        verbose_name=_("government service purchase"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_evaluations",
    )
    award = models.ForeignKey(
        "funding.Award",
        verbose_name=_("award (at completion)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_evaluations",
    )
    evaluated_on = models.DateField(_("evaluated on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.OPEN,
        editable=False,
    )
    total = models.DecimalField(
        _("total (of 100)"), null=True, editable=False, **WEIGHT
    )
    grade = models.CharField(
        _("grade"), max_length=10, choices=Grade.choices, blank=True, editable=False
    )
    concluded_by = user_fk(_("concluded by"), editable=False)

    history = HistoricalRecords()

    panels = [
        FieldPanel("framework"),
        FieldRowPanel([FieldPanel("purchase"), FieldPanel("award")]),
        FieldPanel("evaluated_on"),
    ]

    class Meta:
        verbose_name = _("indicator evaluation")
        verbose_name_plural = _("indicator evaluations")
        ordering = ["-evaluated_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(purchase__isnull=False) & Q(award__isnull=True))
                | (Q(purchase__isnull=True) & Q(award__isnull=False)),
                name="indicator_evaluation_one_subject",
            )
        ]

    def __str__(self):
        return f"{self.subject} · {self.framework.name}"

    @property
    def subject(self):
        """The purchase or the award evaluated."""
        return self.purchase if self.purchase_id else self.award


class EvaluatorSheet(models.Model):
    """One evaluator's scores for an evaluation. The evaluator is a person named
    here, optionally of a third-party organization (第三方评估机构) of the registry."""

    evaluation = models.ForeignKey(
        IndicatorEvaluation,
        verbose_name=_("indicator evaluation"),
        on_delete=models.CASCADE,
        related_name="sheets",
    )
    evaluator = models.CharField(_("evaluator"), max_length=100)
    organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("third-party organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = user_fk(_("recorded by"), editable=False)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluator's scores")
        verbose_name_plural = _("evaluators' scores")
        ordering = ["evaluation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "evaluator"], name="sheet_one_per_evaluator"
            )
        ]

    def __str__(self):
        if self.organization_id:
            return f"{self.evaluator}（{self.organization}）"
        return self.evaluator


class IndicatorScore(models.Model):
    """The score (0 … the indicator's weight) one evaluator gave one indicator."""

    sheet = models.ForeignKey(
        EvaluatorSheet, on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="scores"
    )
    score = models.DecimalField(_("score"), **WEIGHT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = ["sheet", "indicator__sort_order", "indicator__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "indicator"], name="indicator_score_once_per_sheet"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0), name="indicator_score_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.name}: {self.score}"
