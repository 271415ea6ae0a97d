"""Importing annual-inspection results from Excel/CSV (年检结果导入).

One row per organization and year, headers as the registries write them:
统一社会信用代码, 机构名称, 年度, 是否报送, 检查结果, 报送日期. A row updates the
organization's inspection in the year's open campaign, through `inspection_record`
(the same rules as the screen); the preview lists what changes, then every row is
written, or none. An organization that was not due that year, a closed campaign or
a result that does not fit the report is refused with its row and column.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import BaseImporter, register
from core.spreadsheets import Column, choice_parser, parse_date, parse_int, uscc_column
from incubator.choices import InspectionResult
from incubator.models import Inspection, InspectionCampaign
from incubator.selectors.organizations import OrganizationsByCode
from incubator.services.inspections import (
    NEEDS_REPORT,
    inspection_errors,
    inspection_record,
)

#: How the registries write the results besides the labels.
RESULT_ALIASES = {
    "合格": InspectionResult.PASSED,
    "基本合格": InspectionResult.BASICALLY_PASSED,
    "不合格": InspectionResult.FAILED,
    "未参检": InspectionResult.NOT_INSPECTED,
    "未参加年检": InspectionResult.NOT_INSPECTED,
    "未年检": InspectionResult.NOT_INSPECTED,
}

YES = {"是", "已报送", "报送", "y", "yes", "true", "1", "√"}
NO = {"否", "未报送", "n", "no", "false", "0", "×"}


def parse_yes_no(text):
    """是/否 (also 已报送/未报送, Y/N, 1/0) as True/False; raises ValidationError."""
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(_("Write 是 or 否, not “%(value)s”.") % {"value": text})


def parse_year(text):
    """A year (四位数年份, 1949–2100); raises ValidationError."""
    year = parse_int(text.replace("年", "").replace("度", ""))
    if not 1949 <= year <= 2100:
        raise ValidationError(_("“%(value)s” is not a year.") % {"value": text})
    return year


INSPECTION_COLUMNS = [
    uscc_column(export="organization.uscc", required=True),
    Column(
        "organization",
        gettext_lazy("name of the organization"),
        aliases=("社会组织名称", "组织名称", "名称"),
        export="organization.name",
    ),
    Column(
        "year",
        gettext_lazy("inspection year"),
        required=True,
        parse=parse_year,
        aliases=("年份", "年检年度"),
        export="campaign.year",
    ),
    Column(
        "submitted",
        gettext_lazy("report submitted"),
        parse=parse_yes_no,
        aliases=("是否报送年报", "报送情况"),
        export="submitted_text",
    ),
    Column(
        "result",
        gettext_lazy("inspection result"),
        parse=choice_parser(InspectionResult.choices, RESULT_ALIASES),
        aliases=("年检结果", "年检结论"),
        export="get_result_display",
    ),
    Column(
        "submitted_on",
        gettext_lazy("report submitted on"),
        parse=parse_date,
        aliases=("报送时间",),
    ),
]


@register
class InspectionImporter(BaseImporter):
    """Annual-inspection results of open campaigns, matched by (code, year).
    Records are keyword arguments of `inspection_record` plus "inspection"."""

    kind = "inspections"
    label = gettext_lazy("Import annual inspection results")
    columns = INSPECTION_COLUMNS
    permissions_required = ("incubator.change_inspection",)
    model = Inspection
    index_url_name = "wagtailsnippets_incubator_inspection:list"
    natural_key = ("uscc", "year")
    exists_message = gettext_lazy(
        "This organization's result of that year is already stored; import with "
        "update to change it."
    )

    def prepare(self):
        from django.utils import timezone

        self.organizations = OrganizationsByCode()
        self.campaigns = {c.year: c for c in InspectionCampaign.objects.all()}
        self.inspections = {
            (i.campaign_id, i.organization_id): i
            for i in Inspection.objects.filter(campaign__status="open").select_related(
                "campaign", "organization"
            )
        }
        self.today = timezone.localdate()
        self.matches = {}

    def validate_row(self, row):
        values, error = row.values, row.error
        organization = self.organizations.find(row)
        name = values.get("organization")
        if organization is not None and name and name != organization.name:
            error(
                "organization",
                _("The code %(code)s is registered to “%(name)s”, not “%(given)s”.")
                % {
                    "code": organization.uscc,
                    "name": organization.name,
                    "given": name,
                },
            )
        year = values.get("year")
        campaign = self.campaigns.get(year) if year else None
        if year and campaign is None:
            error(
                "year",
                _("There is no %(year)s annual inspection: open it first.")
                % {"year": year},
            )
        elif campaign is not None and not campaign.is_open:
            error(
                "year",
                _("The %(year)s annual inspection is closed: its results are final.")
                % {"year": year},
            )
        if organization is None or campaign is None or not campaign.is_open:
            return None
        inspection = self.inspections.get((campaign.pk, organization.pk))
        if inspection is None:
            error(
                "uscc",
                _(
                    "%(organization)s was not due for the %(year)s annual inspection "
                    "(registered later, or no longer registered)."
                )
                % {"organization": organization, "year": year},
            )
            return None
        result = (
            values.get("result") or ""
            if "result" in self.present
            else inspection.result
        )
        submitted_on = (
            values.get("submitted_on")
            if "submitted_on" in self.present
            else inspection.submitted_on
        )
        if values.get("submitted") is not None:
            submitted = values["submitted"]
        elif "submitted" in self.present:
            submitted = bool(submitted_on) or result in NEEDS_REPORT
        else:
            submitted = inspection.submitted or bool(submitted_on)
        decided_on = inspection.decided_on if result == inspection.result else None
        for key, message in inspection_errors(
            year=year,
            submitted=submitted,
            submitted_on=submitted_on,
            result=result,
            decided_on=decided_on,
            today=self.today,
        ).items():
            error("result" if key == "decided_on" else key, message)
        self.matches[self.row_key(values)] = inspection
        return {
            "inspection": inspection,
            "submitted": submitted,
            "submitted_on": submitted_on,
            "result": result,
        }

    def row_key(self, values):
        code = (values.get("uscc") or "").strip().upper()
        if not code or not values.get("year"):
            return None
        return (code, values["year"])

    def existing(self, keys):
        return {key: match for key, match in self.matches.items() if key in keys}

    def apply(self, instance, record):
        """Record the report and result through `inspection_record`."""
        inspection_record(
            inspection=instance,
            user=getattr(instance, "_history_user", None),
            submitted=record["submitted"],
            submitted_on=record["submitted_on"],
            result=record["result"],
        )

    def write(self, records, user):
        """Every valid row matches a stored inspection (`apply`); none is new."""
        for record in records:
            record["inspection"]._history_user = user
            self.apply(record["inspection"], record)
        return len(records)

    def describe(self, record, instance=None):
        inspection = instance or record["inspection"]
        return f"{inspection.organization} · {inspection.campaign.year}"


#: The listing's export: (attribute path, heading) per column.
EXPORT_FIELDS = InspectionImporter.export_fields()
