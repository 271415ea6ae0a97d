"""Importing outcome reports from Excel/CSV: one row per project, period and
indicator. Every row is checked first; then all rows are written, or none.
Rows for one project and period make one report (a draft written by the uploader);
a report already submitted or approved cannot be changed by an import."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import register
from core.spreadsheets import (
    Column,
    ValidationResult,
    choice_parser,
    parse_decimal,
    parse_int,
    parsed_rows,
)
from projects.choices import PeriodType, ReportStatus
from projects.models import (
    Indicator,
    OutcomeLine,
    OutcomeReport,
    Pairing,
    Project,
)

REPORT_COLUMNS = [
    Column("project", gettext_lazy("project"), required=True, aliases=("项目名称",)),
    Column(
        "year", gettext_lazy("year"), required=True, parse=parse_int, aliases=("年度",)
    ),
    Column(
        "period_type",
        gettext_lazy("period type"),
        required=True,
        parse=choice_parser(PeriodType.choices),
        aliases=("周期",),
    ),
    Column("number", gettext_lazy("period"), parse=parse_int, aliases=("期次",)),
    Column(
        "indicator", gettext_lazy("indicator"), required=True, aliases=("指标名称",)
    ),
    Column("target", gettext_lazy("target"), parse=parse_decimal, aliases=("目标",)),
    Column("actual", gettext_lazy("actual"), parse=parse_decimal, aliases=("实际",)),
    Column("numerator", gettext_lazy("numerator"), parse=parse_decimal),
    Column("denominator", gettext_lazy("denominator"), parse=parse_decimal),
    Column("note", gettext_lazy("note")),
]


@register
class OutcomeReportImporter:
    kind = "outcome_reports"
    label = gettext_lazy("Import outcome reports")
    columns = REPORT_COLUMNS
    permissions_required = ("projects.add_outcomereport",)
    user = None  # set by the import job: rows are limited to the user's pairings

    @property
    def index_label(self):
        return OutcomeReport._meta.verbose_name_plural

    def index_url(self):
        return reverse("wagtailsnippets_projects_outcomereport:list")

    def _projects(self):
        projects = Project.objects.all()
        if self.user is not None:
            projects = projects.filter(pairing__in=Pairing.objects.for_user(self.user))
        by_title = {}
        for project in projects:
            by_title.setdefault(project.title, []).append(project)
        return by_title

    def validate(self, frame, progress=None):
        result = ValidationResult()
        labels = {c.key: str(c.label) for c in self.columns}
        projects = self._projects()
        indicators = {}
        for indicator in Indicator.objects.filter(is_active=True):
            indicators[indicator.code] = indicator
            indicators[indicator.name] = indicator
        reports = {}  # (project, type, year, number) -> (report, [lines])
        seen = {}
        total = len(frame)
        for row in parsed_rows(frame, self.columns):
            index, row_number, values, errors = (
                row.index,
                row.number,
                row.values,
                row.errors,
            )
            error = row.error

            project = None
            if "project" in values:
                found = projects.get(values["project"], [])
                if not found:
                    error(
                        "project",
                        _("“%(value)s” is not a project of your pairings.")
                        % {"value": values["project"]},
                    )
                elif len(found) > 1:
                    error(
                        "project",
                        _("Several projects are called “%(value)s”; rename one first.")
                        % {"value": values["project"]},
                    )
                else:
                    project = found[0]
            indicator = None
            if "indicator" in values:
                indicator = indicators.get(values["indicator"])
                if indicator is None:
                    error(
                        "indicator",
                        _("“%(value)s” is not in the indicator catalogue.")
                        % {"value": values["indicator"]},
                    )
            if errors or project is None:
                result.errors.extend(errors)
                continue

            key = (
                project.pk,
                values["period_type"],
                values["year"],
                values.get("number", 1),
            )
            if key not in reports:
                report = OutcomeReport.objects.filter(
                    project=project,
                    period_type=key[1],
                    year=key[2],
                    number=key[3],
                ).first()
                if report is not None and not report.is_editable:
                    error(
                        "project",
                        _(
                            "The report for this period is “%(status)s” and can no "
                            "longer be changed."
                        )
                        % {"status": report.get_status_display()},
                    )
                    result.errors.extend(errors)
                    continue
                if report is None:
                    report = OutcomeReport(
                        project=project,
                        period_type=key[1],
                        year=key[2],
                        number=key[3],
                        status=ReportStatus.DRAFT,
                    )
                try:
                    report.clean()
                except ValidationError as exc:
                    for field, messages in exc.message_dict.items():
                        for message in messages:
                            error(field if field in labels else "period_type", message)
                    result.errors.extend(errors)
                    continue
                reports[key] = (report, [])
            line_key = (*key, indicator.pk)
            if line_key in seen:
                error(
                    "indicator",
                    _(
                        "This indicator for this project and period is already in "
                        "row %(row)s."
                    )
                    % {"row": seen[line_key]},
                )
            seen[line_key] = row_number
            line = OutcomeLine(
                indicator=indicator,
                target=values.get("target"),
                actual=values.get("actual"),
                numerator=values.get("numerator"),
                denominator=values.get("denominator"),
                note=values.get("note", ""),
            )
            try:
                line.clean()
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        error(field if field in labels else "indicator", message)
            if errors:
                result.errors.extend(errors)
            else:
                reports[key][1].append(line)
            if progress and (index + 1) % 250 == 0:
                progress(index + 1, total)
        if progress:
            progress(total, total)
        if not result.errors:
            result.records = list(reports.values())
        return result

    def write(self, records, user):
        """Write validated reports and lines; called inside a transaction."""
        written = 0
        for report, lines in records:
            if report.pk is None:
                report.created_by = user
                report.save()
            for line in lines:
                existing = report.lines.filter(indicator=line.indicator).first()
                if existing is not None:
                    line.pk = existing.pk
                line.report = report
                line.save()
                written += 1
        return written
