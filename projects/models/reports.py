"""Outcome reports: targets and actuals of one project for one fixed period, with
their evidence. No two reports of one project cover the same months
(`report_check_period`, on every write). Their moves are `projects.lifecycle` and
`projects.services.reports`."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel

from core.fields import user_fk
from core.history import ChildHistoricalRecords
from core.money import CENT
from core.storage import private_storage
from core.uploads import validate_upload
from projects.choices import EDITABLE_STATUSES, EvidenceKind, PeriodType, ReportStatus
from projects.errors import ProjectsError
from projects.models.indicators import Indicator
from projects.models.projects import Project
from projects.periods import PERIODS_PER_YEAR, period_bounds, period_label


class NumberField(models.DecimalField):
    """A decimal whose form refuses text like “N/A” with a clear message."""

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.error_messages["invalid"] = _(
            "Only numbers are accepted (e.g. 1200 or 0.5); text such as “N/A” is not."
        )
        return field


class OutcomeReportQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ReportStatus.APPROVED)

    def pending(self):
        return self.exclude(status=ReportStatus.APPROVED)


class OutcomeReport(ClusterableModel):
    """Targets and actuals of one project for one fixed period."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period_type = models.CharField(
        _("period type"), max_length=8, choices=PeriodType.choices
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    number = models.PositiveSmallIntegerField(
        _("period"), default=1, help_text=_("Quarter 1–4, half 1–2, or 1 for a year.")
    )
    start_date = models.DateField(_("period start"), editable=False)
    end_date = models.DateField(_("period end"), editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
    )
    created_by = user_fk(_("author"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, editable=False)
    submitted_by = user_fk(_("submitted by"), editable=False)
    decided_by = user_fk(_("approved or returned by"), editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, editable=False)
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)

    objects = OutcomeReportQuerySet.as_manager()
    history = HistoricalRecords()

    panels = [
        FieldPanel("project"),
        FieldRowPanel(
            [FieldPanel("period_type"), FieldPanel("year"), FieldPanel("number")]
        ),
        FieldPanel("note"),
        InlinePanel("lines", label=_("Targets and actuals"), min_num=1),
        InlinePanel("evidence", label=_("Evidence")),
    ]

    class Meta:
        verbose_name = _("outcome report")
        verbose_name_plural = _("outcome reports")
        ordering = ["-end_date", "project__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_type", "year", "number"],
                name="outcome_report_one_per_period",
            )
        ]
        permissions = [
            ("approve_outcomereport", _("Can approve or return outcome reports"))
        ]

    def __str__(self):
        return f"{self.project} · {self.period_label}"

    @property
    def period_label(self):
        return period_label(self.period_type, self.year, self.number)

    # The column heading wherever a listing shows it (Django's label_for_field).
    period_label.fget.short_description = _("Period")

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    def clean(self):
        errors = {}
        if self.period_type in PERIODS_PER_YEAR and self.number is not None:
            count = PERIODS_PER_YEAR[self.period_type]
            if not 1 <= self.number <= count:
                errors["number"] = _("This period type has periods 1 to %(count)s.") % {
                    "count": count
                }
        if self.project_id and self.period_type:
            if self.period_type != self.project.reporting_frequency:
                errors["period_type"] = _(
                    "This project reports by %(frequency)s: use that period type, "
                    "so that figures are never counted twice."
                ) % {"frequency": self.project.get_reporting_frequency_display()}
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = _("Enter a year such as 2024.")
        if errors:
            raise ValidationError(errors)
        report_check_period(self)

    def save(self, *args, **kwargs):
        if self.period_type and self.year and self.number:
            self.start_date, self.end_date = period_bounds(
                self.period_type, self.year, self.number
            )
        # No two reports of one project cover the same months, on every write;
        # the project row is locked while checking.
        with transaction.atomic():
            report_check_period(self, lock=True)
            super().save(*args, **kwargs)


class OutcomeLine(models.Model):
    """Target and actual of one indicator in one report. Ratio indicators are
    entered as numerator and denominator; the percentage is derived."""

    report = ParentalKey(
        OutcomeReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="lines",
        limit_choices_to={"is_active": True},
    )
    target = NumberField(
        _("target"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    actual = NumberField(
        _("actual"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a ratio indicator leave empty: it is worked out."),
    )
    numerator = NumberField(
        _("numerator"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    denominator = NumberField(
        _("denominator"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = ChildHistoricalRecords()

    panels = [
        FieldPanel("indicator"),
        FieldRowPanel(
            [
                FieldPanel("target"),
                FieldPanel("actual"),
                FieldPanel("numerator"),
                FieldPanel("denominator"),
            ]
        ),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("target and actual")
        verbose_name_plural = _("targets and actuals")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="outcome_line_one_per_indicator"
            )
        ]

    def __str__(self):
        return (
            f"{self.indicator.name}: {self.actual if self.actual is not None else '—'}"
        )

    def clean(self):
        if not self.indicator_id:
            return
        errors = {}
        negative = _("The value cannot be negative.")
        for name in ("target", "actual", "numerator", "denominator"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = negative
        if self.indicator.is_ratio:
            if (self.numerator is None) != (self.denominator is None):
                errors["denominator"] = _(
                    "A ratio needs both its numerator and its denominator."
                )
            elif self.denominator is not None and self.denominator <= 0:
                errors["denominator"] = _("The denominator must be more than 0.")
            elif (
                self.numerator is not None
                and self.denominator
                and self.numerator > self.denominator
            ):
                errors["numerator"] = _("The numerator exceeds the denominator.")
        elif self.numerator is not None or self.denominator is not None:
            errors["numerator"] = _(
                "Only ratio indicators take a numerator and denominator; "
                "enter the actual value."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.indicator.is_ratio:
            if self.numerator is not None and self.denominator:
                self.actual = (self.numerator * 100 / self.denominator).quantize(CENT)
            else:
                self.actual = None
        super().save(*args, **kwargs)

    @property
    def has_actual(self):
        return self.actual is not None or self.numerator is not None


class OutcomeEvidence(models.Model):
    """A photo or document backing an actual. Private unless marked public."""

    report = ParentalKey(
        OutcomeReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=[c for c in EvidenceKind.choices if c[0]],
        default=EvidenceKind.PHOTOS,
    )
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to="evidence/%Y/%m/",
        validators=[validate_upload],
    )
    is_public = models.BooleanField(
        _("may be shown publicly"),
        default=False,
        help_text=_(
            "Only files marked here appear on public pages, and only once the "
            "report is approved."
        ),
    )

    history = ChildHistoricalRecords()

    panels = [
        FieldRowPanel([FieldPanel("indicator"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("title"), FieldPanel("file")]),
        FieldPanel("is_public"),
    ]

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.title


def report_period_overlaps(report):
    """The other reports of `report`'s project whose months overlap its period
    (first day ≤ other's last day and last day ≥ other's first day), earliest
    first. Every status counts: a draft or returned report occupies its period
    until it is deleted."""
    start, end = period_bounds(report.period_type, report.year, report.number)
    others = OutcomeReport.objects.filter(
        project_id=report.project_id, start_date__lte=end, end_date__gte=start
    )
    if report.pk:
        others = others.exclude(pk=report.pk)
    return others.order_by("start_date", "pk")


def report_check_period(report, *, lock=False):
    """Refuse (ProjectsError on `number`) a report whose months another report of
    the same project already covers, whatever its status: an approved 2024 H1 of
    100 and, after a switch to quarters, an approved Q1 of 60 and Q2 of 40 would
    make the county roll-up 200 instead of 100. With `lock` the project row is
    locked first (select_for_update), so two writers cannot both pass; callers
    must be inside a transaction."""
    if not (report.project_id and report.period_type and report.year):
        return
    if report.number is None:
        return
    if lock:
        Project.objects.select_for_update().filter(pk=report.project_id).first()
    clash = report_period_overlaps(report).first()
    if clash is not None:
        raise ProjectsError(
            {
                "number": gettext(
                    "The period overlaps the existing report %(period)s "
                    "(%(status)s): no two reports of one project may cover the same "
                    "months. Delete that report if it is a draft to be replaced, or "
                    "report a period it does not cover."
                )
                % {"period": clash.period_label, "status": clash.get_status_display()}
            }
        )
