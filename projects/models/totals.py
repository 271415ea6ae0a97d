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


# The figures of an `OutcomeRollupTotal`: each a sum (in the indicator's unit) and
# the number of per-project totals that knew it (0: the figure is unknown, None).
ROLLUP_FIGURES = (
    "value_sum",
    "numerator_sum",
    "denominator_sum",
    "target_sum",
    "target_part",
    "target_base",
    "value_latest",
    "target_latest",
    "value_final",
    "target_final",
)


class OutcomeRollupTotal(models.Model):
    """The stored totals (`OutcomeTotal`) of every project of one key of a roll-up
    `dimension` — a county, organization or alliance (their id as text, `__none__`
    for a pairing in no alliance) or a fund (its name, `__none__` for a project with
    no funding recorded) — for one indicator, period `year` and `bucket`, added up:
    a roll-up of all projects reads these few rows instead of the per-project ones.

    Every figure is additive over projects: `line_count`, `known_count`, and per
    figure of `ROLLUP_FIGURES` its sum (0 when unknown) and `<figure>_count`, the
    number of project totals that knew it (0: unknown). `value_sum` …
    `target_base` add up the same columns of `OutcomeTotal`; `value_latest` /
    `target_latest` add up each project's latest figure of the year (the figure of
    a roll-up of one year); `value_final` / `target_final` add up the figures of
    the rows marked `value_is_latest` / `target_is_latest` (a roll-up of all
    years). A project funded from several funds is in each fund's rows (once in a
    fund it has two links to); every project is in exactly one county, so the
    county rows also give the years and the total.

    Derived data: `projects.services.rollup_totals` adds a project's change to its
    keys' rows in the transaction of every write that changes its totals or its
    keys; `verify_rollups` recomputes them from the lines. A row whose
    `line_count` falls to 0 is deleted."""

    dimension = models.CharField(_("dimension"), max_length=12)
    key = models.CharField(_("roll-up key"), max_length=200)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    bucket = models.CharField(_("bucket"), max_length=8, choices=TotalBucket.choices)
    line_count = models.IntegerField(_("lines"), default=0)
    known_count = models.IntegerField(_("lines with a figure"), default=0)
    value_sum = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    value_sum_count = models.IntegerField(default=0)
    numerator_sum = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    numerator_sum_count = models.IntegerField(default=0)
    denominator_sum = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    denominator_sum_count = models.IntegerField(default=0)
    target_sum = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    target_sum_count = models.IntegerField(default=0)
    target_part = models.DecimalField(max_digits=36, decimal_places=4, default=0)
    target_part_count = models.IntegerField(default=0)
    target_base = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    target_base_count = models.IntegerField(default=0)
    value_latest = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    value_latest_count = models.IntegerField(default=0)
    target_latest = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    target_latest_count = models.IntegerField(default=0)
    value_final = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    value_final_count = models.IntegerField(default=0)
    target_final = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    target_final_count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("outcome roll-up total")
        verbose_name_plural = _("outcome roll-up totals")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "key", "indicator", "year", "bucket"],
                name="outcome_rollup_total_one_per_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["dimension", "bucket", "year"], name="outcome_rollup_scope"
            )
        ]

    def __str__(self):
        return f"{self.dimension} {self.key} · {self.indicator_id} · {self.year}"


class RollupProjectCount(models.Model):
    """The projects of one key of a roll-up `dimension` and their money, over all
    years: a county, organization or alliance (its id as text, `__none__` for a
    pairing in no alliance) with the number of its projects and the sum of their
    budgets (元), or a fund (its name) with the number of projects linked to it
    and the sum of those links' amounts (元) — `__none__` counting the projects
    with no funding recorded (money 0). A roll-up of all projects and years reads
    these few rows instead of counting 200,000 projects per screen; the county
    rows add up to every project once (the total row and the headline).

    Derived data, like `OutcomeRollupTotal`: `projects.services.rollup_totals`
    moves a project's count in the transaction of every write that creates,
    deletes or re-keys it or changes its budget or links; `verify_rollups`
    recounts them from the projects. A row whose count falls to 0 is deleted."""

    dimension = models.CharField(_("dimension"), max_length=12)
    key = models.CharField(_("roll-up key"), max_length=200)
    projects = models.IntegerField(_("number of projects"), default=0)
    money = models.DecimalField(
        _("money (yuan)"), max_digits=24, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("roll-up project count")
        verbose_name_plural = _("roll-up project counts")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "key"], name="rollup_project_count_one_per_key"
            )
        ]

    def __str__(self):
        return f"{self.dimension} {self.key} · {self.projects}"
