"""Supervision by the registration authority (登记管理机关): annual-inspection
campaigns with one inspection per organization due, and clean-up campaigns of
dormant organizations (僵尸型社会组织) with one case per organization.

The rules are elsewhere, one module each: who is due and the inspection rate in
`incubator/selectors/inspections.py`, who is dormant and the progress of a clean-up
in `incubator/selectors/dormant.py`, the writes in `incubator/services/`, the moves
of a case in `incubator/lifecycle.py` (`DORMANT_TRANSITIONS`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from incubator.choices import (
    DORMANT_DONE,
    CampaignStatus,
    DormantStatus,
    InspectionResult,
)


class InspectionCampaign(models.Model):
    """年检/年报 of one year: opened with one `Inspection` per organization due
    (`inspection_campaign_open`), closed when the reports are in
    (`inspection_campaign_close`: whoever has not submitted is 未参检)."""

    year = models.PositiveSmallIntegerField(
        _("inspection year"),
        unique=True,
        help_text=_(
            "The year the reports cover (e.g. 2025 for the 2025 annual report)."
        ),
    )
    deadline = models.DateField(_("submission deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.OPEN,
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("deadline")]),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("annual inspection campaign")
        verbose_name_plural = _("annual inspection campaigns")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)s annual inspection") % {"year": self.year}

    @property
    def is_open(self):
        return self.status == CampaignStatus.OPEN


class Inspection(models.Model):
    """One organization's annual inspection in a campaign: whether its report was
    submitted (and when), and the result (合格 / 基本合格 / 不合格 / 未参检)."""

    campaign = models.ForeignKey(
        InspectionCampaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="inspections",
    )
    organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="campaign_inspections",
    )
    submitted = models.BooleanField(_("report submitted"), default=False)
    submitted_on = models.DateField(_("report submitted on"), null=True, blank=True)
    result = models.CharField(
        _("inspection result"),
        max_length=20,
        choices=InspectionResult.choices,
        blank=True,
    )
    decided_on = models.DateField(_("result given on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()

    panels = [
        FieldRowPanel([FieldPanel("submitted"), FieldPanel("submitted_on")]),
        FieldRowPanel([FieldPanel("result"), FieldPanel("decided_on")]),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("annual inspection record")
        verbose_name_plural = _("annual inspection records")
        ordering = ["-campaign__year", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                name="inspection_one_per_campaign",
            )
        ]

    def __str__(self):
        return f"{self.organization} · {self.campaign.year}"

    def submitted_text(self):
        """是 / 否, as the spreadsheets write it."""
        return str(_("yes") if self.submitted else _("no"))

    submitted_text.short_description = _("report submitted")

    @property
    def missed(self):
        """True when the organization did not take part (未参检 or no report)."""
        return not self.submitted or self.result == InspectionResult.NOT_INSPECTED


class DormantCampaign(models.Model):
    """A clean-up campaign of dormant organizations (僵尸型社会组织专项清理)."""

    title = models.CharField(_("title"), max_length=200)
    started_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("planned end"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("started_on"), FieldPanel("ends_on")]),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("dormant-organization clean-up")
        verbose_name_plural = _("dormant-organization clean-ups")
        ordering = ["-started_on", "-pk"]

    def __str__(self):
        return self.title


#: The statuses of a case still being dealt with (一个组织同时只有一个在办案件).
DORMANT_OPEN = tuple(s for s in DormantStatus if s not in DORMANT_DONE)


class DormantCase(models.Model):
    """One dormant organization in a clean-up: the years it missed, where its case
    stands and the dates of its steps (`DormantStep`)."""

    campaign = models.ForeignKey(
        DormantCampaign,
        verbose_name=_("clean-up"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="dormant_cases",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DormantStatus.choices,
        default=DormantStatus.FOUND,
        db_index=True,
    )
    missed_years = models.CharField(
        _("years without inspection"), max_length=100, blank=True
    )
    found_on = models.DateField(_("listed on"))
    changed_on = models.DateField(_("last step on"))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    panels = [FieldPanel("note")]

    class Meta:
        verbose_name = _("dormant-organization case")
        verbose_name_plural = _("dormant-organization cases")
        ordering = ["campaign", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                name="dormant_case_one_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status__in=[s.value for s in DORMANT_OPEN]),
                name="dormant_case_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_status_display()}"

    @property
    def is_done(self):
        return self.status in DORMANT_DONE


class DormantStep(models.Model):
    """One move of a case (约谈, 整改, 注销, 撤销登记): from, to, the day it happened,
    a note and the document that records it (约谈记录, 整改报告, 撤销登记决定书)."""

    case = models.ForeignKey(
        DormantCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=DormantStatus.choices
    )
    to_status = models.CharField(_("to"), max_length=16, choices=DormantStatus.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dormant-case step")
        verbose_name_plural = _("dormant-case steps")
        ordering = ["case", "on", "pk"]

    def __str__(self):
        return f"{self.case.organization}: {self.get_to_status_display()} {self.on}"
