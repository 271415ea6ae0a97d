"""Choices of rural revitalization: categories, statuses, periods, rules, sources."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectCategory(models.TextChoices):
    INDUSTRY = "industry", _("Industry (产业)")
    CONSUMPTION = "consumption", _("Consumption assistance (消费帮扶)")
    EMPLOYMENT = "employment", _("Employment (就业)")
    EDUCATION = "education", _("Education (教育)")
    MEDICAL = "medical", _("Medical care (医疗)")
    CABIN_BABY = "cabin_baby", _("Baby cabin (宝贝小屋)")
    CABIN_READING = "cabin_reading", _("Reading cabin (阅读小屋)")
    CABIN_LIVESTREAM = "cabin_livestream", _("Livestream cabin (直播小屋)")
    CABIN_DOCTOR = "cabin_doctor", _("Doctor cabin (医生小屋)")
    OTHER = "other", _("Other")


CABIN_CATEGORIES = (
    ProjectCategory.CABIN_BABY,
    ProjectCategory.CABIN_READING,
    ProjectCategory.CABIN_LIVESTREAM,
    ProjectCategory.CABIN_DOCTOR,
)


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", pgettext_lazy("project status", "Completed")
    TERMINATED = "terminated", _("Terminated")


class PeriodType(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half", _("Half-year")
    YEAR = "year", _("Year")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Summed per period")
    CUMULATIVE = "cumulative", _("Cumulative (latest value counts)")
    RATIO = "ratio", _("Ratio (numerator and denominator summed)")


class EvidenceKind(models.TextChoices):
    NONE = "", _("No evidence required")
    PHOTOS = "photos", _("Photos")
    RECEIPTS = "receipts", _("Sales receipts")
    DOCUMENTS = "documents", _("Documents")
    SIGN_IN = "sign_in", _("Sign-in sheets")


class FundingKind(models.TextChoices):
    SELF_RAISED = "self_raised", _("Self-raised (自筹)")
    GRANT_AWARD = "grant_award", _("Grant award (福彩公益金等)")
    PURCHASE = "purchase", _("Government service purchase (政府购买服务)")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", pgettext_lazy("outcome report", "Approved")


EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class TotalBucket(models.TextChoices):
    """Which reports a stored outcome total adds up: the approved ones (official
    figures) or the others — drafts, submitted and returned (pending figures)."""

    OFFICIAL = "official", _("Official (approved reports)")
    PENDING = "pending", _("Pending (reports not yet approved)")
