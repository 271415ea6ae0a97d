"""Choices of the organization registry: types, levels, ratings, statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationType(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("Social group")  # 社会团体
    FOUNDATION = "foundation", _("Foundation")  # 基金会
    SOCIAL_SERVICE = "social_service", _("Social service agency")  # 社会服务机构
    COMMUNITY = "community", _("Community social organization")  # 社区社会组织


# The USCC's second character (机构类别) for organizations registered by civil affairs.
USCC_CATEGORY_BY_TYPE = {
    OrganizationType.SOCIAL_GROUP: "1",
    OrganizationType.SOCIAL_SERVICE: "2",
    OrganizationType.FOUNDATION: "3",
}


class RegistrationLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class PartyOrganization(models.TextChoices):
    NONE = "none", _("No party organization")
    INDEPENDENT = "independent", _("Independent party branch")
    JOINT = "joint", _("Joint party branch")
    FUNCTIONAL = "functional", _("Functional party branch")


class Rating(models.TextChoices):
    A1 = "1A", "1A"
    A2 = "2A", "2A"
    A3 = "3A", "3A"
    A4 = "4A", "4A"
    A5 = "5A", "5A"


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("Registered")
    DEREGISTERED = "deregistered", _("Deregistered")
    REVOKED = "revoked", _("Registration revoked")


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    BASICALLY_PASSED = "basically_passed", _("Basically passed")
    FAILED = "failed", _("Failed")
    NOT_INSPECTED = "not_inspected", _("Not inspected")


class CreditList(models.TextChoices):
    ABNORMAL = "abnormal", _("Abnormal activity list")  # 活动异常名录
    SERIOUS_DISHONESTY = "dishonest", _("Serious dishonesty list")  # 严重违法失信名单


class CreditStatus(models.TextChoices):
    """Derived from active credit-list entries; the worst one wins."""

    NORMAL = "normal", _("Good standing")
    ABNORMAL = CreditList.ABNORMAL.value, CreditList.ABNORMAL.label
    SERIOUS_DISHONESTY = (
        CreditList.SERIOUS_DISHONESTY.value,
        CreditList.SERIOUS_DISHONESTY.label,
    )
