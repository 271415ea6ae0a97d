"""The organization's side of an award (社会组织用户, portal 我的机构 → 我的资助):
drafting and submitting its mid-term and final reports online.

An organization reports on its own awards only (`report_owner_refusal`); the
fund manager then approves the report or returns it with a reason
(`funding.services.awards.award_report_approve` / `award_report_return`); a
returned report is edited and submitted again. The moves are
`funding.lifecycle.REPORT_TRANSITIONS`; every write keeps history
(django-simple-history) and the submission goes to Wagtail's action log.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.log_actions import log

from core.documents import document_keep_internal
from core.uploads import check_upload
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.models import Award, AwardReport
from funding.models.awards import ReportKind, ReportStatus
from funding.services.awards import report_move_refusal
from funding.services.notifications import award_report_submitted_notify
from incubator.permissions import organization_of

#: The largest report file accepted, in bytes (20 MB: a scanned report with its
#: stamped pages; the request limit of config/settings DATA_UPLOAD_MAX_MEMORY_SIZE).
REPORT_FILE_MAX_SIZE = 20 * 1024 * 1024

#: The project stages in which an organization reports (the fund manager's rule
#: in `award_report_submit`: while the project is under way).
REPORTING_STATUSES = (S.IN_PROGRESS, S.MIDTERM_CHECKED)
#: The longest report text accepted online (characters); a longer report goes in
#: its file.
REPORT_SUMMARY_MAX = 20000


def report_owner_refusal(award, user):
    """Why `user` may not report on `award`, or None: only a user of the award's
    organization (`incubator.permissions.organization_of`) may."""
    organization = organization_of(user)
    if organization is None or organization.pk != award.application.organization_id:
        return _("Only the organization that holds this award reports on it.")
    return None


def report_file_check(upload):
    """Refuse a report file that is too large (`REPORT_FILE_MAX_SIZE`) or whose
    content is not on the upload allow-list (`core.uploads.check_upload`). Raises
    FundingError {"document": [message]}."""
    if upload.size and upload.size > REPORT_FILE_MAX_SIZE:
        raise FundingError(
            {
                "document": [
                    _("The file is larger than %(size)s MB.")
                    % {"size": REPORT_FILE_MAX_SIZE // (1024 * 1024)}
                ]
            }
        )
    try:
        check_upload(upload)
    except ValidationError as exc:
        raise FundingError({"document": exc.messages}) from None


def open_report(award, kind):
    """The report of `kind` the organization is working on or has sent: the
    latest of that kind, or None."""
    return award.reports.filter(kind=kind).order_by("-pk").first()


@transaction.atomic
def award_report_draft_save(award, *, kind, user, summary="", upload=None):
    """Save the organization's draft of its `kind` report (a `ReportKind` value)
    on `award`: creates the draft, or updates the draft or the returned report.

    `summary`: the report's text; `upload`: an optional uploaded file, checked
    (`report_file_check`) and kept as an internal document (内部文件), replacing the
    draft's file. Refuses with FundingError: a user of another organization, a
    kind that is not one, a project not under way, a report already submitted
    (awaiting the fund manager) or approved, a text holding a NUL character or
    longer than `REPORT_SUMMARY_MAX` characters. Returns the AwardReport."""
    refusal = report_owner_refusal(award, user)
    if refusal:
        raise FundingError(refusal)
    if kind not in ReportKind.values:
        raise FundingError({"kind": [_("Choose the kind of report.")]})
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.application.status not in REPORTING_STATUSES:
        raise FundingError(_("Reports are submitted while the project is under way."))
    report = open_report(award, kind)
    if report is not None and report.status == ReportStatus.SUBMITTED:
        raise FundingError(
            _("This report is submitted and awaits the fund manager: it cannot change.")
        )
    if report is not None and report.status == ReportStatus.APPROVED:
        raise FundingError(_("This report is already approved."))
    summary = (summary or "").strip()
    if "\x00" in summary:
        raise FundingError({"summary": [_("The text contains a null character.")]})
    if len(summary) > REPORT_SUMMARY_MAX:
        raise FundingError(
            {
                "summary": [
                    _("At most %(max)s characters, %(count)s given.")
                    % {"max": f"{REPORT_SUMMARY_MAX:,}", "count": f"{len(summary):,}"}
                ]
            }
        )
    if upload is not None:
        report_file_check(upload)
    if report is None:
        report = AwardReport(
            award=award, kind=kind, status=ReportStatus.DRAFT, from_organization=True
        )
    report.summary = summary
    if upload is not None:
        document = get_document_model()(
            title=f"{award.application.title} · {ReportKind(kind).label}",
            file=upload,
            uploaded_by_user=user,
        )
        document.save()
        document_keep_internal(document)
        report.document = document
    report._history_user = user
    report.save()
    return report


@transaction.atomic
def award_report_send(report, *, user, on=None):
    """Submit the organization's draft (or returned) report to the fund manager.

    Marks it submitted by the organization on `on` (today, Asia/Shanghai, by
    default), logs it and tells the fund managers (AWARD_REPORT_SUBMITTED).
    Refuses with FundingError: a user of another organization, a report with
    neither text nor file, one already submitted (a double submit) or approved,
    a project no longer under way. Returns the AwardReport."""
    report = AwardReport.objects.select_for_update().get(pk=report.pk)
    award = report.award
    refusal = report_owner_refusal(award, user)
    if refusal:
        raise FundingError(refusal)
    if report.status == ReportStatus.SUBMITTED:
        raise FundingError(
            _("This report is already submitted and awaits the fund manager.")
        )
    refusal = report_move_refusal(report, ReportStatus.SUBMITTED)
    if refusal:
        raise FundingError(refusal)
    if award.application.status not in REPORTING_STATUSES:
        raise FundingError(_("Reports are submitted while the project is under way."))
    if not report.summary and report.document_id is None:
        raise FundingError(
            {
                "summary": [
                    _("Write the report or attach its file before submitting it.")
                ]
            }
        )
    report.status = ReportStatus.SUBMITTED
    report.from_organization = True
    report.submitted_on = on or timezone.localdate()
    report.submitted_by = user
    report._history_user = user
    report.save()
    log(award, "funding.report_submitted", user=user, data={"kind": report.kind})
    award_report_submitted_notify(report, actor=user)
    return report
