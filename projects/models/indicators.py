"""The indicator catalogue: every county's figures mean the same.

An indicator's aggregation rule and unit are what its approved figures mean, so they
are fixed once any approved outcome line uses it (switching sum to ratio after
approval turned an official county total of 346 into a blank). A different rule or
unit is a new indicator: add it (new code and name) and set the old one "not in
use", so old figures keep their meaning. Name, group, evidence, definition, order
and "in use" stay editable. The rule is `indicator_check_fixed`, called by
`Indicator.clean` and `Indicator.save`, so every path (admin, scripts, imports)
meets it."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.choices import Aggregation, EvidenceKind, ReportStatus
from projects.errors import ProjectsError

FIXED_FIELDS = ("aggregation", "unit")


class Indicator(models.Model):
    """One entry of the central catalogue: every county's figures mean the same."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    unit = models.CharField(_("unit"), max_length=16)
    aggregation = models.CharField(
        _("aggregation"), max_length=12, choices=Aggregation.choices
    )
    group = models.CharField(
        _("group"),
        max_length=64,
        blank=True,
        help_text=_("Indicators of one group are shown together, e.g. 四个小屋."),
    )
    in_group_total = models.BooleanField(
        _("counted in the group total"),
        default=False,
        help_text=_(
            "The group's total adds up the indicators of the group marked so, e.g. "
            "the four cabin types → 四个小屋合计. They must share one unit; a ratio "
            "cannot be added up."
        ),
    )
    evidence_kind = models.CharField(
        _("evidence required"),
        max_length=12,
        choices=EvidenceKind.choices,
        blank=True,
        default=EvidenceKind.NONE,
    )
    evidence_note = models.CharField(
        _("evidence note"),
        max_length=200,
        blank=True,
        help_text=_("What the evidence must show, e.g. 销售票据及收款记录."),
    )
    description = models.TextField(_("definition"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.name}（{self.unit}）"

    def clean(self):
        indicator_check_fixed(self)
        indicator_check_group_total(self)

    def save(self, *args, **kwargs):
        # aggregation rule and unit are fixed once approved figures use them, and a
        # group total adds up like with like, on every write
        indicator_check_fixed(self)
        indicator_check_group_total(self)
        super().save(*args, **kwargs)

    @property
    def is_ratio(self):
        return self.aggregation == Aggregation.RATIO

    @property
    def requires_evidence(self):
        return bool(self.evidence_kind)


def indicator_approved_lines(indicator):
    """Number of approved outcome lines that use `indicator` (0 for a new one)."""
    if not indicator.pk:
        return 0
    return indicator.lines.filter(report__status=ReportStatus.APPROVED).count()


def indicator_fixed_reason(indicator):
    """Why the aggregation rule and unit cannot change, or "" when they can."""
    count = indicator_approved_lines(indicator)
    if not count:
        return ""
    return gettext(
        "Approved figures already use this indicator (%(count)s lines), so its "
        "aggregation rule and unit are fixed: changing them would rewrite official "
        "totals. For a different rule or unit, add a new indicator to the catalogue "
        "and set this one not in use."
    ) % {"count": count}


def indicator_check_fixed(indicator):
    """Refuse (ProjectsError on the changed field) a change of aggregation rule or
    unit of an indicator that approved figures use."""
    if not indicator.pk:
        return
    stored = Indicator.objects.filter(pk=indicator.pk).values(*FIXED_FIELDS).first()
    if stored is None:
        return
    changed = [f for f in FIXED_FIELDS if stored[f] != getattr(indicator, f)]
    if not changed:
        return
    reason = indicator_fixed_reason(indicator)
    if reason:
        raise ProjectsError(dict.fromkeys(changed, reason))


def indicator_check_group_total(indicator):
    """Refuse (ProjectsError on `in_group_total`) an indicator counted in its group's
    total that has no group, is a ratio (percentages do not add up) or has another
    unit than the indicators already counted in that total (间 and 元 do not add up).
    The group totals themselves are `projects.selectors.rollups.group_totals`."""
    if not indicator.in_group_total:
        return
    if not indicator.group:
        raise ProjectsError(
            {
                "in_group_total": gettext(
                    "Only an indicator in a group can be counted in the group total."
                )
            }
        )
    if indicator.aggregation == Aggregation.RATIO:
        raise ProjectsError(
            {"in_group_total": gettext("A ratio cannot be added into a group total.")}
        )
    others = (
        Indicator.objects.filter(group=indicator.group, in_group_total=True)
        .exclude(pk=indicator.pk)
        .exclude(unit=indicator.unit)
        .values_list("unit", flat=True)
        .first()
    )
    if others is not None:
        raise ProjectsError(
            {
                "in_group_total": gettext(
                    "The group total of %(group)s adds up indicators in %(unit)s; "
                    "this one is in %(own)s."
                )
                % {"group": indicator.group, "unit": others, "own": indicator.unit}
            }
        )
