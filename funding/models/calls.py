"""Funds, calls (申报批次) with their rubric, and the funding lines drawn for a call.

State fields are written only by the services in `funding/services/`; the
application's transition table is `funding/lifecycle.py`.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import StreamField

from core.fields import user_fk
from core.history import ChildHistoricalRecords
from core.money import MONEY
from funding.blocks import ApplicationFormBlock
from funding.choices import FundSource, LineOutcome, ReviewStatus, ShortfallRule

#: Keyword arguments of every score column (points, two decimals).
SCORE = {"max_digits": 6, "decimal_places": 2}


class Fund(models.Model):
    """A fund or programme: 福彩公益金 (province/city/county), 公益创投, 中央财政 …"""

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=20, choices=FundSource.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(
        _("budget (yuan)"), validators=[MinValueValidator(0)], **MONEY
    )
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issuing_department = models.CharField(
        _("issuing department"),
        max_length=100,
        blank=True,
        help_text=_(
            "The department whose name heads the printed documents of this fund's "
            "calls (score sheets, ranking, public notice, award letters), e.g. "
            "湖南省民政厅."
        ),
    )
    document_prefix = models.CharField(
        _("document number prefix"),
        max_length=20,
        blank=True,
        help_text=_(
            "The issuing department's code in document numbers (机关代字), e.g. "
            "湘民福彩 gives 湘民福彩〔2026〕12号. Documents can be printed once it "
            "is set."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="fund_name_year")
        ]

    def __str__(self):
        return f"{self.year} {self.name}"


class RubricStatusPanel(HelpPanel):
    """Says whether the rubric can still be edited, for the call being edited."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            instance = self.instance
            if instance is not None and instance.pk and instance.rubric_locked:
                self.content = _(
                    "The rubric is locked: reviewers have started scoring on it "
                    "(a draft saved or a review submitted). Its criteria can no "
                    "longer be added, removed or changed."
                )
            else:
                self.content = _(
                    "The rubric can still be edited: no reviewer has started "
                    "scoring. It locks as soon as a reviewer saves a draft or "
                    "submits a review."
                )


class Call(ClusterableModel):
    """申报批次: one round of applications to a fund."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="calls"
    )
    name = models.CharField(_("name"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    total_budget = models.DecimalField(
        _("total budget (yuan)"), validators=[MinValueValidator(0)], **MONEY
    )
    max_per_award = models.DecimalField(
        _("maximum per award (yuan)"), validators=[MinValueValidator(0)], **MONEY
    )
    eligible_levels = models.JSONField(
        _("eligible registration levels"), default=list, blank=True
    )
    eligible_types = models.JSONField(
        _("eligible organization types"), default=list, blank=True
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3, validators=[MinValueValidator(1)]
    )
    blind_review = models.BooleanField(
        _("blind review"),
        default=True,
        help_text=_(
            "Reviewers do not see the applicant's name, credit code, contacts "
            "or the fields marked below."
        ),
    )
    identifying_fields = models.JSONField(
        _("fields hidden under blind review"), default=list, blank=True
    )
    normalise_scores = models.BooleanField(
        _("normalise scores per reviewer"),
        default=False,
        help_text=_(
            "Rank by z-scores per reviewer so that a harsh or lenient reviewer "
            "does not decide the ranking."
        ),
    )
    spread_threshold = models.DecimalField(
        _("spread flag threshold (points of 100)"),
        default=Decimal("20"),
        validators=[MinValueValidator(0)],
        **SCORE,
    )
    public_notice_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"), default=5
    )
    review_due_on = models.DateField(
        _("reviews due on"),
        null=True,
        blank=True,
        help_text=_(
            "The date by which reviewers submit their reviews: shown on their list "
            "and dashboard; reviews still open after it count as overdue."
        ),
    )
    review_closed_at = models.DateTimeField(
        _("review closed at"), null=True, blank=True, editable=False
    )
    application_form = StreamField(
        ApplicationFormBlock(),
        verbose_name=_("application form: the call's own questions"),
        blank=True,
        help_text=_(
            "Asked beyond the standard fields (title, amount, budget, target, "
            "attachments). Changing the form after applications were submitted "
            "makes a new version: submitted applications keep theirs."
        ),
    )
    applications_per_organization = models.PositiveSmallIntegerField(
        _("applications per organization"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    publish_feedback = models.BooleanField(
        _("show anonymous review feedback to applicants"),
        default=False,
        help_text=_(
            "Applicants then see reviewers' comments, without names or scores, "
            "once the review is closed."
        ),
    )

    history = HistoricalRecords()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("fund"),
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
                FieldRowPanel(
                    [FieldPanel("total_budget"), FieldPanel("max_per_award")]
                ),
                FieldPanel("public_notice_days"),
                FieldPanel("applications_per_organization"),
            ],
            heading=_("Call"),
        ),
        FieldPanel("application_form"),
        MultiFieldPanel(
            [FieldPanel("eligible_levels"), FieldPanel("eligible_types")],
            heading=_("Eligibility"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("reviewers_per_application"),
                FieldPanel("review_due_on"),
                FieldPanel("blind_review"),
                FieldPanel("identifying_fields"),
                FieldPanel("normalise_scores"),
                FieldPanel("spread_threshold"),
                FieldPanel("publish_feedback"),
            ],
            heading=_("Review"),
        ),
        RubricStatusPanel(heading=_("Rubric")),
        InlinePanel("criteria", heading=_("Rubric"), label=_("criterion"), min_num=1),
    ]

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_on", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = [_("The call cannot close before it opens.")]
        if (
            self.max_per_award is not None
            and self.total_budget is not None
            and self.max_per_award > self.total_budget
        ):
            errors["max_per_award"] = [
                _("The maximum per award cannot exceed the call's total budget.")
            ]
        if errors:
            raise ValidationError(errors)

    @property
    def rubric_locked(self):
        """Whether reviewing has started on the rubric, which then freezes.

        Started = a reviewer has saved a draft or submitted a review of this call, or
        any score is stored for it (a criterion deleted or re-weighted under a draft
        would make the screen, the total and the export of the review disagree). From then on no criterion can be added, removed or
        changed; every score keeps a copy of its criterion (name, weight, maximum).
        """
        applications = self.applications.all()
        return (
            applications.filter(
                reviews__status__in=[
                    ReviewStatus.DRAFT,
                    ReviewStatus.SUBMITTED,
                    ReviewStatus.EXCLUDED,
                ],
            ).exists()
            or applications.filter(reviews__scores__isnull=False).exists()
        )

    @property
    def review_closed(self):
        return self.review_closed_at is not None

    def is_open(self, on):
        return self.opens_on <= on <= self.closes_on


class CallFormVersion(models.Model):
    """One version of a call's own application form: the blocks as they were.

    `blocks` is the StreamField's raw JSON (a list of `{"type", "value", "id"}`);
    a version is never changed: a changed form is a new number
    (`funding.services.portal.call_form_version_current`)."""

    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="form_versions",
    )
    number = models.PositiveIntegerField(_("version"))
    blocks = models.JSONField(_("questions"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application form version")
        verbose_name_plural = _("application form versions")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "number"], name="call_form_version_number"
            )
        ]

    def __str__(self):
        return f"{self.call} · v{self.number}"


class Criterion(models.Model):
    """One weighted criterion of a call's rubric."""

    call = ParentalKey(Call, related_name="criteria", on_delete=models.CASCADE)
    name = models.CharField(_("criterion"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), validators=[MinValueValidator(Decimal("0.01"))], **SCORE
    )
    max_score = models.DecimalField(
        _("maximum score"), validators=[MinValueValidator(Decimal("1"))], **SCORE
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = ChildHistoricalRecords()

    panels = [
        FieldRowPanel(
            [FieldPanel("name"), FieldPanel("weight"), FieldPanel("max_score")]
        ),
        FieldPanel("description"),
    ]

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class FundingLine(models.Model):
    """A drawn funding line for a call: who drew it, how, and why."""

    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="funding_lines",
    )
    budget = models.DecimalField(_("budget (yuan)"), **MONEY)
    shortfall_rule = models.CharField(
        _("when the money left does not cover the next application"),
        max_length=10,
        choices=ShortfallRule.choices,
    )
    reason = models.TextField(_("reason for this choice"))
    total_awarded = models.DecimalField(_("total awarded (yuan)"), **MONEY)
    drawn_by = user_fk(_("drawn by"))
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["-drawn_at", "-pk"]
        get_latest_by = ["drawn_at", "pk"]

    def __str__(self):
        return f"{self.call} · {self.drawn_at:%Y-%m-%d %H:%M}"


class FundingLineEntry(models.Model):
    line = models.ForeignKey(
        FundingLine, on_delete=models.CASCADE, related_name="entries"
    )
    application = models.ForeignKey(
        "funding.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="line_entries",
    )
    rank = models.PositiveIntegerField(_("rank"))
    score = models.DecimalField(_("score"), **SCORE)
    requested_amount = models.DecimalField(_("requested amount (yuan)"), **MONEY)
    proposed_amount = models.DecimalField(_("proposed amount (yuan)"), **MONEY)
    outcome = models.CharField(_("outcome"), max_length=12, choices=LineOutcome.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("funding line entry")
        verbose_name_plural = _("funding line entries")
        ordering = ["line", "rank"]

    def __str__(self):
        return f"{self.rank}. {self.application}"
