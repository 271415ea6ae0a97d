"""The organization registry: Organization and what is recorded about it per year."""

import datetime
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from core.history import ChildHistoricalRecords
from incubator.choices import (
    CreditList,
    CreditStatus,
    InspectionResult,
    OrganizationType,
    PartyOrganization,
    Rating,
    RegistrationLevel,
    RegistrationStatus,
)
from incubator.uscc import uscc_validate

RATING_VALID_YEARS = 5

# Fields that identify a person: never shown on public pages or to blind reviewers.
PERSONAL_FIELDS = (
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def bank_details_errors(organization):
    """{field: [message]} for the organization's bank details, normalising the
    account in place (full-width digits as ASCII, Unicode NFKC; spaces and hyphens
    dropped). Rules: the account is 8 to 30 ASCII digits (digits of another
    script, which `str.isdigit` accepts, are refused) (a mainland bank card has 16–19, a corporate settlement account up to
    about 25); the bank and the account come together or not at all."""
    errors = {}
    account = unicodedata.normalize("NFKC", organization.bank_account or "")
    account = "".join(account.replace("-", "").split())
    organization.bank_account = account
    organization.bank_name = (organization.bank_name or "").strip()
    if account and not (
        account.isascii() and account.isdigit() and 8 <= len(account) <= 30
    ):
        errors["bank_account"] = [
            _("The account number is 8 to 30 digits (spaces are ignored).")
        ]
    if account and not organization.bank_name:
        errors["bank_name"] = [_("Give the bank where the account is held.")]
    if organization.bank_name and not account:
        errors["bank_account"] = [_("Give the account number at this bank.")]
    return errors


class ServiceField(models.Model):
    """服务领域: 养老, 助残, 儿童, 教育, 医疗, 乡村振兴, 环保, 社区治理 …"""

    name = models.CharField(_("name"), max_length=32, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service field")
        verbose_name_plural = _("service fields")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class OrganizationQuerySet(models.QuerySet):
    def with_credit_status(self, on=None):
        on = on or timezone.localdate()
        active = CreditEntry.objects.filter(organization=OuterRef("pk")).active(on)
        return self.annotate(
            on_dishonesty_list=Exists(
                active.filter(list_type=CreditList.SERIOUS_DISHONESTY)
            ),
            on_abnormal_list=Exists(active.filter(list_type=CreditList.ABNORMAL)),
        )

    def credit_status(self, status, on=None):
        qs = self.with_credit_status(on)
        if status == CreditStatus.SERIOUS_DISHONESTY:
            return qs.filter(on_dishonesty_list=True)
        if status == CreditStatus.ABNORMAL:
            return qs.filter(on_abnormal_list=True, on_dishonesty_list=False)
        return qs.filter(on_abnormal_list=False, on_dishonesty_list=False)


class Organization(ClusterableModel):
    """社会组织 registered (or, for community organizations, filed) with civil affairs."""

    name = models.CharField(_("name"), max_length=200, db_index=True)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "18 characters (GB 32100-2015). Required unless the organization is a filed community organization."
        ),
    )
    filing_number = models.CharField(
        _("filing number"),
        max_length=64,
        blank=True,
        help_text=_(
            "备案号, for community social organizations that are filed, not registered."
        ),
    )
    org_type = models.CharField(
        _("type"), max_length=20, choices=OrganizationType.choices, db_index=True
    )
    registration_level = models.CharField(
        _("registration level"),
        max_length=10,
        choices=RegistrationLevel.choices,
        db_index=True,
    )
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    registration_status = models.CharField(
        _("registration status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.ACTIVE,
    )
    business_supervisor = models.CharField(
        _("business supervisor"),
        max_length=200,
        blank=True,
        help_text=_("业务主管单位; leave empty for direct registration."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    service_fields = ParentalManyToManyField(
        ServiceField,
        verbose_name=_("service fields"),
        blank=True,
        related_name="organizations",
    )
    party_organization = models.CharField(
        _("party organization"),
        max_length=16,
        choices=PartyOrganization.choices,
        default=PartyOrganization.NONE,
    )
    rating = models.CharField(
        _("rating"), max_length=2, choices=Rating.choices, blank=True, db_index=True
    )
    rated_on = models.DateField(_("rated on"), null=True, blank=True)
    rating_valid_until = models.DateField(
        _("rating valid until"),
        null=True,
        blank=True,
        help_text=_(
            "Ratings last five years; filled from the rating date when left empty."
        ),
    )
    # Personal data (PERSONAL_FIELDS): never public.
    legal_representative = models.CharField(
        _("legal representative"), max_length=64, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    # Bank details of payments to the organization (awards, purchases): shown
    # masked (`funding.selectors.payments.mask_account`) except to finance paying.
    bank_name = models.CharField(
        _("bank of the account"),
        max_length=100,
        blank=True,
        help_text=_("The bank and branch, e.g. 中国工商银行益阳分行."),
    )
    bank_account = models.CharField(
        _("account number"),
        max_length=40,
        blank=True,
        help_text=_("8 to 30 digits; spaces are ignored."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[service_fields])
    objects = OrganizationQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("uscc"), FieldPanel("filing_number")]),
                FieldRowPanel(
                    [FieldPanel("org_type"), FieldPanel("registration_level")]
                ),
                FieldRowPanel(
                    [FieldPanel("region"), FieldPanel("registration_status")]
                ),
                FieldRowPanel(
                    [FieldPanel("business_supervisor"), FieldPanel("founded_on")]
                ),
            ],
            heading=_("Registration"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("service_fields", widget=forms.CheckboxSelectMultiple),
                FieldPanel("party_organization"),
                FieldRowPanel(
                    [
                        FieldPanel("rating"),
                        FieldPanel("rated_on"),
                        FieldPanel("rating_valid_until"),
                    ]
                ),
            ],
            heading=_("Work and standing"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("legal_representative"),
                FieldRowPanel(
                    [
                        FieldPanel("contact_name"),
                        FieldPanel("contact_phone"),
                        FieldPanel("contact_email"),
                    ]
                ),
            ],
            heading=_("Contacts (personal data, never public)"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("bank_name"), FieldPanel("bank_account")])],
            heading=_("Bank account for payments (never public)"),
        ),
        InlinePanel(
            "inspections", heading=_("Annual inspections"), label=_("annual inspection")
        ),
        InlinePanel(
            "credit_entries", heading=_("Credit lists"), label=_("credit-list entry")
        ),
    ]

    class Meta:
        verbose_name = _("social organization")
        verbose_name_plural = _("social organizations")
        indexes = [
            # PostgreSQL: an organization's region read from the index alone (the
            # headline's cross-province pairings join a million-row registry:
            # 0.5 s by the table, 0.15 s by this index). SQLite: a plain index.
            models.Index(
                fields=["id"], include=["region"], name="organization_id_region"
            ),
        ]
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(uscc=""), name="organization_uscc_null_not_empty"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.uscc == "":
            self.uscc = None
        if self.uscc:
            try:
                self.uscc = uscc_validate(self.uscc, self.org_type)
            except ValidationError as exc:
                errors["uscc"] = exc.messages
        elif not (self.org_type == OrganizationType.COMMUNITY and self.filing_number):
            errors["uscc"] = [
                _(
                    "The unified social credit code is required, except for a filed community organization with a filing number."
                )
            ]
        if self.founded_on and self.founded_on > timezone.localdate():
            errors["founded_on"] = [_("The founding date cannot be in the future.")]
        if self.rating and not self.rated_on and not self.rating_valid_until:
            errors["rated_on"] = [_("Give the date of the rating.")]
        if self.rated_on and not self.rating:
            errors["rating"] = [_("Give the rating that was awarded on this date.")]
        if self.rated_on and self.rated_on > timezone.localdate():
            errors["rated_on"] = [_("The rating date cannot be in the future.")]
        elif self.rated_on and not self.rating_valid_until:
            self.rating_valid_until = rating_expiry(self.rated_on)
        if (
            self.rated_on
            and self.rating_valid_until
            and self.rating_valid_until <= self.rated_on
        ):
            errors["rating_valid_until"] = [
                _("The rating must be valid after the day it was given.")
            ]
        errors.update(bank_details_errors(self))
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.uscc == "":
            self.uscc = None
        if self.rated_on and not self.rating_valid_until:
            self.rating_valid_until = rating_expiry(self.rated_on)
        super().save(*args, **kwargs)

    @property
    def current_rating(self):
        """The rating if it is still valid today, else ''."""
        if self.rating and (
            not self.rating_valid_until
            or self.rating_valid_until >= timezone.localdate()
        ):
            return self.rating
        return ""

    def credit_status(self, on=None):
        on = on or timezone.localdate()
        lists = {e.list_type for e in self.credit_entries.all() if e.is_active(on)}
        if CreditList.SERIOUS_DISHONESTY in lists:
            return CreditStatus.SERIOUS_DISHONESTY
        if CreditList.ABNORMAL in lists:
            return CreditStatus.ABNORMAL
        return CreditStatus.NORMAL

    def get_credit_status_display(self):
        return CreditStatus(self.credit_status()).label

    get_credit_status_display.short_description = _("credit status")

    def service_fields_display(self):
        return "、".join(f.name for f in self.service_fields.all())

    service_fields_display.short_description = _("service fields")


def rating_expiry(rated_on):
    """The last day a rating given on ``rated_on`` (a date) is valid: five years
    less a day (《社会组织评估管理办法》: 评估等级有效期为5年).
    A rating of 29 February ends on 28 February; a date so late that the sum
    leaves the calendar (year 9999) gives ``datetime.date.max``."""
    if rated_on.year + RATING_VALID_YEARS > datetime.MAXYEAR:
        return datetime.date.max
    try:
        return rated_on.replace(
            year=rated_on.year + RATING_VALID_YEARS
        ) - datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return rated_on.replace(year=rated_on.year + RATING_VALID_YEARS, day=28)


class AnnualInspection(models.Model):
    """年检 result of one organization for one year."""

    organization = ParentalKey(
        Organization, related_name="inspections", on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(_("year"))
    result = models.CharField(
        _("result"), max_length=20, choices=InspectionResult.choices
    )

    history = ChildHistoricalRecords()

    panels = [FieldRowPanel([FieldPanel("year"), FieldPanel("result")])]

    class Meta:
        verbose_name = _("annual inspection")
        verbose_name_plural = _("annual inspections")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="inspection_one_per_year"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.get_result_display()}"

    def clean(self):
        if self.year and not 1949 <= self.year <= timezone.localdate().year:
            raise ValidationError(
                {"year": _("Give a year between 1949 and this year.")}
            )


class CreditEntryQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(date_out__isnull=True) | Q(date_out__gt=on), date_in__lte=on
        )


class CreditEntry(models.Model):
    """An entry on 活动异常名录 or 严重违法失信名单, with the dates it was in force."""

    organization = ParentalKey(
        Organization, related_name="credit_entries", on_delete=models.CASCADE
    )
    list_type = models.CharField(_("list"), max_length=16, choices=CreditList.choices)
    reason = models.CharField(_("reason"), max_length=255)
    date_in = models.DateField(_("listed on"))
    date_out = models.DateField(_("removed on"), null=True, blank=True)

    history = ChildHistoricalRecords()
    objects = CreditEntryQuerySet.as_manager()

    panels = [
        FieldRowPanel(
            [FieldPanel("list_type"), FieldPanel("date_in"), FieldPanel("date_out")]
        ),
        FieldPanel("reason"),
    ]

    class Meta:
        verbose_name = _("credit-list entry")
        verbose_name_plural = _("credit-list entries")
        ordering = ["-date_in"]

    def __str__(self):
        return f"{self.get_list_type_display()} {self.date_in}"

    def clean(self):
        if self.date_in and self.date_out and self.date_out < self.date_in:
            raise ValidationError(
                {"date_out": _("The removal date cannot be before the listing date.")}
            )

    def is_active(self, on=None):
        on = on or timezone.localdate()
        return self.date_in <= on and (self.date_out is None or self.date_out > on)
