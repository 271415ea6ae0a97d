"""The choices of the funding app: fund sources, statuses, recommendations and the
funding-line rules and outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundSource(models.TextChoices):
    LOTTERY_PROVINCE = "lottery_province", _("Lottery public-welfare fund (province)")
    LOTTERY_CITY = "lottery_city", _("Lottery public-welfare fund (city)")
    LOTTERY_COUNTY = "lottery_county", _("Lottery public-welfare fund (county)")
    VENTURE = "venture", _("Venture philanthropy")
    CENTRAL = "central", _("Central government finance")
    SERVICE_PURCHASE = "service_purchase", _("Government service purchase")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    # Staff asked the organization for more information: it edits and resubmits.
    MORE_INFO = "more_info", _("More information requested")
    ELIGIBLE = "eligible", _("Eligibility checked")
    INELIGIBLE = "ineligible", _("Failed eligibility check")
    IN_REVIEW = "in_review", _("In review")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # Later states: their services belong to the awards module.
    IN_PUBLIC_NOTICE = "public_notice", _("In public notice")
    AWARDED = "awarded", _("Awarded")
    IN_PROGRESS = "in_progress", _("In progress")
    MIDTERM_CHECKED = "midterm_checked", _("Mid-term checked")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    DRAFT = "draft", _("Draft saved")
    SUBMITTED = "submitted", _("Submitted")
    CONFLICT = "conflict", _("Conflict declared")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # Submitted, then a conflict of interest was recorded: kept with its scores and
    # the reason, but out of every average, the ranking and the funding line.
    EXCLUDED = "excluded", _("Excluded: conflict of interest")


# Reviews the reviewer still has to submit (to do, on their list and inbox).
PENDING_REVIEW = (ReviewStatus.ASSIGNED, ReviewStatus.DRAFT)


class Recommendation(models.TextChoices):
    FUND = "fund", _("Fund")
    FUND_REDUCED = "fund_reduced", _("Fund with a reduced amount")
    REJECT = "reject", _("Do not fund")


class ShortfallRule(models.TextChoices):
    """What the funding line does when the money left cannot cover the next one."""

    REDUCE = "reduce", _("Offer the next application the money left (reduced award)")
    SKIP = "skip", _("Skip to the next application that fits")


class LineOutcome(models.TextChoices):
    FUNDED = "funded", _("Funded in full")
    REDUCED = "reduced", _("Funded with a reduced amount")
    SKIPPED = "skipped", _("Skipped: the money left does not cover it")
    BELOW_LINE = "below_line", _("Below the funding line")


# Fields of an application a call may mark as identifying (hidden under blind review).
IDENTIFYING_FIELD_CHOICES = [
    ("title", _("Project title")),
    ("summary", _("Summary")),
    ("target_region", _("Target region")),
    ("beneficiaries", _("Beneficiaries")),
]
