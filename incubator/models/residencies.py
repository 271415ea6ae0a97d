"""Residencies 入驻记录: one organization's stay at one base, its stage moves and
milestones. The stage machine itself (which moves are allowed) is `TRANSITIONS` in
`incubator/lifecycle.py`, applied by `incubator/services/residencies.py`; nothing
else sets `Residency.stage`."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from core.fields import user_fk
from core.history import ChildHistoricalRecords


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")  # 申请
    ENTERED = "entered", _("Entered")  # 入驻
    INCUBATING = "incubating", _("Incubating")  # 孵化
    ASSESSING = "assessing", _("Assessing")  # 评估
    GRADUATED = "graduated", _("Graduated")  # 出壳
    WITHDRAWN = "withdrawn", pgettext_lazy("residency stage", "Withdrawn")  # 退出
    TERMINATED = "terminated", _("Terminated")  # 终止


class ResidencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(stage__in=Residency.ACTIVE)


class Residency(ClusterableModel):
    """One organization's stay at one incubation base."""

    # Stages in which the residency is still open (one per organization).
    ACTIVE = (Stage.APPLIED, Stage.ENTERED, Stage.INCUBATING, Stage.ASSESSING)
    # Stages in which the resident takes a place at the base (counts to capacity).
    OCCUPYING = (Stage.ENTERED, Stage.INCUBATING, Stage.ASSESSING)
    CLOSED = (Stage.GRADUATED, Stage.WITHDRAWN, Stage.TERMINATED)

    organization = models.ForeignKey(
        "incubator.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="residencies",
    )
    base = models.ForeignKey(
        "incubator.IncubationBase",
        verbose_name=_("incubation base"),
        on_delete=models.PROTECT,
        related_name="residencies",
    )
    stage = models.CharField(
        _("stage"),
        max_length=16,
        choices=Stage.choices,
        default=Stage.APPLIED,
        editable=False,
        db_index=True,
    )
    applied_on = models.DateField(_("applied on"), default=timezone.localdate)
    planned_entry_on = models.DateField(_("planned entry"), null=True, blank=True)
    planned_graduation_on = models.DateField(
        _("planned graduation"), null=True, blank=True
    )
    entered_on = models.DateField(_("entered on"), null=True, editable=False)
    graduated_on = models.DateField(_("graduated on"), null=True, editable=False)
    closed_on = models.DateField(_("left on"), null=True, editable=False)
    exit_reason = models.CharField(
        _("reason for leaving"), max_length=255, blank=True, editable=False
    )
    mentors = models.CharField(
        _("mentors"),
        max_length=255,
        blank=True,
        help_text=_("导师; separate several names with 、"),
    )
    workspace = models.CharField(_("workspace"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    stage_changed_on = models.DateField(
        _("in this stage since"), default=timezone.localdate, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = ResidencyQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("organization"), FieldPanel("base")]),
                FieldRowPanel(
                    [
                        FieldPanel("applied_on"),
                        FieldPanel("planned_entry_on"),
                        FieldPanel("planned_graduation_on"),
                    ]
                ),
                FieldRowPanel([FieldPanel("mentors"), FieldPanel("workspace")]),
                FieldPanel("notes"),
            ],
            heading=_("Residency"),
        ),
        InlinePanel("milestones", heading=_("Milestones"), label=_("milestone")),
    ]

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        ordering = ["base", "-applied_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(
                    stage__in=["applied", "entered", "incubating", "assessing"]
                ),
                name="residency_one_active_per_organization",
                violation_error_message=_(
                    "This organization already has an active residency."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organization} @ {self.base}"

    @property
    def is_active(self):
        return self.stage in self.ACTIVE

    def clean(self):
        errors = {}
        if (
            self.planned_entry_on
            and self.planned_graduation_on
            and self.planned_graduation_on <= self.planned_entry_on
        ):
            errors["planned_graduation_on"] = [
                _("The planned graduation must come after the planned entry.")
            ]
        if (
            self.applied_on
            and self.planned_entry_on
            and self.planned_entry_on < self.applied_on
        ):
            errors["planned_entry_on"] = [
                _("The planned entry cannot be before the application.")
            ]
        if errors:
            raise ValidationError(errors)

    def days_in_stage(self, today=None):
        today = today or timezone.localdate()
        return (today - self.stage_changed_on).days

    def days_in_stage_display(self):
        return self.days_in_stage()

    days_in_stage_display.short_description = _("days in stage")

    def milestone_progress(self):
        """Share of milestones done, 0–100 (None without milestones)."""
        milestones = list(self.milestones.all())
        if not milestones:
            return None
        done = sum(1 for m in milestones if m.done_on)
        return round(done * 100 / len(milestones))

    def milestone_progress_display(self):
        progress = self.milestone_progress()
        return "—" if progress is None else f"{progress}%"

    milestone_progress_display.short_description = _("milestone progress")


class StageTransition(models.Model):
    """One move of a residency from one stage to another: who, when, why."""

    residency = models.ForeignKey(
        Residency,
        verbose_name=_("residency"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_stage = models.CharField(
        _("from"), max_length=16, choices=Stage.choices, blank=True
    )
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    moved_on = models.DateField(_("date"))
    user = user_fk(_("by"), blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage move")
        verbose_name_plural = _("stage moves")
        ordering = ["moved_on", "created_at", "pk"]

    def __str__(self):
        start = self.get_from_stage_display() or "—"
        return f"{start} → {self.get_to_stage_display()}"


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(done_on__isnull=True, due_on__lt=today)


class Milestone(models.Model):
    """A milestone of one residency (registration done, finance system set up …)."""

    residency = ParentalKey(
        Residency, related_name="milestones", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=100)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = ChildHistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    panels = [
        FieldRowPanel(
            [FieldPanel("title"), FieldPanel("due_on"), FieldPanel("done_on")]
        ),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "sort_order", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.done_on and self.done_on > timezone.localdate():
            raise ValidationError(
                {"done_on": _("The done date cannot be in the future.")}
            )

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.done_on is None and self.due_on < today


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", _("Waiting for confirmation")  # 待确认
    CONFIRMED = "confirmed", _("Confirmed")  # 已确认
    RETURNED = "returned", _("Returned")  # 已退回


class MilestoneClaim(models.Model):
    """An organization's word that a milestone is done (申请确认), with its note,
    for the base operator to confirm (the milestone gets its done date) or
    return with a reason. The moves are `MILESTONE_TRANSITIONS` in
    `incubator/lifecycle.py`, applied by `incubator/services/milestones.py`."""

    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        related_name="claims",
        verbose_name=_("milestone"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ClaimStatus.choices,
        default=ClaimStatus.CLAIMED,
        db_index=True,
    )
    done_on = models.DateField(_("done on"))
    note = models.TextField(_("note"))
    claimed_by = user_fk(_("claimed by"))
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    decided_by = user_fk(_("decided by"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone claim")
        verbose_name_plural = _("milestone claims")
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"],
                condition=Q(status="claimed"),
                name="milestone_claim_one_open",
                violation_error_message=_(
                    "This milestone already waits for confirmation."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.milestone} · {self.get_status_display()}"
