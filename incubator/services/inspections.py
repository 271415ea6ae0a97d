"""Annual-inspection writes (年检/年报): open a year's campaign, record an
organization's report and result, close the campaign.

A campaign is opened with one `Inspection` per organization due
(`incubator.selectors.inspections.organizations_due`), so that its rate keeps the
list it was computed on. While it is open, reports and results are recorded
(`inspection_record`, also by the spreadsheet import); closing it
(`inspection_campaign_close`) marks whoever has not submitted 未参检. Every result
is also written to the organization's own record of the year (`AnnualInspection`,
the registry's inline), which spot checks and the dormant-organization rule read.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from incubator.choices import CampaignStatus, InspectionResult
from incubator.errors import SupervisionError
from incubator.models import AnnualInspection, Inspection, InspectionCampaign
from incubator.selectors.inspections import organizations_due

#: Results that need a submitted report (未参检 is the result of no report).
NEEDS_REPORT = (
    InspectionResult.PASSED,
    InspectionResult.BASICALLY_PASSED,
    InspectionResult.FAILED,
)


@transaction.atomic
def inspection_campaign_open(*, year, user, deadline=None, note="", today=None):
    """Open the campaign of `year` (int) with one inspection per organization due;
    returns the `InspectionCampaign`. Raises SupervisionError when the year already
    has a campaign, or is after this year, or the deadline is before the year ends."""
    today = today or timezone.localdate()
    if InspectionCampaign.objects.filter(year=year).exists():
        raise SupervisionError(
            _("The %(year)s annual inspection already exists.") % {"year": year}
        )
    if not 1949 <= year <= today.year:
        raise SupervisionError(_("Give a year between 1949 and this year."))
    if deadline and deadline <= datetime.date(year, 12, 31):
        raise SupervisionError(
            _("The submission deadline comes after the end of %(year)s.")
            % {"year": year}
        )
    campaign = InspectionCampaign(
        year=year, deadline=deadline, note=note, opened_on=today
    )
    campaign._history_user = user
    campaign.save()
    bulk_create_with_history(
        [
            Inspection(campaign=campaign, organization=organization)
            for organization in organizations_due(year)
        ],
        Inspection,
        batch_size=500,
        default_user=user,
    )
    return campaign


def inspection_errors(*, year, submitted, submitted_on, result, decided_on, today):
    """{field: message} of a report and result that do not fit together (empty
    when they do). The rules: 未参检 means no report; 合格, 基本合格 and 不合格
    need a submitted report; a submitted report has its date, which is not before
    1 January of the year nor in the future; a result is not given before the
    report came in nor in the future."""
    errors = {}
    if result == InspectionResult.NOT_INSPECTED and submitted:
        errors["result"] = _("“Not inspected” is the result of no report submitted.")
    if result in NEEDS_REPORT and not submitted:
        errors["result"] = _("A result needs the report submitted.")
    if submitted and not submitted_on:
        errors["submitted_on"] = _("Give the date the report was submitted.")
    if not submitted and submitted_on:
        errors["submitted_on"] = _("Only a submitted report has a submission date.")
    if submitted_on and submitted_on > today:
        errors["submitted_on"] = _("The date cannot be in the future.")
    elif submitted_on and submitted_on < datetime.date(year, 1, 1):
        errors["submitted_on"] = _(
            "A report on %(year)s is not submitted before %(year)s begins."
        ) % {"year": year}
    if decided_on and decided_on > today:
        errors["decided_on"] = _("The date cannot be in the future.")
    elif decided_on and submitted_on and decided_on < submitted_on:
        errors["decided_on"] = _("The result cannot come before the report.")
    return errors


def _keep_in_registry(inspection, user, withdrawn=""):
    """The organization's own `AnnualInspection` of the year follows the result;
    a result withdrawn while the campaign is open (`withdrawn`: the result it had)
    removes the record it had written, so that it no longer counts (spot-check
    risk group, targets)."""
    if not inspection.result:
        if withdrawn:
            for record in AnnualInspection.objects.filter(
                organization_id=inspection.organization_id,
                year=inspection.campaign.year,
                result=withdrawn,
            ):
                record._history_user = user
                record.delete()
        return
    record, created = AnnualInspection.objects.get_or_create(
        organization_id=inspection.organization_id,
        year=inspection.campaign.year,
        defaults={"result": inspection.result},
    )
    if not created and record.result != inspection.result:
        record.result = inspection.result
        record._history_user = user
        record.save()


@transaction.atomic
def inspection_record(
    *,
    inspection,
    user,
    submitted,
    submitted_on=None,
    result="",
    decided_on=None,
    note=None,
    today=None,
):
    """Record an organization's report (`submitted`, `submitted_on`) and its result
    (`result`, an `InspectionResult` value or ""; `decided_on` defaults to today
    when a result is given). Raises SupervisionError when the campaign is closed or
    the values do not fit together (`inspection_errors`, the first message)."""
    today = today or timezone.localdate()
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    campaign = inspection.campaign
    if not campaign.is_open:
        raise SupervisionError(
            _("The %(year)s annual inspection is closed: its results are final.")
            % {"year": campaign.year}
        )
    if result and not decided_on:
        decided_on = inspection.decided_on if result == inspection.result else today
    if not result:
        decided_on = None
    previous = inspection.result
    errors = inspection_errors(
        year=campaign.year,
        submitted=submitted,
        submitted_on=submitted_on,
        result=result,
        decided_on=decided_on,
        today=today,
    )
    if errors:
        raise SupervisionError(" ".join(str(m) for m in errors.values()))
    inspection.submitted = submitted
    inspection.submitted_on = submitted_on
    inspection.result = result
    inspection.decided_on = decided_on
    if note is not None:
        inspection.note = note
    inspection._history_user = user
    inspection.save()
    _keep_in_registry(inspection, user, withdrawn=previous)
    return inspection


@transaction.atomic
def inspection_campaign_close(*, campaign, user, today=None):
    """Close the campaign: every organization that has not submitted gets 未参检
    (dated today). Refused (SupervisionError) when it is already closed or a
    submitted report still waits for its result. Returns how many were marked
    未参检."""
    today = today or timezone.localdate()
    campaign = InspectionCampaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.is_open:
        raise SupervisionError(
            _("The %(year)s annual inspection is already closed.")
            % {"year": campaign.year}
        )
    waiting = campaign.inspections.filter(submitted=True, result="").count()
    if waiting:
        raise SupervisionError(
            _(
                "%(count)s submitted reports still wait for their result: give "
                "them before closing."
            )
            % {"count": waiting}
        )
    missing = list(campaign.inspections.filter(submitted=False))
    for inspection in missing:
        inspection.result = InspectionResult.NOT_INSPECTED
        inspection.decided_on = today
    bulk_update_with_history(
        missing,
        Inspection,
        ["result", "decided_on"],
        batch_size=500,
        default_user=user,
    )
    for inspection in campaign.inspections.exclude(result="").select_related(
        "campaign"
    ):
        _keep_in_registry(inspection, user)
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_on = today
    campaign._history_user = user
    campaign.save()
    return len(missing)
