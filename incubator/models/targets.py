"""Targets (工作目标) a department sets for the social organizations of its region,
each computed live from the data by a registered metric.

The metrics and how each is computed: `incubator/selectors/targets.py` (the
registry, `METRICS`; funding registers the purchase metric from `funding/apps.py`).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from incubator.selectors.metric_registry import metric_choices


class Comparison(models.TextChoices):
    AT_LEAST = "ge", _("at least (≥)")
    AT_MOST = "le", _("at most (≤)")


class Target(models.Model):
    """One target: a metric (a share in %, 0–100), a comparison and a threshold
    (%), to be reached by a deadline within a region (none: the whole platform).

    Example (内蒙古, to 2025): 3A-and-above share of rated organizations ≥ 80%."""

    name = models.CharField(pgettext_lazy("supervision", "target"), max_length=200)
    department = models.CharField(
        _("set by"), max_length=200, help_text=_("The department that set it.")
    )
    metric = models.CharField(_("metric"), max_length=40, choices=metric_choices)
    comparison = models.CharField(
        _("comparison"),
        max_length=2,
        choices=Comparison.choices,
        default=Comparison.AT_LEAST,
    )
    threshold = models.DecimalField(
        _("threshold (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    deadline = models.DateField(_("deadline"))
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every region."),
    )
    from_year = models.PositiveSmallIntegerField(
        _("trend from year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("The plan or document that sets the target."),
    )

    history = HistoricalRecords()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("department"), FieldPanel("region")]),
                FieldPanel("source"),
            ],
            heading=pgettext_lazy("supervision", "Target"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("metric"),
                FieldRowPanel([FieldPanel("comparison"), FieldPanel("threshold")]),
                FieldRowPanel([FieldPanel("deadline"), FieldPanel("from_year")]),
            ],
            heading=_("Metric"),
        ),
    ]

    class Meta:
        verbose_name = pgettext_lazy("supervision", "target")
        verbose_name_plural = _("targets")
        ordering = ["deadline", "name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.deadline and self.from_year and self.from_year > self.deadline.year:
            raise ValidationError(
                {
                    "from_year": _(
                        "The trend starts in or before the deadline's year (%(y)s)."
                    )
                    % {"y": self.deadline.year}
                }
            )

    def is_met(self, value):
        """Whether a value (%, Decimal) meets the target; None when there is no
        value (nothing to count)."""
        if value is None:
            return None
        if self.comparison == Comparison.AT_MOST:
            return value <= self.threshold
        return value >= self.threshold
