"""Government service purchases (政府购买服务): contract, deliverables, payment
schedule, payments and the performance evaluation (绩效评价).

Rules: `funding/services/purchases.py`; roll-ups: `funding/selectors/purchases.py`.
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
from core.money import CENT, MONEY, yuan_display
from funding.models.awards import COMMITTED, DisbursementStatus


class ProcurementMethod(models.TextChoices):
    OPEN_TENDER = "open_tender", _("Open tender (公开招标)")
    INVITED_TENDER = "invited_tender", _("Invited tender (邀请招标)")
    NEGOTIATION = "negotiation", _("Competitive negotiation (竞争性谈判)")
    CONSULTATION = "consultation", _("Competitive consultation (竞争性磋商)")
    SINGLE_SOURCE = "single_source", _("Single source (单一来源)")
    INQUIRY = "inquiry", _("Request for quotations (询价)")
    FRAMEWORK = "framework", _("Framework agreement (框架协议)")
    OTHER = "other", _("Other method")


class ServiceCategory(models.TextChoices):
    """The first level of the guiding catalogue of government-purchased services."""

    BASIC_PUBLIC = "basic_public", _("Basic public services (基本公共服务)")
    SOCIAL_GOVERNANCE = (
        "social_governance",
        _("Social governance services (社会管理性服务)"),
    )
    INDUSTRY = "industry", _("Industry management and coordination (行业管理与协调)")
    TECHNICAL = "technical", _("Technical services (技术性服务)")
    AUXILIARY = "auxiliary", _("Auxiliary services for government (政府履职辅助性事项)")
    OTHER = "other", _("Other services")


class SupplierKind(models.TextChoices):
    SOCIAL_ORGANIZATION = "social_org", _("Social organization")
    ENTERPRISE = "enterprise", _("Enterprise")
    INSTITUTION = "institution", _("Public institution")
    OTHER = "other", _("Other supplier")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优)")
    GOOD = "good", _("Good (良)")
    FAIR = "fair", _("Fair (中)")
    POOR = "poor", _("Poor (差)")


class ServicePurchase(ClusterableModel):
    title = models.CharField(_("service"), max_length=200)
    purchasing_department = models.CharField(_("purchasing department"), max_length=200)
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_category = models.CharField(
        _("service category"), max_length=20, choices=ServiceCategory.choices
    )
    procurement_method = models.CharField(
        _("procurement method"), max_length=20, choices=ProcurementMethod.choices
    )
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    contract_amount = models.DecimalField(
        _("contract amount (yuan)"),
        validators=[MinValueValidator(CENT)],
        **MONEY,
    )
    signed_on = models.DateField(_("contract signed on"))
    starts_on = models.DateField(_("service starts on"))
    ends_on = models.DateField(_("service ends on"))
    supplier_kind = models.CharField(
        _("supplier type"),
        max_length=12,
        choices=SupplierKind.choices,
        default=SupplierKind.SOCIAL_ORGANIZATION,
    )
    supplier = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("supplier (registered social organization)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_purchases",
    )
    supplier_name = models.CharField(
        _("supplier name (other suppliers)"), max_length=200, blank=True
    )
    final_payment_needs_evaluation = models.BooleanField(
        _("final payment only after the performance evaluation"),
        default=True,
        help_text=_("As the contract says."),
    )

    history = HistoricalRecords()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldRowPanel(
                    [FieldPanel("purchasing_department"), FieldPanel("region")]
                ),
                FieldRowPanel(
                    [FieldPanel("service_category"), FieldPanel("procurement_method")]
                ),
            ],
            heading=_("Purchase"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("contract_number"), FieldPanel("contract_amount")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("signed_on"),
                        FieldPanel("starts_on"),
                        FieldPanel("ends_on"),
                    ]
                ),
                FieldPanel("supplier_kind"),
                FieldRowPanel([FieldPanel("supplier"), FieldPanel("supplier_name")]),
                FieldPanel("final_payment_needs_evaluation"),
            ],
            heading=_("Contract"),
        ),
        InlinePanel("deliverables", heading=_("Deliverables"), label=_("deliverable")),
        InlinePanel(
            "instalments",
            heading=_("Payment schedule (adds up to the contract amount)"),
            label=_("instalment"),
            min_num=1,
        ),
    ]

    class Meta:
        verbose_name = _("government service purchase")
        verbose_name_plural = _("government service purchases")
        ordering = ["-signed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_amount__gt=0), name="purchase_amount_positive"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def supplier_display(self):
        return self.supplier.name if self.supplier_id else self.supplier_name

    @property
    def year(self):
        return self.signed_on.year

    @property
    def supplier_uscc(self):
        """The registered supplier's credit code, or None (another supplier)."""
        return self.supplier.uscc if self.supplier_id else None

    def _evaluation(self):
        try:
            return self.evaluation
        except PerformanceEvaluation.DoesNotExist:
            return None

    @property
    def evaluation_score(self):
        """The performance evaluation's score (of 100), or None before one."""
        evaluation = self._evaluation()
        return evaluation.score if evaluation else None

    @property
    def evaluation_evaluator(self):
        """Who evaluated the service, or None before an evaluation."""
        evaluation = self._evaluation()
        return evaluation.evaluator if evaluation else None

    @property
    def evaluation_grade(self):
        """The evaluation's grade as shown (优, 良, 中, 差), or None."""
        evaluation = self._evaluation()
        return evaluation.get_grade_display() if evaluation else None

    @property
    def paid_total(self):
        """Paid payments only (yuan)."""
        total = self.payments.filter(status=DisbursementStatus.PAID).aggregate(
            total=Sum("amount")
        )["total"]
        return total or Decimal("0")

    @property
    def committed_total(self):
        """Recorded, approved and paid payments (yuan): the money held."""
        total = self.payments.filter(status__in=COMMITTED).aggregate(
            total=Sum("amount")
        )["total"]
        return total or Decimal("0")


class Deliverable(models.Model):
    purchase = ParentalKey(
        ServicePurchase, related_name="deliverables", on_delete=models.CASCADE
    )
    name = models.CharField(_("deliverable"), max_length=200)
    due_on = models.DateField(_("due on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    acceptance_note = models.CharField(_("acceptance note"), max_length=200, blank=True)

    history = ChildHistoricalRecords()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("due_on")]),
        FieldRowPanel([FieldPanel("accepted_on"), FieldPanel("acceptance_note")]),
    ]

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["purchase", "due_on", "pk"]

    def __str__(self):
        return self.name


class PaymentInstalment(models.Model):
    """One instalment of a purchase's payment schedule, paid in the order of
    `sort_order` (the position entered in the schedule)."""

    sort_order_field = "sort_order"

    purchase = ParentalKey(
        ServicePurchase, related_name="instalments", on_delete=models.CASCADE
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0, editable=False)
    label = models.CharField(_("instalment"), max_length=100)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), validators=[MinValueValidator(CENT)], **MONEY
    )
    is_final = models.BooleanField(_("final payment"), default=False)

    history = ChildHistoricalRecords()

    panels = [
        FieldRowPanel(
            [
                FieldPanel("label"),
                FieldPanel("due_on"),
                FieldPanel("amount"),
                FieldPanel("is_final"),
            ]
        )
    ]

    class Meta:
        verbose_name = _("payment instalment")
        verbose_name_plural = _("payment schedule")
        ordering = ["purchase", "sort_order", "pk"]

    def __str__(self):
        return f"{self.purchase} · {self.label}"

    @property
    def paid_total(self):
        """Paid payments only (yuan)."""
        total = self.payments.filter(status=DisbursementStatus.PAID).aggregate(
            total=Sum("amount")
        )["total"]
        return total or Decimal("0")

    @property
    def committed_total(self):
        """Recorded, approved and paid payments (yuan): the money held."""
        total = self.payments.filter(status__in=COMMITTED).aggregate(
            total=Sum("amount")
        )["total"]
        return total or Decimal("0")


class PurchasePayment(models.Model):
    """A payment against an instalment of a purchase: recorded, approved by a fund
    manager, then paid by finance — three different people (DESIGN.md, separation
    of duties; the rule is `funding.permissions.payment_duty_refusal`). Only paid
    payments count as paid; recorded and approved ones hold the money."""

    purchase = models.ForeignKey(
        ServicePurchase,
        verbose_name=_("government service purchase"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    instalment = models.ForeignKey(
        PaymentInstalment,
        verbose_name=_("instalment"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.RECORDED,
        db_index=True,
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = user_fk(_("recorded by"), editable=False)
    approved_by = user_fk(_("approved by (fund manager)"), editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, editable=False)
    paid_by = user_fk(_("paid by (finance)"), editable=False)
    voucher_number = models.CharField(
        _("voucher number"), max_length=40, blank=True, editable=False
    )
    voucher_year = models.PositiveSmallIntegerField(
        _("voucher year"), null=True, editable=False
    )
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=255, blank=True, editable=False
    )
    rejected_by = user_fk(_("rejected by"), editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purchase payment")
        verbose_name_plural = _("purchase payments")
        ordering = ["-paid_on", "-pk"]
        permissions = [
            ("approve_purchasepayment", _("Can approve purchase payments")),
            ("pay_purchasepayment", _("Can pay purchase payments (finance)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="purchase_payment_positive"
            ),
            # 凭证号 unique per year (funding.services.payments, across both kinds)
            models.UniqueConstraint(
                fields=["voucher_year", "voucher_number"],
                condition=~Q(voucher_number=""),
                name="purchase_payment_voucher_unique_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.instalment} · {yuan_display(self.amount)}"


class PerformanceEvaluation(models.Model):
    """绩效评价 of a purchase: a score of 100 and its grade by bands."""

    purchase = models.OneToOneField(
        ServicePurchase,
        verbose_name=_("government service purchase"),
        on_delete=models.PROTECT,
        related_name="evaluation",
    )
    evaluated_on = models.DateField(_("evaluated on"))
    evaluator = models.CharField(
        _("evaluator"), max_length=200, help_text=_("E.g. the third-party agency.")
    )
    score = models.DecimalField(
        _("score (of 100)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    grade = models.CharField(
        _("grade"), max_length=10, choices=Grade.choices, editable=False
    )
    comment = models.TextField(_("comment"), blank=True)
    # set when the score is the total of an evaluation by indicators, which then
    # feeds this record (and so the payment gate) when it is concluded
    indicator_evaluation = models.OneToOneField(
        "funding.IndicatorEvaluation",
        verbose_name=_("indicator evaluation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="result",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("performance evaluation")
        verbose_name_plural = _("performance evaluations")
        ordering = ["-evaluated_on", "-pk"]

    def __str__(self):
        return f"{self.purchase} · {self.score} ({self.get_grade_display()})"
