"""Importing revitalization projects (帮扶项目) from Excel/CSV: the project columns,
then the importer.

One row per project: its name, the pairing it belongs to (the organization's unified
social credit code and the code of the county or village it helps), its category,
and optionally its dates, budget in yuan, where the money comes from and its reporting
period (`报告周期`: 季度, 半年 or 年度; half-yearly when the column is left out or the
cell empty — a province's annual figures need 年度). Every row is
validated, then all are written at once, or none. A coordinator imports only into the
pairings they coordinate (`projects.permissions`).

The key of a project is its name and pairing (项目名称, 统一社会信用代码, 帮扶地区代码):
a row naming a stored project updates its category, dates, budget and funding source
after the preview's confirmation. One column list serves the import, its template
and the project listing's export (`EXPORT_FIELDS`), so an exported file imports back
unchanged.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from core.imports import BaseImporter, register
from core.spreadsheets import (
    Column,
    choice_parser,
    parse_date,
    parse_decimal,
    uscc_column,
)
from incubator.selectors.organizations import OrganizationsByCode
from projects.choices import FundingKind, PeriodType, ProjectCategory, ProjectStatus
from projects.models import FundingLink, Pairing, Project
from projects.permissions import pairings_visible_to
from projects.selectors.places import PlaceLookup
from projects.services.rollup_totals import rollup_counts_add

# In the export's order. The read-only columns (the organization's name, the
# status) are exported for reading and ignored when the file is imported again.
PROJECT_COLUMNS = [
    Column(
        "title", gettext_lazy("project name"), required=True, aliases=("名称", "项目")
    ),
    uscc_column(export="pairing.organization.uscc", required=True),
    Column(
        "region_code",
        gettext_lazy("assisted region code"),
        required=True,
        aliases=("结对地区代码", "地区代码", "区划代码"),
        export="pairing.place_code",
    ),
    Column(
        "category",
        gettext_lazy("category"),
        required=True,
        parse=choice_parser(ProjectCategory.choices),
        aliases=("项目类别",),
        export="get_category_display",
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
    Column(
        "funding_source", gettext_lazy("funding source"), export="self_raised_source"
    ),
    Column(
        "reporting_frequency",
        gettext_lazy("reporting period"),
        parse=choice_parser(PeriodType.choices),
        aliases=("报告周期类型",),
        export="get_reporting_frequency_display",
    ),
    Column(
        "organization",
        gettext_lazy("organization"),
        export="pairing.organization.name",
        read_only=True,
    ),
    Column(
        "status", gettext_lazy("status"), export="get_status_display", read_only=True
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
    """Projects, one per row, under pairings the uploader may see, keyed by name and
    pairing. A row whose project is stored updates it (after the preview's
    confirmation); a key twice in the file is refused (the core's key checks); a
    pairing outside the uploader's scope is refused as unknown to them, so its
    projects are neither shown nor changed. `资金来源` with a budget becomes one
    funding link of that name and amount (money not tied to an award or purchase
    on record; link the award on the project's screen). Records are
    (unsaved Project, unsaved FundingLink or None)."""

    kind = "projects"
    label = gettext_lazy("Import revitalization projects")
    columns = PROJECT_COLUMNS
    permissions_required = ("projects.add_project", "projects.change_project")
    model = Project
    index_url_name = "wagtailsnippets_projects_project:list"
    natural_key = ("title", "uscc", "region_code")
    exists_message = gettext_lazy(
        "This pairing already has a project of this name; import with update to "
        "change it."
    )
    duplicate_message = gettext_lazy(
        "The same project is already in row %(row)s of this file."
    )

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

    # --- update by key: a project is its name and pairing --------------------------

    def row_key(self, values):
        """(title, organization pk, county pk, village pk or None), the cells
        resolved as the row is. None when the row names no registered organization
        or known place (it has an error then)."""
        organization = self.organizations.get(values.get("uscc"))
        if organization is None or not values.get("title"):
            return None
        try:
            county, village = self.places.resolve(values.get("region_code") or "")
        except LookupError:
            return None
        return (
            values["title"],
            organization.pk,
            county.pk,
            village.pk if village else None,
        )

    def existing(self, keys):
        """The stored projects of these keys under the pairings the uploader sees
        (the only ones a row can name), in one query (and one for their funding
        links)."""
        pairings = {pairing.pk for pairing in self.pairings.values()}
        stored = (
            Project.objects.filter(
                pairing_id__in=pairings, title__in={key[0] for key in keys}
            )
            .select_related(
                "pairing__organization", "pairing__county", "pairing__village"
            )
            .prefetch_related("funding_links")
            .order_by("pk")
        )
        found = {}
        for project in stored:
            pairing = project.pairing
            key = (
                project.title,
                pairing.organization_id,
                pairing.county_id,
                pairing.village_id,
            )
            if key in keys:
                found.setdefault(key, project)
        return found

    def changes(self, instance, record):
        """The core's comparison, except that an empty budget cell and a stored
        budget of 0 are the same (an import without a budget stores 0)."""
        zero = {"", "0", "0.00"}
        return [
            change
            for change in super().changes(instance, record)
            if not (
                change.column == str(self._labels()["budget"])
                and change.old.strip() in zero
                and change.new.strip() in zero
            )
        ]

    def update_refusals(self, instance, record, changes):
        """A project with outcome reports keeps its reporting period (its reports
        are by that period); a project with several self-raised funding sources
        keeps them (they are changed on the project's screen)."""
        project, link = record
        refusals = {}
        if (
            "reporting_frequency" in self.present
            and project.reporting_frequency != instance.reporting_frequency
            and instance.reports.exists()
        ):
            refusals["reporting_frequency"] = _(
                "“%(project)s” already has outcome reports by %(period)s: its "
                "reporting period cannot change."
            ) % {
                "project": instance.title,
                "period": instance.get_reporting_frequency_display(),
            }
        wanted = link.fund_name if link is not None else ""
        if "funding_source" in self.present and wanted != instance.self_raised_source:
            self_raised = [
                stored
                for stored in instance.funding_links.all()
                if stored.kind == FundingKind.SELF_RAISED
            ]
            if len(self_raised) > 1:
                refusals["funding_source"] = _(
                    "“%(project)s” has several self-raised funding sources; change "
                    "them on the project's screen, not by import."
                ) % {"project": instance.title}
        return refusals

    def apply(self, instance, record):
        """Set the category, dates, budget (an empty one is 0) and reporting period
        the file has,
        check the project (dates in order, budget not negative) and save it; then
        its self-raised funding source when the file's 资金来源 differs from it:
        the project's one self-raised link is renamed (its amount kept), created
        with the budget as amount when there is none, or removed when the cell is
        empty. The status is left as it is (it moves on the project's screen);
        links to awards and purchases are never touched. What may not change is
        refused before (`update_refusals`)."""
        project, link = record
        for name in ("category", "start_date", "end_date", "budget"):
            if name in self.present:
                setattr(instance, name, getattr(project, name))
        if "reporting_frequency" in self.present:
            instance.reporting_frequency = project.reporting_frequency
        instance.full_clean(exclude=["pairing"])
        instance.save()
        wanted = link.fund_name if link is not None else ""
        if "funding_source" in self.present and wanted != instance.self_raised_source:
            self._apply_funding(instance, link)

    def _apply_funding(self, instance, link):
        user = getattr(instance, "_history_user", None)
        stored = [
            existing
            for existing in instance.funding_links.all()
            if existing.kind == FundingKind.SELF_RAISED
        ]
        current = stored[0] if stored else None
        if link is None:
            current._history_user = user
            current.delete()
        elif current is None:
            link.project = instance
            link._history_user = user
            link.save()
        else:
            current.fund_name = link.fund_name
            current._history_user = user
            current.save()

    def write(self, records, user):
        """Write the projects (with history) and their funding links; returns how
        many projects were written."""
        projects = [project for project, _link in records]
        created = bulk_create_with_history(
            projects, Project, batch_size=500, default_user=user
        )
        # bulk_create sends no signals: the new projects join their keys' counts
        # here, before their links move them from "no funding recorded"
        rollup_counts_add([project.pk for project in created])
        for project, (_project, link) in zip(created, records, strict=True):
            if link is not None:
                link.project = project
                link._history_user = user
                link.save()
        return len(created)


# The project listing's export: (attribute path, heading) per column.
EXPORT_FIELDS = ProjectImporter.export_fields()
