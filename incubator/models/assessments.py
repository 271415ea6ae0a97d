"""Graduation assessments 出壳评估: assessors score each criterion of the base's
rubric; the weighted result against the pass mark decides whether the residency
may graduate. Scoring and concluding go through `incubator/services/assessments.py`."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class Assessment(models.Model):
    residency = models.ForeignKey(
        "incubator.Residency",
        verbose_name=_("residency"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    held_on = models.DateField(_("assessment date"), default=timezone.localdate)
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessors"),
        related_name="incubation_assessments",
    )
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=5,
        decimal_places=2,
        editable=False,
        help_text=_("Copied from the base when the assessment is created."),
    )
    result = models.DecimalField(
        _("weighted result"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    passed = models.BooleanField(_("passed"), null=True, editable=False)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(m2m_fields=[assessors])

    panels = [
        FieldRowPanel([FieldPanel("residency"), FieldPanel("held_on")]),
        FieldPanel("assessors"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("graduation assessment")
        verbose_name_plural = _("graduation assessments")
        ordering = ["-held_on", "pk"]

    def __str__(self):
        return f"{self.residency.organization} {self.held_on}"

    @property
    def is_concluded(self):
        return self.concluded_at is not None

    def passed_display(self):
        if self.passed is None:
            return _("Open")
        return _("Passed") if self.passed else _("Not passed")

    passed_display.short_description = _("outcome")


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    criterion = models.ForeignKey(
        "incubator.AssessmentCriterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "assessor", "criterion"],
                name="assessment_score_once",
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
