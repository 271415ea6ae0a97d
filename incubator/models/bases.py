"""Incubation bases 孵化基地: who runs them, how many they hold, how they assess."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from core.history import ChildHistoricalRecords
from incubator.models.residencies import Residency

WEIGHT_TOTAL = 100


class BaseLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial")  # 省
    CITY = "city", _("City")  # 市
    COUNTY = "county", _("County / district")  # 县(区)
    STREET = "street", _("Street / town")  # 街道(镇)
    COMMUNITY = "community", _("Community")  # 社区


class CriterionKind(models.TextChoices):
    GOVERNANCE = "governance", _("Governance")  # 内部治理
    CAPACITY = "capacity", _("Capacity")  # 能力建设
    PROJECTS = "projects", pgettext_lazy("assessment criterion", "Projects")  # 项目运作
    FINANCE = "finance", _("Finance")  # 财务管理
    PARTY = "party", _("Party building")  # 党建工作
    IMPACT = "impact", _("Social impact")  # 社会影响


# The rubric a new base starts with: kind → weight (sums to 100).
DEFAULT_CRITERIA = [
    (CriterionKind.GOVERNANCE, 20),
    (CriterionKind.CAPACITY, 20),
    (CriterionKind.PROJECTS, 20),
    (CriterionKind.FINANCE, 15),
    (CriterionKind.PARTY, 10),
    (CriterionKind.IMPACT, 15),
]

# Milestones a new base starts with: title, days after entry.
DEFAULT_MILESTONES = [
    ("完成登记注册", 90),
    ("建立财务制度", 120),
    ("建立党组织", 180),
    ("获得首个资助项目", 270),
    ("参加等级评估", 360),
]


class IncubationBaseQuerySet(models.QuerySet):
    def with_occupancy(self):
        """Annotate `occupied` (residents taking a place), counted by the database."""
        return self.annotate(
            occupied=models.Count(
                "residencies",
                filter=models.Q(residencies__stage__in=Residency.OCCUPYING),
            )
        )


class IncubationBase(ClusterableModel):
    """孵化基地: government-commissioned, run by a third-party operator."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    level = models.CharField(
        _("level"), max_length=16, choices=BaseLevel.choices, db_index=True
    )
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="incubation_bases",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher-level base"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_(
            "The base one level up (Suzhou: city → district → street → community)."
        ),
    )
    operator = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("operating organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operated_bases",
        help_text=_("The third party commissioned to run the base."),
    )
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator users"),
        blank=True,
        related_name="operated_bases",
        help_text=_("The staff who may manage this base's residents."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        help_text=_("How many organizations may be in residence at once."),
    )
    funding_sources = models.CharField(
        _("funding sources"),
        max_length=255,
        blank=True,
        help_text=_("E.g. 福彩公益金, 财政预算, 公益创投."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    pass_mark = models.DecimalField(
        _("graduation pass mark"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Weighted score out of 100 an assessment needs to pass."),
    )

    history = HistoricalRecords()
    objects = IncubationBaseQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("level"), FieldPanel("region")]),
                FieldPanel("parent"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("opened_on")]),
                FieldPanel("address"),
                FieldPanel("funding_sources"),
            ],
            heading=_("Base"),
        ),
        MultiFieldPanel(
            [FieldPanel("operator"), FieldPanel("operators")],
            heading=_("Operation"),
        ),
        FieldPanel("pass_mark"),
        InlinePanel(
            "criteria",
            heading=_("Graduation rubric (weights sum to 100)"),
            label=_("criterion"),
        ),
        InlinePanel(
            "milestone_templates",
            heading=_("Milestone templates"),
            label=_("milestone template"),
        ),
    ]

    class Meta:
        verbose_name = _("incubation base")
        verbose_name_plural = _("incubation bases")
        ordering = ["level", "name"]
        permissions = [
            ("view_all_bases", _("Can see every base's residents and board")),
        ]

    def __str__(self):
        return self.name

    @property
    def occupancy(self):
        if "occupied" in self.__dict__:  # annotated by with_occupancy()
            return self.occupied
        return self.residencies.filter(stage__in=Residency.OCCUPYING).count()

    # The column heading wherever a listing shows it (Django's label_for_field).
    occupancy.fget.short_description = _("in residence")


def weights_check(weights):
    """Refuse a rubric whose weights do not add up to 100."""
    total = sum(int(w or 0) for w in weights)
    if total != WEIGHT_TOTAL:
        raise ValidationError(
            _("The criterion weights add up to %(total)s; they must add up to 100.")
            % {"total": total}
        )


class AssessmentCriterion(models.Model):
    """One weighted criterion of a base's graduation rubric."""

    base = ParentalKey(
        IncubationBase, related_name="criteria", on_delete=models.CASCADE
    )
    kind = models.CharField(
        _("criterion"), max_length=16, choices=CriterionKind.choices
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"),
        default=100,
        validators=[MinValueValidator(1)],
        help_text=_("Assessors score this criterion from 0 to this number."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = ChildHistoricalRecords()

    panels = [
        FieldRowPanel(
            [FieldPanel("kind"), FieldPanel("weight"), FieldPanel("max_score")]
        )
    ]

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["base", "kind"], name="criterion_once_per_base"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.weight})"


class MilestoneTemplate(models.Model):
    """A milestone every resident of the base gets on admission."""

    base = ParentalKey(
        IncubationBase, related_name="milestone_templates", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=100)
    due_after_days = models.PositiveSmallIntegerField(
        _("due (days after entry)"), default=90
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = ChildHistoricalRecords()

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("due_after_days")])]

    class Meta:
        verbose_name = _("milestone template")
        verbose_name_plural = _("milestone templates")
        ordering = ["sort_order", "due_after_days", "pk"]

    def __str__(self):
        return self.title
