"""Choices of the organization registry: types, levels, ratings, statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganizationType(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("Social group")  # 社会团体
    FOUNDATION = "foundation", _("Foundation")  # 基金会
    SOCIAL_SERVICE = "social_service", _("Social service agency")  # 社会服务机构
    COMMUNITY = "community", _("Community social organization")  # 社区社会组织


# 社会服务机构 were called 民办非企业单位 (民非) until the Charity Law of 2016;
# registries and spreadsheets still use both names. 社团 is short for 社会团体.
ORGANIZATION_TYPE_ALIASES = {
    "民办非企业单位": OrganizationType.SOCIAL_SERVICE,
    "民非": OrganizationType.SOCIAL_SERVICE,
    "民办非企业": OrganizationType.SOCIAL_SERVICE,
    "社团": OrganizationType.SOCIAL_GROUP,
}

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


# How officers write the choices in their spreadsheets, besides the labels (read by
# the imports through `core.spreadsheets.choice_parser(choices, aliases)`).
REGISTRATION_LEVEL_ALIASES = {
    "国家级": RegistrationLevel.NATIONAL,
    "全国性": RegistrationLevel.NATIONAL,
    "省": RegistrationLevel.PROVINCE,
    "省级": RegistrationLevel.PROVINCE,
    "市": RegistrationLevel.CITY,
    "市级": RegistrationLevel.CITY,
    "地市级": RegistrationLevel.CITY,
    "州": RegistrationLevel.CITY,
    "县": RegistrationLevel.COUNTY,
    "县级": RegistrationLevel.COUNTY,
    "区县级": RegistrationLevel.COUNTY,
    "县区级": RegistrationLevel.COUNTY,
    "区": RegistrationLevel.COUNTY,
}


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


# 评估等级 as written: AAAAA, 5A级, 5A等级 (and the same for 4A … 1A).
RATING_ALIASES = {
    alias: rating
    for rating in Rating
    for alias in (
        "A" * int(rating.value[0]),
        f"{rating.value}级",
        f"{'A' * int(rating.value[0])}级",
        f"{rating.value}等级",
    )
}


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("Registered")
    DEREGISTERED = "deregistered", _("Deregistered")
    REVOKED = "revoked", _("Registration revoked")


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    BASICALLY_PASSED = "basically_passed", _("Basically passed")
    FAILED = "failed", pgettext_lazy("inspection result", "Failed")  # 不合格
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


class CampaignStatus(models.TextChoices):
    """An annual-inspection campaign: open while reports come in, then closed."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class DormantStatus(models.TextChoices):
    """A dormant organization's case in a clean-up campaign (僵尸型社会组织清理):
    listed → 约谈 → 整改 → 整改完成, or 注销 / 撤销登记. The allowed moves are
    `incubator.lifecycle.DORMANT_TRANSITIONS`."""

    FOUND = "found", _("Listed")  # 列入清理
    INTERVIEWED = "interviewed", _("Interviewed")  # 已约谈
    RECTIFYING = "rectifying", _("Rectifying")  # 整改中
    RECTIFIED = "rectified", _("Rectified")  # 整改完成
    DEREGISTERED = "deregistered", _("Deregistered")  # 注销
    REVOKED = "revoked", _("Registration revoked")  # 撤销登记


#: The cases a clean-up has dealt with (已处置); the others are in progress.
DORMANT_DONE = (
    DormantStatus.RECTIFIED,
    DormantStatus.DEREGISTERED,
    DormantStatus.REVOKED,
)


class SpotCheckResult(models.TextChoices):
    """The outcome of one spot check (双随机抽查结果)."""

    PENDING = "pending", _("Not yet checked")  # 待检查
    PASSED = "passed", _("Passed")  # 合格
    RECTIFY = "rectify", _("Rectify within a time limit")  # 限期整改
    FAILED = "failed", _("Failed")  # 不合格
    NOT_FOUND = "not_found", _("Not found at the registered address")  # 未发现


class SpotCheckCampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Not drawn yet")
    DRAWN = "drawn", _("Drawn")


class CreditDecisionType(models.TextChoices):
    """Administrative decisions published on the credit platform (双公示)."""

    ABNORMAL_IN = "abnormal_in", _("Listed as abnormal")  # 列入活动异常名录
    ABNORMAL_OUT = "abnormal_out", _("Removed from the abnormal list")
    DISHONEST_IN = "dishonest_in", _("Listed as seriously dishonest")
    DISHONEST_OUT = "dishonest_out", _("Removed from the dishonesty list")
    WARNING = "warning", _("Warning")  # 警告
    FINE = "fine", _("Fine")  # 罚款
    SUSPENSION = "suspension", _("Suspension of activities")  # 责令停止活动
    REVOCATION = "revocation", _("Revocation of registration")  # 撤销登记
