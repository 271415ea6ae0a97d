"""Funds, calls (申报批次) with their rubric, applications, reviews and funding lines.

State fields (`Application.status`, `Review.status`) are written only by the services
in `funding/services/`; the lifecycle table is `funding/lifecycle.py`.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)

from core.history import ChildHistoricalRecords
from funding.choices import (
    IDENTIFYING_FIELD_CHOICES,
    ApplicationStatus,
    FundSource,
    LineOutcome,
    Recommendation,
    ReviewStatus,
    ShortfallRule,
)
from incubator.choices import OrganizationType, RegistrationLevel

MONEY = {"max_digits": 14, "decimal_places": 2}
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


class CallForm(WagtailAdminModelForm):
    eligible_levels = forms.MultipleChoiceField(
        label=_("eligible registration levels"),
        choices=RegistrationLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_types = forms.MultipleChoiceField(
        label=_("eligible organization types"),
        choices=OrganizationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    identifying_fields = forms.MultipleChoiceField(
        label=_("fields hidden under blind review"),
        choices=IDENTIFYING_FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.rubric_locked:
            criteria = self.formsets.get("criteria")
            if criteria is not None and criteria.has_changed():
                raise ValidationError(
                    _(
                        "The rubric is locked: reviewers have started scoring on it. "
                        "No criterion can be added, removed or changed (name, weight, "
                        "maximum score), so that every review is totalled on the "
                        "criteria it was scored on. Nothing has been saved."
                    )
                )
        return cleaned


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


class ApplicationForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk and instance.status != ApplicationStatus.DRAFT:
            raise ValidationError(
                _(
                    "Only a draft can be edited: this application is “%(status)s”. "
                    "An application that failed the eligibility check can be "
                    "returned for correction from the call's desk."
                )
                % {"status": instance.get_status_display()}
            )
        return cleaned


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
    review_closed_at = models.DateTimeField(
        _("review closed at"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords()

    base_form_class = CallForm

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
            ],
            heading=_("Call"),
        ),
        MultiFieldPanel(
            [FieldPanel("eligible_levels"), FieldPanel("eligible_types")],
            heading=_("Eligibility"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("reviewers_per_application"),
                FieldPanel("blind_review"),
                FieldPanel("identifying_fields"),
                FieldPanel("normalise_scores"),
                FieldPanel("spread_threshold"),
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
        any score is stored for it (issue 13 item 12: a criterion deleted or
        re-weighted under a draft made the screen, the total and the export of the
        review disagree). From then on no criterion can be added, removed or
        changed; every score keeps a copy of its criterion (name, weight, maximum).
        """
        return (
            Review.objects.filter(
                application__call=self,
                status__in=[
                    ReviewStatus.DRAFT,
                    ReviewStatus.SUBMITTED,
                    ReviewStatus.EXCLUDED,
                ],
            ).exists()
            or Score.objects.filter(review__application__call=self).exists()
        )

    @property
    def review_closed(self):
        return self.review_closed_at is not None

    def is_open(self, on):
        return self.opens_on <= on <= self.closes_on


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


class ReviewerProfile(models.Model):
    """Where a reviewer works: used to detect conflicts of interest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("organization the reviewer works for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    work_unit = models.CharField(
        _("work unit"),
        max_length=200,
        blank=True,
        help_text=_(
            "A department that is the business supervisor of applicants is a conflict."
        ),
    )
    expertise = models.CharField(_("expertise"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    def __str__(self):
        return str(self.user.get_full_name() or self.user.get_username())


class DeclaredConflict(models.Model):
    """A conflict a reviewer declared with an organization in advance."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="declared_conflicts",
    )
    organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "organization"], name="declared_conflict_once"
            )
        ]

    def __str__(self):
        return f"{self.reviewer} ↔ {self.organization}"


class Application(ClusterableModel):
    """申报项目: an organization's application to a call."""

    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    requested_amount = models.DecimalField(
        _("requested amount (yuan)"), validators=[MinValueValidator(0)], **MONEY
    )
    target_region = models.ForeignKey(
        "core.Region",
        verbose_name=_("target region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    beneficiaries = models.CharField(_("beneficiaries"), max_length=255, blank=True)
    beneficiary_count = models.PositiveIntegerField(
        _("number of beneficiaries"), null=True, blank=True
    )
    linked_projects = models.CharField(
        _("linked rural-revitalization projects"),
        max_length=255,
        blank=True,
        help_text=_("Until the projects module links them, name them here."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        editable=False,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, editable=False)
    eligibility_failures = models.JSONField(
        _("eligibility failures"), default=list, blank=True, editable=False
    )
    decision_note = models.TextField(_("decision note"), blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, editable=False)
    approved_amount = models.DecimalField(
        _("approved amount (yuan)"), null=True, editable=False, **MONEY
    )

    history = HistoricalRecords()

    base_form_class = ApplicationForm

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("call"),
                FieldPanel("organization"),
                FieldPanel("title"),
                FieldPanel("summary"),
                FieldPanel("requested_amount"),
            ],
            heading=_("Application"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("target_region"),
                FieldRowPanel(
                    [FieldPanel("beneficiaries"), FieldPanel("beneficiary_count")]
                ),
                FieldPanel("linked_projects"),
            ],
            heading=_("Target"),
        ),
        InlinePanel("budget_lines", heading=_("Budget"), label=_("budget line")),
        InlinePanel("attachments", heading=_("Attachments"), label=_("attachment")),
    ]

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=0),
                name="application_approved_not_negative",
            )
        ]

    def __str__(self):
        return self.title

    def budget_total(self):
        total = self.budget_lines.aggregate(total=Sum("amount"))["total"]
        return Decimal(total or 0).quantize(Decimal("0.01"))

    @property
    def reference(self):
        """How blind reviewers see the application: no name, only a number."""
        return _("Application No. %(number)s") % {"number": f"{self.pk:05d}"}


class BudgetLine(models.Model):
    application = ParentalKey(
        Application, related_name="budget_lines", on_delete=models.CASCADE
    )
    item = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(
        _("amount (yuan)"), validators=[MinValueValidator(0)], **MONEY
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0, editable=False)

    history = ChildHistoricalRecords()

    panels = [FieldRowPanel([FieldPanel("item"), FieldPanel("amount")])]

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return f"{self.item} {self.amount}"


class Attachment(models.Model):
    application = ParentalKey(
        Application, related_name="attachments", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=200)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = ChildHistoricalRecords()

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("document")])]

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.title


class Review(models.Model):
    """One reviewer's assignment to one application, and their scores."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="funding_reviews",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.ASSIGNED,
        db_index=True,
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("overall comment"), blank=True)
    total = models.DecimalField(_("total (of 100)"), null=True, **SCORE)
    conflict_reason = models.CharField(_("conflict reason"), max_length=255, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True)
    excluded_at = models.DateTimeField(
        _("excluded at"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="review_one_per_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.application} · {self.reviewer}"

    @property
    def counts(self):
        """Whether the review takes part in the averages."""
        return self.status == ReviewStatus.SUBMITTED

    @property
    def is_locked(self):
        return self.status in (
            ReviewStatus.SUBMITTED,
            ReviewStatus.CONFLICT,
            ReviewStatus.WITHDRAWN,
            ReviewStatus.EXCLUDED,
        )


class ReviewerAccess(models.Model):
    """No table: only carries the reviewer's permission. It is not on Review so that
    a reviewer's permission never opens other reviewers' log entries (Wagtail shows
    the log of every content type a user has any permission on)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("score_review", _("Can score the reviews assigned to them"))]


class Score(models.Model):
    """A score for one criterion; keeps a copy of the criterion it was scored on."""

    review = models.ForeignKey(
        Review,
        verbose_name=_("review"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="scores",
    )
    criterion_name = models.CharField(_("criterion"), max_length=100)
    weight = models.DecimalField(_("weight"), **SCORE)
    max_score = models.DecimalField(_("maximum score"), **SCORE)
    score = models.DecimalField(_("score"), null=True, **SCORE)
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="score_one_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion_name}: {self.score}"


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
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
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
        Application,
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


# Issue 6: awards and government service purchases live in their own modules.
from funding.award_models import (  # noqa: E402, F401
    Award,
    AwardReport,
    Disbursement,
    Objection,
    PublicNotice,
    Tranche,
)
from funding.purchase_models import (  # noqa: E402, F401
    Deliverable,
    PaymentInstalment,
    PerformanceEvaluation,
    PurchasePayment,
    ServicePurchase,
)
