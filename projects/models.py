"""Rural revitalization: pairings of organizations with key counties and villages,
alliances, projects with their funding, and outcome reports against indicators."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
)

from core.history import ChildHistoricalRecords
from core.models import Region
from core.storage import (  # noqa: F401 - named by migrations and tests
    _private_storage,
    private_storage,
)
from core.uploads import validate_upload
from projects.choices import (
    EDITABLE_STATUSES,
    Aggregation,
    EvidenceKind,
    FundingKind,
    PeriodType,
    ProjectCategory,
    ProjectStatus,
    ReportStatus,
)
from projects.periods import PERIODS_PER_YEAR, period_bounds, period_label
from projects.widgets import FundingSourcePanel, FundingSourceSelect  # noqa: I001

MONEY = {"max_digits": 14, "decimal_places": 2}
COUNTY = {"level": Region.Level.COUNTY}


class NumberField(models.DecimalField):
    """A decimal whose form refuses text like “N/A” with a clear message."""

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.error_messages["invalid"] = _(
            "Only numbers are accepted (e.g. 1200 or 0.5); text such as “N/A” is not."
        )
        return field


class Village(models.Model):
    """A village (行政村) under a county: villages are not in the division table."""

    county = models.ForeignKey(
        Region,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="villages",
        limit_choices_to=COUNTY,
    )
    town = models.CharField(_("town"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["county__code", "town", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "town", "name"], name="village_unique_in_county"
            )
        ]

    def __str__(self):
        return f"{self.county.name}{self.town}{self.name}"

    def clean(self):
        if self.county_id and self.county.level != Region.Level.COUNTY:
            raise ValidationError({"county": _("Choose a county-level division.")})


class Alliance(models.Model):
    """合力团: several organizations helping one county together."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    county = models.ForeignKey(
        Region,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="alliances",
        limit_choices_to=COUNTY,
    )
    lead_organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("lead organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    formed_on = models.DateField(_("formed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["county__code", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.county_id and self.county.level != Region.Level.COUNTY:
            raise ValidationError({"county": _("Choose a county-level division.")})


class PairingQuerySet(models.QuerySet):
    def with_provinces(self):
        return self.annotate(
            org_province=Substr("organization__region__code", 1, 2),
            county_province=Substr("county__code", 1, 2),
        )

    def cross_province(self, value=True):
        qs = self.with_provinces()
        same = Q(org_province=F("county_province"))
        return qs.exclude(same) if value else qs.filter(same)

    def for_user(self, user):
        """The pairings a user may see: all for those with full access, otherwise
        only the ones they coordinate."""
        if user_sees_all_pairings(user):
            return self
        return self.filter(coordinators=user)


def user_sees_all_pairings(user):
    return user.is_superuser or user.has_perm("projects.view_all_pairings")


class Pairing(models.Model):
    """结对帮扶: an organization helping a key county or one of its villages."""

    organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    county = models.ForeignKey(
        Region,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="pairings",
        limit_choices_to=COUNTY,
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings",
        help_text=_("Leave empty when the pairing is with the whole county."),
    )
    alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("alliance"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairings",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    agreement_number = models.CharField(
        _("agreement number"), max_length=64, blank=True
    )
    agreement = models.FileField(
        _("agreement"),
        storage=private_storage,
        upload_to="pairings/%Y/",
        blank=True,
        validators=[validate_upload],
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        blank=True,
        related_name="coordinated_pairings",
    )
    note = models.TextField(_("note"), blank=True)

    objects = PairingQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[coordinators])

    panels = [
        FieldRowPanel([FieldPanel("organization"), FieldPanel("county")]),
        FieldRowPanel([FieldPanel("village"), FieldPanel("alliance")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("agreement_number"), FieldPanel("agreement")]),
        FieldPanel("coordinators"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["county__code", "organization__name"]
        permissions = [
            ("view_all_pairings", _("Can see every pairing, not only coordinated ones"))
        ]

    def __str__(self):
        place = self.village or self.county
        return f"{self.organization} → {place}"

    @property
    def is_cross_province(self):
        return self.organization.region.code[:2] != self.county.code[:2]

    def clean(self):
        errors = {}
        if self.county_id and self.county.level != Region.Level.COUNTY:
            errors["county"] = _("Choose a county-level division.")
        if (
            self.village_id
            and self.county_id
            and self.village.county_id != (self.county_id)
        ):
            errors["village"] = _("The village is not in the chosen county.")
        if (
            self.alliance_id
            and self.county_id
            and self.alliance.county_id != (self.county_id)
        ):
            errors["alliance"] = _("The alliance helps another county.")
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if errors:
            raise ValidationError(errors)


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
    start_date = models.DateField(_("start date"))
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
        _("amount (yuan)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
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
        return f"{self.get_kind_display()} {self.fund_name} {self.amount}"

    def clean(self):
        from projects.services.funding import funding_link_check_source

        funding_link_check_source(self)

    def save(self, *args, **kwargs):
        # Whose money a project may use is checked on every write, not only in
        # forms that call clean() (issue 13, item 3).
        from projects.services.funding import funding_link_check_eligible

        funding_link_check_eligible(self)
        super().save(*args, **kwargs)


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
        from projects.services.indicators import indicator_check_fixed

        indicator_check_fixed(self)

    def save(self, *args, **kwargs):
        # aggregation rule and unit are fixed once approved figures use them
        # (issue 13 item 11), on every write
        from projects.services.indicators import indicator_check_fixed

        indicator_check_fixed(self)
        super().save(*args, **kwargs)

    @property
    def is_ratio(self):
        return self.aggregation == Aggregation.RATIO

    @property
    def requires_evidence(self):
        return bool(self.evidence_kind)


class OutcomeReportQuerySet(models.QuerySet):
    def for_user(self, user):
        if user_sees_all_pairings(user):
            return self
        return self.filter(project__pairing__coordinators=user)

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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or returned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
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

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    def clean(self):
        errors = {}
        if self.period_type and self.number:
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
        if self.year and not 2000 <= self.year <= 2100:
            errors["year"] = _("Enter a year such as 2024.")
        if errors:
            raise ValidationError(errors)
        from projects.services.reports import report_check_period

        report_check_period(self)

    def save(self, *args, **kwargs):
        from django.db import transaction

        from projects.services.reports import report_check_period

        if self.period_type and self.year and self.number:
            self.start_date, self.end_date = period_bounds(
                self.period_type, self.year, self.number
            )
        # No two reports of one project cover the same months, on every write
        # (issue 13 item 10); the project row is locked while checking.
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
                self.actual = (self.numerator * 100 / self.denominator).quantize(
                    Decimal("0.01")
                )
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
