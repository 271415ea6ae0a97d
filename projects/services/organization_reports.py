"""Writes of an organization user (社会组织用户) on its own outcome reports, from
我的机构 → 成效报告 (`projects.views.portal_reports`): create a draft for a period,
save its targets and actuals, attach or remove evidence. Submitting is the
shared `projects.services.reports.report_submit`; approving and returning stay
with the coordinator (`report_approve`, `report_return`), never the organization.

Every function checks that the report or project belongs to the user's
organization (`projects.permissions`), runs under `transaction.atomic`, keeps
history (the models' HistoricalRecords) and raises ProjectsError with the reason.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from projects.errors import ProjectsError
from projects.models import (
    OutcomeEvidence,
    OutcomeLine,
    OutcomeReport,
    Project,
)
from projects.permissions import projects_of_organization, report_of_own_organization
from projects.services.rollup_totals import rollup_totals_apply

LINE_FIELDS = ("target", "actual", "numerator", "denominator", "note")


def _own_report(user, report):
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    if not report_of_own_organization(user, report):
        raise PermissionDenied
    if not report.is_editable:
        raise ProjectsError(
            _("A report that is “%(status)s” can no longer be changed.")
            % {"status": report.get_status_display()}
        )
    return report


def _messages(error):
    if hasattr(error, "error_dict"):
        return [m for msgs in error.message_dict.values() for m in msgs]
    return list(error.messages)


@transaction.atomic
def report_draft_create(*, project, user, organization, year, number, note=""):
    """A new draft report of `project` (one of `organization`'s) for period
    `number` of `year`, in the project's reporting frequency (quarter, half-year
    or year), with `user` as its author. Its first lines are the indicators of
    the project's latest report (none for a first report). Raises PermissionDenied
    for another organization's project, ProjectsError for a bad period or one
    another report of the project already covers. Returns the report."""
    if not projects_of_organization(organization).filter(pk=project.pk).exists():
        raise PermissionDenied
    project = Project.objects.get(pk=project.pk)
    report = OutcomeReport(
        project=project,
        period_type=project.reporting_frequency,
        year=year,
        number=number,
        note=(note or "").strip(),
        created_by=user,
    )
    try:
        report.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        raise ProjectsError(_messages(exc)) from None
    report.save()
    previous = (
        OutcomeReport.objects.filter(project=project)
        .exclude(pk=report.pk)
        .order_by("-end_date")
        .first()
    )
    if previous is not None:
        for indicator_id in previous.lines.values_list("indicator_id", flat=True):
            OutcomeLine.objects.create(report=report, indicator_id=indicator_id)
    rollup_totals_apply(report=report)
    return report


@transaction.atomic
def report_lines_save(report, *, user, note, lines, add_indicator=None):
    """Save the organization's figures of an editable (draft or returned) report.

    `lines` maps each line's Indicator to a dict of `target`, `actual`,
    `numerator`, `denominator` (Decimal or None, in the indicator's unit: 元, 人,
    间, %…), `note` (text) and `delete` (bool: remove the line). `add_indicator`
    (an active Indicator, optional) adds an empty line. Each line is checked by
    `OutcomeLine.clean` (no negatives; a ratio needs both parts, numerator ≤
    denominator). Raises ProjectsError listing "indicator: reason" for every
    refused line (nothing is saved then), PermissionDenied outside the user's
    organization. Returns the report."""
    report = _own_report(user, report)
    existing = {line.indicator_id: line for line in report.lines.all()}
    errors, keep = [], []
    for indicator, values in lines.items():
        line = existing.get(indicator.pk)
        if line is None:
            continue
        if values.get("delete"):
            line.delete()
            continue
        for name in LINE_FIELDS:
            value = values.get(name)
            setattr(line, name, (value or "") if name == "note" else value)
        try:
            line.full_clean(exclude=["report"])
        except ValidationError as exc:
            errors.extend(f"{indicator.name}：{m}" for m in _messages(exc))
        keep.append(line)
    if errors:
        raise ProjectsError(errors)
    for line in keep:
        line.save()
    if add_indicator is not None:
        if not add_indicator.is_active:
            raise ProjectsError(_("This indicator is no longer in use."))
        OutcomeLine.objects.get_or_create(report=report, indicator=add_indicator)
    report.note = (note or "").strip()
    report.save(update_fields=["note"])
    rollup_totals_apply(report=report)
    return report


@transaction.atomic
def report_evidence_add(report, *, user, title, kind, file, indicator=None):
    """Attach an evidence file to an editable report of the user's organization.
    The file passes the product's upload checks (`core.uploads.validate_upload`:
    content-checked images, PDF and office documents, size limit); `indicator`
    must be one of the report's lines. Evidence an organization attaches is
    private: the coordinator decides what may be shown publicly. Raises
    ProjectsError with the reason, PermissionDenied outside the organization.
    Returns the OutcomeEvidence."""
    report = _own_report(user, report)
    if indicator is not None and not report.lines.filter(indicator=indicator).exists():
        raise ProjectsError(_("Choose an indicator of this report."))
    evidence = OutcomeEvidence(
        report=report,
        indicator=indicator,
        title=(title or "").strip(),
        kind=kind,
        file=file,
        is_public=False,
    )
    try:
        evidence.full_clean(exclude=["report"])
    except ValidationError as exc:
        raise ProjectsError(_messages(exc)) from None
    evidence.save()
    return evidence


@transaction.atomic
def report_evidence_remove(report, *, user, evidence_id):
    """Remove one evidence file of an editable report of the user's organization
    (its history keeps the record). Raises ProjectsError when it is not the
    report's, PermissionDenied outside the organization."""
    report = _own_report(user, report)
    evidence = report.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise ProjectsError(_("This file is not part of the report."))
    evidence.delete()
