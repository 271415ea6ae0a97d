"""Stored outcome totals: the figures of every project × indicator × period year ×
bucket (official: approved reports; pending: the others), from which every roll-up
is read (`projects.selectors.rollups`) instead of the outcome lines.

A row is derived data, never entered: `projects.services.rollup_totals` rewrites a
project's rows in the same transaction as every write that changes what counts
(approve, return, submit, line edits, imports, report deletion), and
`python manage.py verify_rollups` recomputes them from the lines. No history is
kept (the lines and reports have theirs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from projects.choices import TotalBucket
from projects.models.indicators import Indicator
from projects.models.projects import Project

SUM_DIGITS = {"max_digits": 24, "decimal_places": 2, "null": True}


class OutcomeTotal(models.Model):
    """The lines of one project's reports of one period `year` for one indicator,
    in one `bucket`, added up by each roll-up rule (the indicator's rule is read
    when rolling up, so a rule changed later needs no rebuild):

    - summed indicators: `value_sum` (Σ actual) and `target_sum` (Σ target);
    - ratios: `numerator_sum`, `denominator_sum` (Σ over the lines with a
      figure), `target_part` = Σ target% × denominator and `target_base` =
      Σ denominator over the lines with a target;
    - cumulative indicators: `value_latest` / `target_latest`, the actual / the
      target of the latest period of the year in which it is known, and
      `value_is_latest` / `target_is_latest` set on the row of the latest year
      of the project, indicator and bucket that knows one (the figure of a roll-up
      over all years).

    `line_count` counts the lines, `known_count` those with an actual, a numerator
    or a target. Figures in the indicator's unit (元, 人, 间, %…)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    bucket = models.CharField(_("bucket"), max_length=8, choices=TotalBucket.choices)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    known_count = models.PositiveIntegerField(_("lines with a figure"), default=0)
    value_sum = models.DecimalField(_("sum of actuals"), **SUM_DIGITS)
    numerator_sum = models.DecimalField(_("sum of numerators"), **SUM_DIGITS)
    denominator_sum = models.DecimalField(_("sum of denominators"), **SUM_DIGITS)
    target_sum = models.DecimalField(_("sum of targets"), **SUM_DIGITS)
    target_part = models.DecimalField(
        _("sum of target × denominator"), max_digits=36, decimal_places=4, null=True
    )
    target_base = models.DecimalField(
        _("sum of denominators with a target"), **SUM_DIGITS
    )
    value_latest = models.DecimalField(
        _("latest actual"), max_digits=16, decimal_places=2, null=True
    )
    target_latest = models.DecimalField(
        _("latest target"), max_digits=16, decimal_places=2, null=True
    )
    value_is_latest = models.BooleanField(
        _("latest year with an actual"), default=False
    )
    target_is_latest = models.BooleanField(
        _("latest year with a target"), default=False
    )

    class Meta:
        verbose_name = _("outcome total")
        verbose_name_plural = _("outcome totals")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "indicator", "year", "bucket"],
                name="outcome_total_one_per_year",
            )
        ]
        indexes = [
            models.Index(
                fields=["bucket", "year", "indicator"], name="outcome_total_scope"
            )
        ]

    def __str__(self):
        return f"{self.project_id} · {self.indicator_id} · {self.year} · {self.bucket}"
