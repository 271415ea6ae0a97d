"""The people of an organization who use the platform (社会组织用户)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import user_fk

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


#: How long an invitation link stays valid (days).
INVITATION_DAYS = 7


class OrganizationInvitation(models.Model):
    """An invitation by e-mail to become a user of one organization: the e-mail
    carries a one-time link (`/organizations/invitations/<token>/`); only the
    SHA-256 of the token is stored, so a leaked table opens nothing. Valid for
    `INVITATION_DAYS` days and for one use (`used_at`)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organization"),
    )
    email = models.EmailField(_("e-mail"))
    title = models.CharField(_("position"), max_length=40, blank=True)
    invited_by = user_fk(_("invited by"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organization} · {self.email}"

    def is_open(self, now=None):
        """Unused and not expired."""
        now = now or timezone.now()
        return self.used_at is None and self.expires_at > now


class AccountRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # 待审核
    APPROVED = "approved", _("Approved")  # 已批准
    REJECTED = "rejected", _("Rejected")  # 已驳回


class AccountRequest(models.Model):
    """A self-registration of an organization's person (/organizations/register/),
    waiting for a fund manager who checks the USCC and name against the registry
    (`incubator.selectors.portal.registry_match`). The desired password is kept
    hashed only; the account is created on approval, in `organization` (the
    registry's record the fund manager approved it for; `reason` says why when the
    request's name or code was not the registry's). `client_hash` is the
    SHA-256 of the sender's address (never the address): 5 requests a day each,
    each in its numbered `day_slot` of the `day`."""

    organization_name = models.CharField(_("organization name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    contact_name = models.CharField(_("contact person"), max_length=64)
    phone = models.CharField(_("contact phone"), max_length=32)
    email = models.EmailField(_("e-mail"))
    username = models.CharField(_("username"), max_length=150)
    password_hash = models.CharField(max_length=128, editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AccountRequestStatus.choices,
        default=AccountRequestStatus.PENDING,
        db_index=True,
    )
    # why rejected, or why approved although the request differs from the registry
    reason = models.TextField(_("reason"), blank=True)
    organization = models.ForeignKey(
        "incubator.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registry organization"),
    )
    decided_by = user_fk(_("decided by"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )
    client_hash = models.CharField(max_length=64, editable=False, db_index=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # the sender's n-th request of the (Asia/Shanghai) day: unique per sender and
    # day, so the daily limit holds when requests race (core.limits)
    day = models.DateField(null=True, editable=False)
    day_slot = models.PositiveSmallIntegerField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["password_hash"])

    class Meta:
        verbose_name = _("account request")
        verbose_name_plural = _("account requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client_hash", "day", "day_slot"],
                name="account_request_one_per_daily_slot",
            )
        ]

    def __str__(self):
        return f"{self.organization_name} · {self.contact_name}"
