"""Credit decisions and their daily publication (双公示).

`credit_decision_record` stores a decision; a credit-list decision (列入/移出
活动异常名录, 严重违法失信名单) also opens or closes the organization's CreditEntry,
so the registry's credit status follows the decision. The provincial credit
platform takes one file per day: `credit_publication_xlsx(day)` is that file, with
the platform's columns (`PUBLICATION_COLUMNS`), every cell formula-safe
(`core.spreadsheets.frame_to_xlsx`). `credit_publication_publish` marks a day's
decisions published (irreversible: the screen confirms first).

Late reports (补报): every export of a day's file — downloaded
(`credit_publication_export`), written by the command, or the day published — is
recorded (`CreditPublicationExport`). A decision recorded for a day whose file was
already exported is not slipped into that file after the fact (the platform has
it): it is flagged `late` and listed on the next file not yet exported (today's,
else the first later day's), with its real decision date and "补报" in the 备注
column — the usual way of the 双公示 platforms, which take a late decision as a
补报 row of a later day's file rather than a changed earlier file.
"""

import datetime

import pandas as pd
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from incubator.choices import CreditDecisionType, CreditList
from incubator.errors import IncubationError
from incubator.models import CreditDecision, CreditEntry, CreditPublicationExport
from incubator.selectors.credit import day_decisions, day_exported

#: The platform's columns, in order (Chinese: the platform reads these headers).
PUBLICATION_COLUMNS = [
    "名称",
    "统一社会信用代码",
    "决定类型",
    "事由",
    "决定日期",
    "决定机关",
    "备注",
]

#: The 备注 of a decision listed on a later day's file than its own (补报).
LATE_MARK = "补报"

#: The decision types that open (list, True) or close (list, False) a CreditEntry.
LIST_DECISIONS = {
    CreditDecisionType.ABNORMAL_IN: (CreditList.ABNORMAL, True),
    CreditDecisionType.ABNORMAL_OUT: (CreditList.ABNORMAL, False),
    CreditDecisionType.DISHONEST_IN: (CreditList.SERIOUS_DISHONESTY, True),
    CreditDecisionType.DISHONEST_OUT: (CreditList.SERIOUS_DISHONESTY, False),
}


@transaction.atomic
def credit_decision_record(
    *, organization, decision_type, reason, decided_on, authority, user
):
    """Store a CreditDecision and, for a list decision, open a CreditEntry (dated
    `decided_on`) or close the organization's open entry on that list. Returns the
    decision. Raises IncubationError for a date in the future, an empty reason or
    authority, a listing while already listed, or a removal with nothing listed."""
    if decided_on > timezone.localdate():
        raise IncubationError(_("The decision date cannot be in the future."))
    if not (reason or "").strip() or not (authority or "").strip():
        raise IncubationError(_("Give the reason and the deciding authority."))
    entry = None
    if decision_type in LIST_DECISIONS:
        list_type, listing = LIST_DECISIONS[decision_type]
        entries = CreditEntry.objects.select_for_update().filter(
            organization=organization, list_type=list_type
        )
        open_entry = entries.active(decided_on).first()
        if listing:
            # an entry in force on that day or any later one (a back-dated listing
            # under a later entry would overlap it)
            if entries.filter(
                Q(date_out__isnull=True) | Q(date_out__gt=decided_on)
            ).exists():
                raise IncubationError(_("The organization is on this list already."))
            entry = CreditEntry(
                organization=organization,
                list_type=list_type,
                reason=reason.strip(),
                date_in=decided_on,
            )
        else:
            if open_entry is None:
                raise IncubationError(_("The organization is not on this list."))
            entry = open_entry
            entry.date_out = decided_on
        entry._history_user = user
        entry.save()
    listed_on = _file_day_for(decided_on)
    decision = CreditDecision(
        organization=organization,
        decision_type=decision_type,
        reason=reason.strip(),
        decided_on=decided_on,
        authority=authority.strip(),
        credit_entry=entry,
        listed_on=listed_on,
        late=listed_on != decided_on,
    )
    decision._history_user = user
    decision.save()
    return decision


def _file_day_for(decided_on):
    """The day whose file carries a decision of `decided_on` recorded now: its own
    day, unless that day's file was exported — then the first day from today on
    whose file was not (补报)."""
    if not day_exported(decided_on):
        return decided_on
    day = max(timezone.localdate(), decided_on)
    exported = set(
        CreditPublicationExport.objects.filter(day__gte=day).values_list(
            "day", flat=True
        )
    )
    while day in exported:
        day += datetime.timedelta(days=1)
    return day


def credit_publication_frame(day):
    """The decisions on the file of `day` (`incubator.selectors.credit.day_decisions`:
    those of that day, and late ones carried by it) as a DataFrame with
    `PUBLICATION_COLUMNS` (dates as YYYY-MM-DD text, the real decision date; a
    filed organization's 备案号 in place of the USCC; 备注 "补报" on a late one),
    ordered by organization name. The decision types are written in Chinese
    whatever the user's language: the platform reads them."""
    decisions = day_decisions(day)
    rows = [
        [
            d.organization.name,
            d.organization.uscc or d.organization.filing_number,
            _chinese(d.get_decision_type_display()),
            d.reason,
            d.decided_on.isoformat(),
            d.authority,
            LATE_MARK if d.late else "",
        ]
        for d in decisions
    ]
    return pd.DataFrame(rows, columns=PUBLICATION_COLUMNS)


def _chinese(label):
    with translation.override("zh-hans"):
        return str(label)


def credit_publication_xlsx(day):
    """The file of `day` for the provincial credit platform: .xlsx bytes, header
    row `PUBLICATION_COLUMNS`, one row per decision; text a spreadsheet would run
    as a formula is written as text."""
    from core.spreadsheets import frame_to_xlsx

    return frame_to_xlsx(credit_publication_frame(day), sheet_name=day.isoformat())


def credit_publication_filename(day):
    """``双公示-2026-11-30.xlsx``."""
    return f"双公示-{day.isoformat()}.xlsx"


def _export_record(day, user, via, count):
    export = CreditPublicationExport(
        day=day, exported_by=user, via=via, decisions=count
    )
    export._history_user = user
    export.save()
    return export


@transaction.atomic
def credit_publication_export(*, day, user, via=CreditPublicationExport.Via.DOWNLOAD):
    """The file of `day` (`credit_publication_xlsx`) as it leaves for the platform:
    the export is recorded (`CreditPublicationExport`: day, who, how, how many
    decisions), so that a decision recorded later for this day becomes a 补报 on a
    later file. Returns the .xlsx bytes."""
    frame = credit_publication_frame(day)
    from core.spreadsheets import frame_to_xlsx

    data = frame_to_xlsx(frame, sheet_name=day.isoformat())
    _export_record(day, user, via, len(frame))
    return data


@transaction.atomic
def credit_publication_publish(*, day, user):
    """Mark the decisions on the file of `day` not yet published as published now,
    and record the day as exported; returns how many. Raises IncubationError when
    there is none to publish."""
    waiting = [d.pk for d in day_decisions(day) if d.published_at is None]
    pending = list(
        CreditDecision.objects.select_for_update().filter(
            pk__in=waiting, published_at__isnull=True
        )
    )
    if not pending:
        raise IncubationError(_("No decision of this day waits to be published."))
    now = timezone.now()
    for decision in pending:
        decision.published_at = now
        decision._history_user = user
        decision.save(update_fields=["published_at"])
    _export_record(
        day, user, CreditPublicationExport.Via.PUBLISH, len(day_decisions(day))
    )
    return len(pending)
