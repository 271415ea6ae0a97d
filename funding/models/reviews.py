"""Reviews and scores, the reviewers' profiles and their declared conflicts.

`Review.status` is written only by `funding.services.assignment` and
`funding.services.reviews`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import user_fk
from core.people import display_name
from funding.choices import Recommendation, ReviewStatus
from funding.models.applications import Application
from funding.models.calls import SCORE, Criterion


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
        return display_name(self.user)


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
    assigned_by = user_fk(_("assigned by"))
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
