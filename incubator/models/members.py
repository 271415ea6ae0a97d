"""The people of an organization who use the platform (社会组织用户)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .organizations import Organization


class OrganizationMembership(models.Model):
    """Links one user to exactly one Organization (an organization may have several:
    a project lead, a finance contact). The user reaches that organization's records
    and no other (`incubator.permissions.organization_of`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_membership",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organization"),
    )
    title = models.CharField(_("position"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization user")
        verbose_name_plural = _("organization users")
        ordering = ["organization", "created_at"]

    def __str__(self):
        return f"{self.organization} · {self.user}"
