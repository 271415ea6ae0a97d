"""Service activities of a base: trainings 培训, salons 沙龙, seminars 研讨会,
consultations 咨询, and which residents took part."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")  # 培训
    SALON = "salon", _("Salon")  # 沙龙
    SEMINAR = "seminar", _("Seminar")  # 研讨会
    CONSULTATION = "consultation", _("Consultation")  # 咨询


class ServiceActivity(models.Model):
    base = models.ForeignKey(
        "incubator.IncubationBase",
        verbose_name=_("incubation base"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=ActivityKind.choices, db_index=True
    )
    held_on = models.DateField(_("date"), db_index=True)
    topic = models.CharField(_("topic"), max_length=200)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    speaker = models.CharField(_("speaker / host"), max_length=100, blank=True)
    participants = models.ManyToManyField(
        "incubator.Residency",
        verbose_name=_("participating residents"),
        blank=True,
        related_name="activities",
    )

    history = HistoricalRecords(m2m_fields=[participants])

    panels = [
        FieldRowPanel([FieldPanel("base"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("held_on"), FieldPanel("hours")]),
        FieldPanel("topic"),
        FieldPanel("speaker"),
        FieldPanel("participants"),
    ]

    class Meta:
        verbose_name = _("service activity")
        verbose_name_plural = _("service activities")
        ordering = ["-held_on", "pk"]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()}: {self.topic}"

    def participant_count(self):
        if "participants_counted" in self.__dict__:  # annotated by the listing
            return self.participants_counted
        return self.participants.count()

    participant_count.short_description = _("participants")
