"""Core models: administrative divisions (`Region`), spreadsheet import jobs and
notifications (`Notification`, `NotificationPreference`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import user_fk
from core.storage import private_storage


class Region(models.Model):
    """A GB/T 2260 administrative division (province, prefecture or county level)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        CITY = 2, _("Prefecture")
        COUNTY = 3, _("County")

    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_key_county = models.BooleanField(
        _("key county for rural revitalization"),
        default=False,
    )

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        ordering = ["code"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        """The names of this region and its ancestors, top down: "湖南省长沙市"."""
        names = []
        region = self
        while region is not None:
            names.append(region.name)
            region = region.parent if region.parent_id else None
        return self.join_names(reversed(names))

    @staticmethod
    def join_names(names_top_down):
        """A full name from a region's names top down, a None (above the top)
        skipped: ("湖南省", "长沙市") -> "湖南省长沙市". `full_name` and the
        values-only region filters both write names with it."""
        return "".join(name for name in names_top_down if name)

    @property
    def province_code(self):
        return self.code[:2] + "0000"


class ImportJob(models.Model):
    """One spreadsheet import: its file, progress and outcome (errors per row)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Validating")
        AWAITING = "awaiting", _("Validated, awaiting confirmation")
        WRITING = "writing", _("Writing")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=64)
    # Private (legal representatives' phones …): outside MEDIA_ROOT.
    file = models.FileField(
        _("file"), upload_to="imports/%Y/%m/", storage=private_storage
    )
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("records written"), default=0)
    updated_count = models.PositiveIntegerField(_("records updated"), default=0)
    # What the file will do (core.imports.ImportPlan.preview): new, changed with
    # each column's old → new, unchanged, notices. Shown for confirmation.
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    preview_outdated = models.BooleanField(
        _("preview outdated"),
        default=False,
        help_text=_(
            "The stored records changed between the preview and its confirmation."
        ),
    )
    confirmed_by = user_fk(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The first IMPORT_MAX_STORED_ERRORS errors only; error_count counts them all.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors found"), default=0)
    created_by = user_fk(_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The worker running the job touches this while it is alive (see
    # core.imports.import_job_run); a job whose worker went silent is interrupted.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    interrupted = models.BooleanField(
        _("interrupted"),
        default=False,
        help_text=_("The worker stopped during the import; nothing was written."),
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    RUNNING = (Status.VALIDATING, Status.WRITING)

    @property
    def is_awaiting_confirmation(self):
        return self.status == self.Status.AWAITING

    @property
    def is_settled(self):
        """Finished, or waiting for an officer: nothing more happens by itself
        (the progress screen stops polling)."""
        return self.is_finished or self.is_awaiting_confirmation

    @property
    def failure_message(self):
        """Why a job failed as a whole (not because of its rows), in the reader's
        language."""
        if self.interrupted:
            return _(
                "Import interrupted: the background worker stopped unexpectedly. "
                "Nothing was written; please import the file again."
            )
        return ""

    @property
    def total_errors(self):
        """How many errors the file had: all of them, while `errors` holds only the
        first IMPORT_MAX_STORED_ERRORS (jobs stored before the count existed have
        all their errors stored)."""
        return max(self.error_count, len(self.errors))

    @property
    def errors_truncated(self):
        return self.total_errors > len(self.errors)

    @property
    def percent(self):
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total_rows:
            return 0
        return int(self.processed_rows * 100 / self.total_rows)


class NotificationKind(models.TextChoices):
    """What a notification tells (`core.notifications.notify`); each user may turn
    each kind off, in the admin and by e-mail (`NotificationPreference`)."""

    REVIEW_ASSIGNED = "review_assigned", _("Review assigned to me")
    REVIEW_DEADLINE = "review_deadline", _("Review deadline near")
    REPORT_DECIDED = "report_decided", _("Outcome report approved or returned")
    PAYMENT_WAITING = "payment_waiting", _("Payment waiting for me")
    OBJECTION_RECEIVED = "objection_received", _("Objection received")
    PAGE_SUBMITTED = "page_submitted", _("Page submitted for moderation")
    PAGE_DECIDED = "page_decided", _("Page approved or returned")
    IMPORT_FINISHED = "import_finished", _("Import finished")
    # Staff: what organizations send through the portal.
    ACCOUNT_REQUESTED = "account_requested", _("Organization account requested")
    APPLICATION_SUBMITTED = "application_submitted", _("Application submitted online")
    AWARD_REPORT_SUBMITTED = "award_report_submitted", _("Award report submitted")
    MILESTONE_CLAIMED = "milestone_claimed", _("Milestone marked done")
    # Organization users (社会组织用户): what happens to their own records.
    APPLICATION_RECEIVED = "application_received", _("Application received")
    MORE_INFO_REQUESTED = "more_info_requested", _("More information requested")
    APPLICATION_DECIDED = "application_decided", _("Application decided")
    AWARD_MADE = "award_made", _("Award made")
    TRANCHE_PAID = "tranche_paid", _("Tranche paid")
    REPORT_DUE = "report_due", _("Report due in 14 days")
    REPORT_RETURNED = "report_returned", _("Report returned")
    MILESTONE_DECIDED = "milestone_decided", _("Milestone confirmed or returned")
    # Registration officers (登记管理机关).
    SUPERVISION_DUE = "supervision_due", _("Supervision work due")


class Notification(models.Model):
    """One thing a user is told: shown in the admin list (newest first, unread in
    bold) when `in_admin`, e-mailed by the worker when the user wants e-mail.

    `key`, when set, makes the notification happen once per recipient (a reminder
    per review and deadline); `in_admin` is False for a row kept only for that."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=255)
    link = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("key"), max_length=128, blank=True)
    in_admin = models.BooleanField(_("shown in the admin"), default=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="core_notification_once_per_key",
            )
        ]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """A user's choice for one kind: in the admin and/or by e-mail. No row means
    both on (the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    email = models.BooleanField(_("by e-mail"), default=True)
    in_admin = models.BooleanField(_("in the admin"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="core_notification_preference_once"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"
