"""Random spot checks (双随机、一公开) and credit decisions (双公示).

- `Inspector`: the pool of law-enforcement inspectors (执法检查人员名录) a draw
  picks from; `unit` is where the inspector works, compared with an
  organization's 业务主管单位 to avoid conflicts.
- `SpotCheckCampaign`: a scope of the registry, a base rate and a risk-group rate
  (%), and, once drawn, the record that makes the draw re-derivable: the seed, the
  scope as applied, the ordered candidate list and risk group, their hash
  (`incubator.selectors.spotcheck_draw`).
- `SpotCheck`: one organization drawn, its inspectors and its result
  (问题, 整改要求, 结果).
- `CreditDecision`: an administrative decision or credit-list decision, published
  in the day's file for the provincial credit platform. The credit lists
  themselves are `CreditEntry` (incubator/models/organizations.py): a list
  decision recorded through `credit_decision_record` opens or closes one.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from core.fields import user_fk
from incubator.choices import (
    CreditDecisionType,
    SpotCheckCampaignStatus,
    SpotCheckResult,
)

PERCENT = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))]


class Inspector(models.Model):
    """执法检查人员: one person of the pool spot checks draw inspectors from.
    Personal data: never shown on public pages."""

    name = models.CharField(_("name"), max_length=64)
    unit = models.CharField(
        _("work unit"),
        max_length=200,
        help_text=_(
            "Never drawn for an organization whose business supervisor is this unit."
        ),
    )
    badge_number = models.CharField(_("badge number"), max_length=32, blank=True)
    active = models.BooleanField(_("in the pool"), default=True)

    history = HistoricalRecords()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("badge_number")]),
        FieldPanel("unit"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name}（{self.unit}）"


class SpotCheckCampaign(models.Model):
    """一次双随机抽查: the scope (levels, types, region), the rates and the draw."""

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    scope_levels = models.JSONField(
        _("registration levels"),
        default=list,
        blank=True,
        help_text=_("Empty: every level."),
    )
    scope_types = models.JSONField(
        _("organization types"),
        default=list,
        blank=True,
        help_text=_("Empty: every type."),
    )
    scope_region = models.ForeignKey(
        "core.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The region and every division in it; empty: everywhere."),
    )
    base_rate = models.DecimalField(
        _("base rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=PERCENT,
        help_text=_("Share drawn of organizations outside the risk group."),
    )
    risk_rate = models.DecimalField(
        _("risk-group rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=PERCENT,
        help_text=_(
            "Share drawn of organizations on a credit list, that failed or skipped "
            "last year's inspection, or that have no valid rating."
        ),
    )
    inspectors_per_check = models.PositiveSmallIntegerField(
        _("inspectors per organization"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=SpotCheckCampaignStatus.choices,
        default=SpotCheckCampaignStatus.DRAFT,
    )
    # The record of the draw (filled once, by spotcheck_campaign_draw).
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    scope = models.JSONField(_("scope as drawn"), default=dict, blank=True)
    candidates = models.JSONField(_("candidate ids, in order"), default=list)
    risk_ids = models.JSONField(_("risk-group ids"), default=list)
    pool = models.JSONField(
        _("inspector pool and supervisors as drawn"), default=dict, blank=True
    )
    candidates_hash = models.CharField(
        _("candidate list hash"), max_length=64, blank=True
    )
    drawn_at = models.DateTimeField(
        pgettext_lazy("spot check", "drawn at"), null=True, blank=True
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("spot check", "drawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("year")]),
        MultiFieldPanel(
            [
                FieldPanel("scope_levels"),
                FieldPanel("scope_types"),
                FieldPanel("scope_region"),
            ],
            heading=_("Scope"),
        ),
        FieldRowPanel(
            [
                FieldPanel("base_rate"),
                FieldPanel("risk_rate"),
                FieldPanel("inspectors_per_check"),
            ]
        ),
    ]

    class Meta:
        verbose_name = _("spot-check campaign")
        verbose_name_plural = _("spot-check campaigns")
        ordering = ["-year", "-pk"]

    def __str__(self):
        return self.name

    @property
    def is_drawn(self):
        return self.status == SpotCheckCampaignStatus.DRAWN


class SpotCheck(models.Model):
    """One organization drawn by a campaign, its inspectors and the result."""

    campaign = models.ForeignKey(
        SpotCheckCampaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="checks",
    )
    organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="spot_checks",
    )
    position = models.PositiveIntegerField(_("order drawn"))
    in_risk_group = models.BooleanField(_("risk group"), default=False)
    inspectors = models.ManyToManyField(
        Inspector, verbose_name=_("inspectors"), related_name="checks", blank=True
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    result = models.CharField(
        _("result"),
        max_length=12,
        choices=SpotCheckResult.choices,
        default=SpotCheckResult.PENDING,
    )
    problems = models.TextField(_("problems found"), blank=True)
    rectification = models.TextField(_("rectification required"), blank=True)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[inspectors])

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"], name="spotcheck_one_per_campaign"
            )
        ]

    def __str__(self):
        return f"{self.campaign} · {self.organization}"


class CreditDecision(models.Model):
    """一项行政决定 (administrative decision) to publish for 双公示; one row of the
    file of the day `listed_on` (`incubator.services.credit.credit_publication_xlsx`).
    `listed_on` is the decision's own date, unless that day's file had already been
    exported when the decision was recorded: then the decision is `late` (补报) and
    goes on the next file not yet exported, keeping its real `decided_on`."""

    organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="credit_decisions",
    )
    decision_type = models.CharField(
        _("decision type"), max_length=16, choices=CreditDecisionType.choices
    )
    reason = models.CharField(_("reason"), max_length=255)
    decided_on = models.DateField(_("decided on"), db_index=True)
    authority = models.CharField(_("deciding authority"), max_length=200)
    credit_entry = models.ForeignKey(
        "incubator.CreditEntry",
        verbose_name=_("credit-list entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # the day whose file carries the decision (None on rows older than this rule:
    # their decision date)
    listed_on = models.DateField(
        _("on the file of"), null=True, blank=True, editable=False, db_index=True
    )
    late = models.BooleanField(
        pgettext_lazy("credit publication", "late report"),
        default=False,
        editable=False,
    )

    history = HistoricalRecords()

    panels = [
        FieldPanel("organization"),
        FieldRowPanel([FieldPanel("decision_type"), FieldPanel("decided_on")]),
        FieldPanel("reason"),
        FieldPanel("authority"),
    ]

    class Meta:
        verbose_name = _("credit decision")
        verbose_name_plural = _("credit decisions")
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"{self.organization} · {self.get_decision_type_display()}"


class CreditPublicationExport(models.Model):
    """One export of a day's 双公示 file (downloaded, written by the command, or the
    day published): once a day has one, its file is what the provincial platform
    has, and a decision recorded later for that day is a 补报 on a later file
    (`incubator.services.credit.credit_decision_record`)."""

    class Via(models.TextChoices):
        DOWNLOAD = "download", _("Downloaded")
        COMMAND = "command", _("Written by the command")
        PUBLISH = "publish", _("Published")

    day = models.DateField(_("day of the file"), db_index=True)
    exported_at = models.DateTimeField(_("exported at"), default=timezone.now)
    exported_by = user_fk(_("exported by"))
    via = models.CharField(_("how"), max_length=16, choices=Via.choices)
    decisions = models.PositiveIntegerField(_("decisions in the file"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit publication export")
        verbose_name_plural = _("credit publication exports")
        ordering = ["-exported_at", "-pk"]

    def __str__(self):
        return f"{self.day.isoformat()} · {self.get_via_display()}"
