"""Applications (申报项目) to a call, with their budget lines and attachments.

`Application.status` is written only through `funding.services.applications`
(`application_move`), by the table in `funding/lifecycle.py`.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
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
from funding.choices import ApplicationStatus
from funding.models.calls import Call, CallFormVersion


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
    decided_by = user_fk(_("decided by"), editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, editable=False)
    approved_amount = models.DecimalField(
        _("approved amount (yuan)"), null=True, editable=False, **MONEY
    )
    # Written online by the organization (社会组织用户): the version of the call's
    # form it answered, its answers keyed by block id, and what staff asked.
    submitted_online = models.BooleanField(
        _("submitted online by the organization"), default=False, editable=False
    )
    form_version = models.ForeignKey(
        CallFormVersion,
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="applications",
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True, editable=False)
    info_request = models.TextField(
        _("information requested"), blank=True, editable=False
    )

    history = HistoricalRecords()

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
            ),
            # a double click or a second tab continues the draft, never makes two
            # (funding.services.portal.application_save)
            models.UniqueConstraint(
                fields=["call", "organization"],
                condition=Q(status=ApplicationStatus.DRAFT),
                name="application_one_draft_per_call_organization",
                violation_error_message=_(
                    "This organization already has a draft application to this "
                    "call: continue that draft."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def budget_total(self):
        total = self.budget_lines.aggregate(total=Sum("amount"))["total"]
        return Decimal(total or 0).quantize(CENT)

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
        return f"{self.item} {yuan_display(self.amount)}"


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


class ApplicationSubmission(models.Model):
    """One submission of an application by its organization, as it was sent.

    `snapshot` holds the standard fields, budget lines, attachments and the answers
    (`funding.services.portal.application_snapshot` gives its shape), so staff see
    what changed between two submissions (`funding.selectors.portal.submission_diff`)
    whatever is edited later."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    number = models.PositiveIntegerField(_("submission"))
    form_version = models.ForeignKey(
        CallFormVersion,
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    snapshot = models.JSONField(_("as submitted"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = user_fk(_("submitted by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application submission")
        verbose_name_plural = _("application submissions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="application_submission_number"
            )
        ]

    def __str__(self):
        return f"{self.application} #{self.number}"
