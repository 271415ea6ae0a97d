"""Importing outcome reports from Excel/CSV: the report columns, then the importer.

One row per project, period and indicator. Every row is checked first; then all rows
are written, or none. Rows for one project and period make one report (a draft
written by the uploader); a report already submitted or approved cannot be changed
by an import.

Historical figures may be imported as approved (`ApprovedOutcomeReportImporter`): by
a user who may approve reports, only for periods that have ended; that user is
recorded as the approver and the history says the report was approved on import.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import BaseImporter, Change, register
from core.spreadsheets import (
    Column,
    RowError,
    choice_parser,
    parse_decimal,
    parse_int,
)
from projects.choices import PeriodType, ReportStatus
from projects.models import (
    Indicator,
    OutcomeLine,
    OutcomeReport,
    Project,
)
from projects.periods import period_bounds
from projects.permissions import projects_visible_to
from projects.services.reports import report_approve_imported
from projects.services.rollup_totals import rollup_totals_apply

APPROVE = "projects.approve_outcomereport"

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
class OutcomeReportImporter(BaseImporter):
    """Draft outcome reports and their lines, limited to the uploader's pairings.
    Records are (OutcomeReport, [OutcomeLine]), one per project and period (the
    natural key): a stored draft report is updated, after the preview's
    confirmation. A line twice in the file is the core's duplicate refusal (a
    row's key is its line, `row_key`); a report already submitted or approved
    that the file changes is this kind's own rule (the workflow's), refused in
    `finish`."""

    kind = "outcome_reports"
    label = gettext_lazy("Import outcome reports")
    columns = REPORT_COLUMNS
    permissions_required = ("projects.add_outcomereport",)
    model = OutcomeReport
    index_url_name = "wagtailsnippets_projects_outcomereport:list"
    natural_key = ("project", "year", "period_type", "number")

    approve = False
    """True: the reports are approved on import (historical figures)."""

    def _projects(self):
        projects = Project.objects.all()
        if self.user is not None:
            projects = projects_visible_to(self.user)
        by_title = {}
        for project in projects:
            by_title.setdefault(project.title, []).append(project)
        return by_title

    def prepare(self):
        self.projects = self._projects()
        self.indicators = {}
        for indicator in Indicator.objects.filter(is_active=True):
            self.indicators[indicator.code] = indicator
            self.indicators[indicator.name] = indicator
        self.reports = {}  # (project, type, year, number) -> (report, [lines])
        self.locked = {}  # key of a report no longer editable -> its first row
        self.today = datetime.date.today()

    def validate_row(self, row):
        """Check one line; a valid one joins its report's lines (the records are
        the reports, set in `finish`), so this returns None."""
        values, error = row.values, row.error
        project = None
        if "project" in values:
            found = self.projects.get(values["project"], [])
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
            indicator = self.indicators.get(values["indicator"])
            if indicator is None:
                error(
                    "indicator",
                    _("“%(value)s” is not in the indicator catalogue.")
                    % {"value": values["indicator"]},
                )
        if row.errors or project is None:
            return None

        key = (
            project.pk,
            values["period_type"],
            values["year"],
            values.get("number", 1),
        )
        if key not in self.reports:
            report = OutcomeReport.objects.filter(
                project=project,
                period_type=key[1],
                year=key[2],
                number=key[3],
            ).first()
            if report is not None and not report.is_editable:
                # Refused in `finish` only if the file changes it: an exported
                # report imported back unchanged is no error.
                self.locked[key] = row.number
            stored = report is not None
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
                row.error_from(exc, default="period_type")
                return None
            if self.approve and not self._approvable(row, report, stored):
                return None
            self.reports[key] = (report, [])
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
            # what the report holds: digits, two decimals, the note's length
            line.clean_fields(exclude=["report", "indicator"])
        except ValidationError as exc:
            row.error_from(exc, default="indicator")
        if not row.errors:
            self.reports[key][1].append(line)
        return None

    def _approvable(self, row, report, stored):
        """May the report of this row be imported as approved? Only the figures of
        a period that has ended, and only a report not yet recorded or already
        approved: a draft, submitted or returned report goes through its approval
        (someone other than its author, with its evidence; DESIGN.md), never
        around it by a file. Reports the refusal on the row; returns a bool."""
        if period_bounds(report.period_type, report.year, report.number)[1] >= (
            self.today
        ):
            row.error(
                "year",
                _(
                    "Only the figures of a period that has ended can be imported "
                    "as approved; import this one as a draft and submit it."
                ),
            )
            return False
        if stored and report.status != ReportStatus.APPROVED:
            row.error(
                "project",
                _(
                    "The report for this period is already in the approval workflow "
                    "(%(status)s): submit it and have someone else approve it; only "
                    "historical figures not yet recorded are imported as approved."
                )
                % {"status": report.get_status_display()},
            )
            return False
        return True

    def finish(self, result):
        """The records are the reports; a report no longer editable (submitted,
        approved) that the file would change is refused at its first row."""
        if result.errors:
            return result
        labels = self._labels()
        for key, number in self.locked.items():
            report, lines = self.reports[key]
            if self.changes(report, (report, lines)):
                result.errors.append(
                    RowError(
                        number,
                        labels["project"],
                        _(
                            "The report for this period is “%(status)s” and can "
                            "no longer be changed."
                        )
                        % {"status": report.get_status_display()},
                    )
                )
        if not result.errors:
            result.records = list(self.reports.values())
        return result

    # --- update by key: a report is its project and period ----------------------

    duplicate_message = gettext_lazy(
        "This indicator for this project and period is already in row %(row)s."
    )

    def row_key(self, values):
        """The key of a row's line: (project pk, period type, year, number,
        indicator pk), so that the core refuses a line twice in the file
        (`duplicate_message`); None when the project or indicator is unknown (the
        row has an error then). Rows gather into reports, whose key is `key_of`."""
        found = self.projects.get(values.get("project"), [])
        indicator = self.indicators.get(values.get("indicator"))
        if len(found) != 1 or indicator is None:
            return None
        return (
            found[0].pk,
            values.get("period_type"),
            values.get("year"),
            values.get("number", 1),
            indicator.pk,
        )

    def _key_column(self, values):
        """A line twice in the file is reported at its indicator."""
        if values.get("indicator"):
            return "indicator"
        return super()._key_column(values)

    def key_of(self, record):
        """(project pk, period type, year, number) of a (report, lines) record."""
        report, _lines = record
        return (report.project_id, report.period_type, report.year, report.number)

    def existing(self, keys):
        """The stored reports among those looked up while validating."""
        return {
            key: report
            for key, (report, _lines) in self.reports.items()
            if report.pk is not None and key in keys
        }

    LINE_FIELDS = ("target", "actual", "numerator", "denominator", "note")

    def changes(self, instance, record):
        """Per line the file has, each figure it changes: "indicator · column"."""
        _report, lines = record
        stored = {line.indicator_id: line for line in instance.lines.all()}
        labels = self._labels()
        found = []
        for line in lines:
            old = stored.get(line.indicator_id)
            for name in self.LINE_FIELDS:
                if name not in self.present:
                    continue
                before = getattr(old, name) if old is not None else None
                after = getattr(line, name)
                if (before or None) != (after or None) or (before is None) != (
                    after is None
                ):
                    found.append(
                        Change(
                            f"{line.indicator.name} · {labels[name]}",
                            _figure(before),
                            _figure(after),
                        )
                    )
        return found

    def apply(self, instance, record):
        """Write the file's lines over the stored draft report's."""
        self.write([record], getattr(instance, "_history_user", None))

    def write(self, records, user):
        """Write validated reports and lines (a stored line keeps the columns the
        file leaves out); called inside a transaction. With `approve`, each report
        is then approved by `user` (who must hold the approve permission:
        ValidationError otherwise) and the action logged as an approval on import.
        Returns how many lines were written."""
        if self.approve and (user is None or not user.has_perm(APPROVE)):
            raise ValidationError(
                _(
                    "Only a user who may approve outcome reports can import them as approved."
                )
            )
        written = 0
        for report, lines in records:
            report._history_user = user
            if report.pk is None:
                report.created_by = user
                report.save()
            for line in lines:
                existing = report.lines.filter(indicator=line.indicator).first()
                if existing is not None:
                    for name in self.LINE_FIELDS:
                        if name in self.present:
                            setattr(existing, name, getattr(line, name))
                    line = existing
                line.report = report
                line._history_user = user
                line.save()
                written += 1
            if self.approve:
                report_approve_imported(report, user=user)
            else:
                rollup_totals_apply(report=report)
        return written


def _figure(value):
    """A figure as the preview shows it: 1200.00 as 1200, none as empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@register
class ApprovedOutcomeReportImporter(OutcomeReportImporter):
    """Outcome reports of ended periods, imported as approved by the uploader (a
    user who may approve reports): historical figures a province already checked."""

    kind = "outcome_reports_approved"
    label = gettext_lazy("Import approved outcome reports (historical figures)")
    permissions_required = ("projects.add_outcomereport", APPROVE)
    approve = True
