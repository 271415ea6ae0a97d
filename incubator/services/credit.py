"""Credit decisions and their daily publication (双公示).

`credit_decision_record` stores a decision; a credit-list decision (列入/移出
活动异常名录, 严重违法失信名单) also opens or closes the organization's CreditEntry,
so the registry's credit status follows the decision. The provincial credit
platform takes one file per day: `credit_publication_xlsx(day)` is that file, with
the platform's columns (`PUBLICATION_COLUMNS`), every cell formula-safe
(`core.spreadsheets.frame_to_xlsx`). `credit_publication_publish` marks a day's
decisions published (irreversible: the screen confirms first).
"""

import pandas as pd
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from incubator.choices import CreditDecisionType, CreditList
from incubator.errors import IncubationError
from incubator.models import CreditDecision, CreditEntry

#: The platform's columns, in order (Chinese: the platform reads these headers).
PUBLICATION_COLUMNS = [
    "名称",
    "统一社会信用代码",
    "决定类型",
    "事由",
    "决定日期",
    "决定机关",
]

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
    decision = CreditDecision(
        organization=organization,
        decision_type=decision_type,
        reason=reason.strip(),
        decided_on=decided_on,
        authority=authority.strip(),
        credit_entry=entry,
    )
    decision._history_user = user
    decision.save()
    return decision


def credit_publication_frame(day):
    """The day's decisions (date `day`) as a DataFrame with `PUBLICATION_COLUMNS`
    (dates as YYYY-MM-DD text; a filed organization's 备案号 in place of the USCC),
    ordered by organization name. The decision types are written in Chinese
    whatever the user's language: the platform reads them."""
    decisions = (
        CreditDecision.objects.filter(decided_on=day)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )
    rows = [
        [
            d.organization.name,
            d.organization.uscc or d.organization.filing_number,
            _chinese(d.get_decision_type_display()),
            d.reason,
            d.decided_on.isoformat(),
            d.authority,
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


@transaction.atomic
def credit_publication_publish(*, day, user):
    """Mark the decisions of `day` not yet published as published now; returns
    how many. Raises IncubationError when there is none to publish."""
    pending = list(
        CreditDecision.objects.select_for_update().filter(
            decided_on=day, published_at__isnull=True
        )
    )
    if not pending:
        raise IncubationError(_("No decision of this day waits to be published."))
    now = timezone.now()
    for decision in pending:
        decision.published_at = now
        decision._history_user = user
        decision.save(update_fields=["published_at"])
    return len(pending)
