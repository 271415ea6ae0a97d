"""Importing spot-check results (问题, 整改要求, 结果) from Excel/CSV.

Each row names a drawn campaign (by name) and an organization it drew (by its
统一社会信用代码); the row updates that check through `spotcheck_result_record`,
the same rule as the screen. A row for an organization the campaign did not draw
is refused: a file never adds to a draw.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import BaseImporter, register
from core.spreadsheets import Column, choice_parser, parse_date, uscc_column
from incubator.choices import SpotCheckResult
from incubator.models import SpotCheck, SpotCheckCampaign
from incubator.services.spotchecks import (
    spotcheck_result_errors,
    spotcheck_result_record,
)

RESULT_ALIASES = {
    "合格": SpotCheckResult.PASSED,
    "限期整改": SpotCheckResult.RECTIFY,
    "责令整改": SpotCheckResult.RECTIFY,
    "不合格": SpotCheckResult.FAILED,
    "未发现": SpotCheckResult.NOT_FOUND,
    "查无下落": SpotCheckResult.NOT_FOUND,
    "待检查": SpotCheckResult.PENDING,
}

SPOTCHECK_RESULT_COLUMNS = [
    Column(
        "campaign",
        gettext_lazy("spot-check campaign"),
        required=True,
        aliases=("抽查活动", "抽查批次"),
        export="campaign.name",
    ),
    Column(
        "organization",
        gettext_lazy("organization"),
        aliases=("名称", "社会组织名称"),
        export="organization.name",
        read_only=True,
    ),
    uscc_column(export="organization.uscc", required=True),
    Column(
        "result",
        gettext_lazy("result"),
        required=True,
        parse=choice_parser(SpotCheckResult.choices, RESULT_ALIASES),
        aliases=("结果", "检查结果"),
        export="get_result_display",
    ),
    Column(
        "checked_on",
        gettext_lazy("checked on"),
        parse=parse_date,
        aliases=("检查日期",),
    ),
    Column("problems", gettext_lazy("problems found"), aliases=("问题", "存在问题")),
    Column(
        "rectification",
        gettext_lazy("rectification required"),
        aliases=("整改要求",),
    ),
    Column(
        "rectify_by",
        gettext_lazy("rectify by"),
        parse=parse_date,
        aliases=("整改期限",),
    ),
]

FIELDS = ("result", "checked_on", "problems", "rectification", "rectify_by")


@register
class SpotCheckResultImporter(BaseImporter):
    """Results of drawn checks; the key is (campaign name, USCC). Records are the
    keyword arguments of `spotcheck_result_record`."""

    kind = "spotcheck_results"
    label = gettext_lazy("Import spot-check results")
    columns = SPOTCHECK_RESULT_COLUMNS
    permissions_required = ("incubator.change_spotcheck",)
    model = SpotCheckCampaign
    index_url_name = "wagtailsnippets_incubator_spotcheckcampaign:list"
    natural_key = ("campaign", "uscc")

    def prepare(self):
        self.campaigns = {}
        for campaign in SpotCheckCampaign.objects.filter(status="drawn"):
            self.campaigns.setdefault(campaign.name, []).append(campaign)
        self.matches = {}

    def validate_row(self, row):
        values = row.values
        campaigns = self.campaigns.get(values.get("campaign"), [])
        if len(campaigns) != 1:
            message = (
                _("No drawn campaign is named “%(name)s”.")
                if not campaigns
                else _("Several drawn campaigns are named “%(name)s”.")
            )
            row.error("campaign", message % {"name": values.get("campaign")})
            return None
        code = (values.get("uscc") or "").strip().upper()
        values["uscc"] = code
        check = (
            SpotCheck.objects.filter(campaign=campaigns[0], organization__uscc=code)
            .select_related("organization", "campaign")
            .first()
        )
        if check is None:
            row.error(
                "uscc",
                _("The campaign did not draw an organization with the code “%(code)s”.")
                % {"code": code},
            )
            return None
        # a column absent from the file keeps what is recorded (nothing is wiped)
        record = {
            key: values.get(key) if key in self.present else getattr(check, key)
            for key in FIELDS
        }
        record = {
            **record,
            "problems": record["problems"] or "",
            "rectification": record["rectification"] or "",
        }
        for message in spotcheck_result_errors(**record):
            row.error("result", message)
        self.matches[self.row_key(values)] = check
        return record

    def existing(self, keys):
        return {key: check for key, check in self.matches.items() if key in keys}

    def write(self, records, user):
        return 0  # every valid row matches a drawn check (see validate_row)

    def apply(self, instance, record):
        """Record the row's result through `spotcheck_result_record`."""
        spotcheck_result_record(
            check=instance, user=getattr(instance, "_history_user", None), **record
        )
