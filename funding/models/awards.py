"""Awards (立项 to 结项): public notice, objections, agreement, tranche schedule,
disbursements and the award's reports.

The award's stage is its application's status (`funding/lifecycle.py`); the rules
that change anything here are in `funding/services/` (`notices`, `awards`,
`tranches`, `disbursements`).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from core.fields import user_fk
from core.history import ChildHistoricalRecords
from core.money import MONEY, yuan_display
from core.workdays import calendar_gap_note


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open (holds the award)")
    UPHELD = "upheld", _("Upheld (award refused)")
    DISMISSED = "dismissed", _("Dismissed")


class TrancheCondition(models.TextChoices):
    SIGNING = "signing", _("Agreement signed")
    MIDTERM_REPORT = "midterm", _("Mid-term report approved")
    FINAL_REPORT = "final", _("Final report approved (acceptance)")
    PROJECT_OUTCOMES = (
        "outcomes",
        _("Approved outcome figures of the linked revitalization project"),
    )


class ReportKind(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term report")
    FINAL = "final", _("Final report")


class ReportStatus(models.TextChoices):
    """Where a mid-term or final report stands (moves: `funding.lifecycle.
    REPORT_TRANSITIONS`)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class DisbursementStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded, awaiting the fund manager")
    APPROVED = "approved", _("Approved by the fund manager, awaiting finance")
    PAID = "paid", _("Paid (approved by finance)")
    REJECTED = "rejected", _("Rejected")


# Disbursements that hold money of a tranche (only a rejection frees it).
COMMITTED = (
    DisbursementStatus.RECORDED,
    DisbursementStatus.APPROVED,
    DisbursementStatus.PAID,
)


class PublicNotice(models.Model):
    """公示: the approved applications of a call, published for objections."""

    call = models.ForeignKey(
        "funding.Call",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("notice starts on"))
    working_days = models.PositiveSmallIntegerField(
        _("notice period (working days)"),
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    ends_on = models.DateField(_("notice ends on"), editable=False)
    objection_contact = models.CharField(
        _("objection contact"),
        max_length=255,
        help_text=_("Who receives objections, and how (telephone, address, e-mail)."),
    )
    published_by = user_fk(_("published by"), editable=False)
    closed_on = models.DateField(_("closed on"), null=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def calendar_note(self):
        """The warning, in the user's language, that the period runs into a year
        whose official holidays the platform does not know yet and was counted with
        weekends only; "" otherwise (core/workdays.py)."""
        return calendar_gap_note(self.starts_on, self.working_days)


class Award(ClusterableModel):
    """立项: an approved application after its public notice, with its agreement and
    tranche schedule."""

    application = models.OneToOneField(
        "funding.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="award",
        editable=False,
    )
    notice = models.ForeignKey(
        PublicNotice,
        verbose_name=_("public notice"),
        on_delete=models.PROTECT,
        related_name="awards",
        null=True,
        editable=False,
        help_text=_("None only for a past award recorded by import."),
    )
    imported = models.BooleanField(
        _("recorded by import"),
        default=False,
        editable=False,
        help_text=_(
            "A past award recorded from a spreadsheet with its real dates; it went "
            "through no review or public notice on the platform."
        ),
    )
    approved_amount = models.DecimalField(
        _("approved amount (yuan)"), editable=False, **MONEY
    )
    awarded_on = models.DateField(_("awarded on"), null=True, editable=False)
    agreement_number = models.CharField(
        _("agreement number"), max_length=60, blank=True
    )
    agreement_signed_on = models.DateField(
        _("agreement signed on"), null=True, blank=True
    )
    agreement_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("award agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    midterm_due_on = models.DateField(
        _("mid-term report due on"),
        null=True,
        blank=True,
        help_text=_("The organization is reminded 14 days before."),
    )
    final_due_on = models.DateField(
        _("final report due on"),
        null=True,
        blank=True,
        help_text=_("The organization is reminded 14 days before."),
    )
    completed_on = models.DateField(_("completed on"), null=True, editable=False)
    terminated_on = models.DateField(_("terminated on"), null=True, editable=False)
    termination_reason = models.TextField(
        _("termination reason"), blank=True, editable=False
    )
    paid_at_termination = models.DecimalField(
        _("paid at termination (yuan)"), null=True, editable=False, **MONEY
    )

    history = HistoricalRecords()

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("agreement_number"), FieldPanel("agreement_signed_on")]
                ),
                FieldPanel("agreement_document"),
            ],
            heading=_("Agreement"),
        ),
        FieldRowPanel(
            [FieldPanel("midterm_due_on"), FieldPanel("final_due_on")],
            heading=_("Report due dates"),
        ),
        InlinePanel(
            "tranches",
            heading=_("Tranche schedule (percentages add up to 100)"),
            label=_("tranche"),
            min_num=1,
        ),
    ]

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["notice", "application__organization__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_amount__gt=0), name="award_amount_positive"
            ),
            # Only a recorded past award has no public notice on the platform.
            models.CheckConstraint(
                condition=Q(notice__isnull=False) | Q(imported=True),
                name="award_notice_unless_imported",
            ),
        ]

    def __str__(self):
        return f"{self.application.organization} · {self.application.title}"

    @property
    def status(self):
        return self.application.status

    def get_status_display(self):
        return self.application.get_status_display()

    @property
    def fund(self):
        return self.application.call.fund

    def _disbursed(self, statuses):
        total = Disbursement.objects.filter(
            tranche__award=self, status__in=statuses
        ).aggregate(total=Sum("amount"))["total"]
        return total or Decimal("0")

    @property
    def paid_total(self):
        return self._disbursed([DisbursementStatus.PAID])

    @property
    def committed_total(self):
        return self._disbursed(COMMITTED)

    @property
    def last_paid_on(self):
        """The date of the latest paid disbursement, or None."""
        return (
            Disbursement.objects.filter(
                tranche__award=self, status=DisbursementStatus.PAID
            )
            .order_by("-paid_on")
            .values_list("paid_on", flat=True)
            .first()
        )


class Objection(models.Model):
    """An objection received during the public notice: holds the award until the
    fund manager resolves it."""

    award = models.ForeignKey(
        Award,
        verbose_name=_("award"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    received_on = models.DateField(_("received on"))
    objector = models.CharField(_("objector"), max_length=200)
    contact = models.CharField(
        _("objector's contact"),
        max_length=100,
        blank=True,
        help_text=_("For the fund manager only: never shown on public pages."),
    )
    content = models.TextField(_("objection"))
    submitted_online = models.BooleanField(
        _("sent through the public notice page"), default=False, editable=False
    )
    # The public form's limits (`funding.services.public_objections`): a keyed hash
    # of the sender's address, never the address, and the form's one-time token.
    client_hash = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    form_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # the sender's n-th objection of the day: unique per sender and day, so the
    # daily limit holds when two forms are sent at once (core.limits)
    day_slot = models.PositiveSmallIntegerField(null=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.OPEN,
    )
    resolution_note = models.TextField(_("resolution"), blank=True)
    resolved_by = user_fk(_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["award", "received_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client_hash", "received_on", "day_slot"],
                name="objection_one_per_daily_slot",
            )
        ]

    def __str__(self):
        return f"{self.award} · {self.objector}"


class Tranche(models.Model):
    """One instalment of an award: a share of the approved amount and the condition
    that must be met before it is released.

    Tranches keep the order they were entered in: `sort_order`
    is the position (0, 1, 2 …) the schedule form gives each row, and the tranche's
    number 第n期 is that position + 1, never derived from the percentage or the
    condition. `sort_order_field` makes the admin's tranche rows orderable, so a
    row added while editing lands where it was entered."""

    sort_order_field = "sort_order"

    award = ParentalKey(
        Award,
        verbose_name=_("award"),
        related_name="tranches",
        on_delete=models.CASCADE,
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0, editable=False)
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
    )
    amount = models.DecimalField(
        _("amount (yuan)"), default=Decimal("0"), editable=False, **MONEY
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=TrancheCondition.choices
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = ChildHistoricalRecords()

    panels = [
        FieldRowPanel(
            [FieldPanel("percentage"), FieldPanel("condition"), FieldPanel("note")]
        )
    ]

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["award", "sort_order", "pk"]

    def __str__(self):
        return _("Tranche %(number)s (%(percentage)s%%)") % {
            "number": self.number,
            "percentage": format(self.percentage.normalize(), "f")
            if self.percentage
            else "",
        }

    @property
    def number(self):
        return self.sort_order + 1

    def _disbursed(self, statuses):
        total = self.disbursements.filter(status__in=statuses).aggregate(
            total=Sum("amount")
        )["total"]
        return total or Decimal("0")

    @property
    def paid_total(self):
        return self._disbursed([DisbursementStatus.PAID])

    @property
    def committed_total(self):
        return self._disbursed(COMMITTED)


class AwardReport(models.Model):
    """A mid-term or final report of an awarded project: recorded by the fund
    manager, or drafted and submitted by the organization through its portal; the
    fund manager approves it or returns it with a reason (moves:
    `funding.lifecycle.REPORT_TRANSITIONS`, services in `funding.services.awards`
    and `funding.services.award_portal`)."""

    award = models.ForeignKey(
        Award,
        verbose_name=_("award"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.SUBMITTED,
    )
    from_organization = models.BooleanField(
        _("submitted by the organization"),
        default=False,
        help_text=_("Drafted and submitted by the organization through its portal."),
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = user_fk(_("submitted by"))
    summary = models.TextField(_("summary"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    returned_by = user_fk(_("returned by"))
    returned_on = models.DateField(_("returned on"), null=True)
    approved_by = user_fk(_("approved by"))
    approved_on = models.DateField(_("approved on"), null=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award report")
        verbose_name_plural = _("award reports")
        ordering = ["award", "submitted_on", "pk"]

    def __str__(self):
        return f"{self.award} · {self.get_kind_display()}"


class Disbursement(models.Model):
    """拨付: a payment against a tranche, approved by the fund manager and then by
    finance (two different people)."""

    tranche = models.ForeignKey(
        Tranche,
        verbose_name=_("tranche"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.RECORDED,
        db_index=True,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = user_fk(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    approved_by = user_fk(_("approved by (fund manager)"))
    approved_at = models.DateTimeField(_("approved at"), null=True)
    paid_by = user_fk(_("paid by (finance)"))
    paid_on = models.DateField(_("paid on"), null=True)
    voucher_number = models.CharField(
        _("voucher number"), max_length=40, blank=True, editable=False
    )
    voucher_year = models.PositiveSmallIntegerField(
        _("voucher year"), null=True, editable=False
    )
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=255, blank=True
    )
    rejected_by = user_fk(_("rejected by"), editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-recorded_at", "-pk"]
        permissions = [
            ("approve_disbursement", _("Can approve disbursements (fund manager)")),
            ("pay_disbursement", _("Can approve and pay disbursements (finance)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="disbursement_amount_positive"
            ),
            # 凭证号 unique per year (funding.services.payments, across both kinds)
            models.UniqueConstraint(
                fields=["voucher_year", "voucher_number"],
                condition=~Q(voucher_number=""),
                name="disbursement_voucher_unique_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.tranche.award} · {self.tranche} · {yuan_display(self.amount)}"

    @property
    def award(self):
        return self.tranche.award
