"""Revitalization projects (帮扶项目) under a pairing, and where their money comes
from (funding links to grant awards, government purchases or self-raised money)."""

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel

from core.history import ChildHistoricalRecords
from core.money import CENT, MONEY, yuan_display, yuan_text
from projects.choices import FundingKind, PeriodType, ProjectCategory, ProjectStatus
from projects.errors import ProjectsError
from projects.funding_sources import (
    funding_link_check_eligible,
    funding_link_check_source,
    funding_source_for,
)
from projects.models.pairings import Pairing, date_or_unknown
from projects.widgets import FundingSourcePanel, FundingSourceSelect


class Project(ClusterableModel):
    """帮扶项目 under a pairing."""

    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(
        _("category"), max_length=20, choices=ProjectCategory.choices, db_index=True
    )
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the start date is unknown (historical records)."),
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (yuan)"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PLANNED,
    )
    reporting_frequency = models.CharField(
        _("reporting period"),
        max_length=8,
        choices=PeriodType.choices,
        default=PeriodType.HALF_YEAR,
        help_text=_("Every outcome report of the project covers one such period."),
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    panels = [
        FieldPanel("pairing"),
        FieldRowPanel([FieldPanel("title"), FieldPanel("category")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel(
            [
                FieldPanel("budget"),
                FieldPanel("status"),
                FieldPanel("reporting_frequency"),
            ]
        ),
        FieldPanel("description"),
        InlinePanel("funding_links", label=_("Funding sources")),
    ]

    class Meta:
        verbose_name = _("revitalization project")
        verbose_name_plural = _("revitalization projects")
        ordering = ["-start_date", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date is before the start date.")}
            )

    def get_start_date_display(self):
        """The start date, or “unknown” when none was recorded."""
        return date_or_unknown(self.start_date)

    @property
    def self_raised_source(self):
        """Who raised the project's self-raised money, as the project import's
        资金来源 cell writes it: the names of its self-raised funding links joined
        by “、” (links to awards and purchases are not part of it)."""
        return "、".join(
            link.fund_name
            for link in self.funding_links.all()
            if link.kind == FundingKind.SELF_RAISED
        )

    @property
    def funded_amount(self):
        return sum((link.amount for link in self.funding_links.all()), Decimal("0"))


class FundingLink(models.Model):
    """Where a project's money comes from. Self-raised money needs no source record;
    grant awards and government purchases point to their record (generic link, so
    the funding module can attach them without changing this table)."""

    project = ParentalKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="funding_links",
    )
    kind = models.CharField(
        _("source"),
        max_length=16,
        choices=FundingKind.choices,
        default=FundingKind.SELF_RAISED,
    )
    fund_name = models.CharField(
        _("fund"),
        max_length=200,
        blank=True,
        help_text=_(
            "For self-raised money: who raised it. Filled from the award or "
            "purchase when one is linked."
        ),
    )
    amount = models.DecimalField(
        _("amount (yuan)"), **MONEY, validators=[MinValueValidator(CENT)]
    )
    source_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source record type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(
        _("source record"), null=True, blank=True
    )
    source = GenericForeignKey("source_type", "source_id")
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = ChildHistoricalRecords()

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("fund_name")]),
        FundingSourcePanel("source_id", widget=FundingSourceSelect),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("note")]),
    ]

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.fund_name} {yuan_display(self.amount)}"

    def clean(self):
        funding_link_check_source(self)

    def save(self, *args, **kwargs):
        # Whose money a project may use is checked on every write, not only in
        # forms that call clean().
        funding_link_check_eligible(self)
        super().save(*args, **kwargs)


def funding_links_check_capacity(project, links):
    """Refuse (ProjectsError) links of `project` (unsaved ones included) that,
    with every other project's links to the same award or purchase, would claim
    more yuan than the record holds (its `capacity`)."""
    wanted = {}
    for link in links:
        if link.kind == FundingKind.SELF_RAISED or not link.source_id:
            continue
        key = (link.kind, link.source_type_id, link.source_id)
        wanted[key] = wanted.get(key, Decimal("0")) + (link.amount or 0)
    for (kind, type_id, source_id), amount in wanted.items():
        source = funding_source_for(kind)
        record = source.model._default_manager.get(pk=source_id)
        others = FundingLink.objects.filter(source_type_id=type_id, source_id=source_id)
        if project.pk:
            others = others.exclude(project_id=project.pk)
        elsewhere = others.aggregate(total=Sum("amount"))["total"] or Decimal("0")
        capacity = Decimal(source.capacity(record))
        if elsewhere + amount > capacity:
            raise ProjectsError(
                gettext(
                    "%(record)s holds %(capacity)s yuan; other projects already claim "
                    "%(elsewhere)s yuan, so this project can claim at most "
                    "%(left)s yuan, not %(amount)s."
                )
                % {
                    "record": record,
                    "capacity": yuan_text(capacity),
                    "elsewhere": yuan_text(elsewhere),
                    "left": yuan_text(capacity - elsewhere),
                    "amount": yuan_text(amount),
                }
            )
