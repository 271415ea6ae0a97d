"""Importing revitalization projects (帮扶项目) from Excel/CSV: the project columns,
then the importer.

One row per project: its name, the pairing it belongs to (the organization's unified
social credit code and the code of the county or village it helps), its category,
and optionally its dates, budget in yuan, where the money comes from and its reporting
period (`报告周期`: 季度, 半年 or 年度; half-yearly when the column is left out or the
cell empty — a province's annual figures need 年度). Every row is
validated, then all are written at once, or none. A coordinator imports only into the
pairings they coordinate (`projects.permissions`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from core.imports import BaseImporter, register
from core.spreadsheets import Column, choice_parser, parse_date, parse_decimal
from incubator.selectors.organizations import OrganizationsByCode
from projects.choices import FundingKind, PeriodType, ProjectCategory, ProjectStatus
from projects.models import FundingLink, Pairing, Project
from projects.permissions import pairings_visible_to
from projects.selectors.places import PlaceLookup

PROJECT_COLUMNS = [
    Column(
        "title", gettext_lazy("project name"), required=True, aliases=("名称", "项目")
    ),
    Column(
        "uscc",
        gettext_lazy("unified social credit code"),
        required=True,
        aliases=("统一代码", "信用代码"),
    ),
    Column(
        "region_code",
        gettext_lazy("assisted region code"),
        required=True,
        aliases=("结对地区代码", "地区代码", "区划代码"),
    ),
    Column(
        "category",
        gettext_lazy("category"),
        required=True,
        parse=choice_parser(ProjectCategory.choices),
        aliases=("项目类别",),
    ),
    Column("start_date", gettext_lazy("start date"), parse=parse_date),
    Column("end_date", gettext_lazy("end date"), parse=parse_date),
    Column(
        "budget",
        gettext_lazy("budget (yuan)"),
        parse=parse_decimal,
        aliases=("预算",),
        wan_aliases=("预算（万元）",),
    ),
    Column("funding_source", gettext_lazy("funding source")),
    Column(
        "reporting_frequency",
        gettext_lazy("reporting period"),
        parse=choice_parser(PeriodType.choices),
        aliases=("报告周期类型",),
    ),
]


def status_from_dates(start, end, today):
    """The status of an imported project from its dates (`today` a date): ended →
    completed, started → in progress, otherwise (or unknown) planned. A project
    terminated early is changed by hand afterwards."""
    if end is not None and end < today:
        return ProjectStatus.COMPLETED
    if start is not None and start <= today:
        return ProjectStatus.IN_PROGRESS
    return ProjectStatus.PLANNED


@register
class ProjectImporter(BaseImporter):
    """New projects, one per row, under pairings the uploader may see; a project of
    the same name already in that pairing, or twice in the file, is refused.
    `资金来源` with a budget becomes one funding link of that name and amount (money
    not tied to an award or purchase on record; link the award on the project's
    screen). Records are (unsaved Project, unsaved FundingLink or None)."""

    kind = "projects"
    label = gettext_lazy("Import revitalization projects")
    columns = PROJECT_COLUMNS
    permissions_required = ("projects.add_project",)
    model = Project
    index_url_name = "wagtailsnippets_projects_project:list"
    natural_key = ("title", "uscc", "region_code")

    def prepare(self):
        self.organizations = OrganizationsByCode()
        self.places = PlaceLookup()
        pairings = Pairing.objects.all()
        if self.user is not None:
            pairings = pairings_visible_to(self.user)
        self.pairings = {}
        for pairing in pairings:
            key = (pairing.organization_id, pairing.county_id, pairing.village_id)
            self.pairings[key] = pairing
        self.stored_keys = set(Project.objects.values_list("pairing_id", "title"))
        self.seen = {}
        self.today = datetime.date.today()

    def validate_row(self, row):
        values, error = row.values, row.error
        county = village = None
        organization = self.organizations.find(row)
        if "region_code" in values:
            try:
                county, village = self.places.resolve(values["region_code"])
            except LookupError as exc:
                error("region_code", exc.args[0])
        if "funding_source" in values and not values.get("budget"):
            error(
                "budget",
                _("Give the budget: it is the amount of the funding source."),
            )
        if row.errors:
            return None
        pairing = self.pairings.get(
            (organization.pk, county.pk, village.pk if village else None)
        )
        if pairing is None:
            error(
                "region_code",
                _(
                    "%(organization)s has no pairing with %(place)s among your "
                    "pairings; import or record the pairing first."
                )
                % {
                    "organization": organization.name,
                    "place": village or county.full_name,
                },
            )
            return None
        start, end = values.get("start_date"), values.get("end_date")
        project = Project(
            pairing=pairing,
            title=values["title"],
            category=values["category"],
            start_date=start,
            end_date=end,
            status=status_from_dates(start, end, self.today),
            **({"budget": values["budget"]} if "budget" in values else {}),
            **(
                {"reporting_frequency": values["reporting_frequency"]}
                if values.get("reporting_frequency")
                else {}
            ),
        )
        try:
            project.clean()
            project.clean_fields(exclude=["pairing"])
        except ValidationError as exc:
            row.error_from(exc, default="title")
            return None
        key = (pairing.pk, project.title)
        if key in self.stored_keys:
            error("title", _("This pairing already has a project of this name."))
        elif key in self.seen:
            error(
                "title",
                _("The same project is already in row %(row)s of this file.")
                % {"row": self.seen[key]},
            )
        else:
            self.seen[key] = row.number
        link = None
        if "funding_source" in values:
            link = FundingLink(
                kind=FundingKind.SELF_RAISED,
                fund_name=values["funding_source"],
                amount=project.budget,
            )
            try:
                link.clean_fields(exclude=["project", "amount"])
            except ValidationError as exc:
                for messages in exc.message_dict.values():
                    for message in messages:
                        error("funding_source", message)
                return None
        return (project, link)

    def write(self, records, user):
        """Write the projects (with history) and their funding links; returns how
        many projects were written."""
        projects = [project for project, _link in records]
        created = bulk_create_with_history(
            projects, Project, batch_size=500, default_user=user
        )
        for project, (_project, link) in zip(created, records, strict=True):
            if link is not None:
                link.project = project
                link._history_user = user
                link.save()
        return len(created)
