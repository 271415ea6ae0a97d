"""Reads of the organization's own awards (portal 我的机构 → 我的资助).

Every read starts from `awards_of(organization)`: another organization's award,
report or document is not in it, so its id answers 404 on the portal screens.
"""

from decimal import Decimal

from django.db.models import Max, Q, Sum
from django.utils.translation import gettext as _

from core.confirmations import Confirmation
from funding.choices import ApplicationStatus as S
from funding.models import Award, AwardReport, DocumentKind, DocumentNumber
from funding.models.awards import DisbursementStatus, ReportKind, ReportStatus
from funding.selectors.documents import award_letter_refusal
from funding.services.tranches import tranche_open_condition

#: The statuses of an award made (立项 and after): what 我的资助 lists. An award
#: still in its public notice is not made yet (an objection may refuse it).
MADE = (S.AWARDED, S.IN_PROGRESS, S.MIDTERM_CHECKED, S.COMPLETED, S.TERMINATED)

#: Each report kind and the award field holding its due date.
DUE_FIELDS = {ReportKind.MIDTERM: "midterm_due_on", ReportKind.FINAL: "final_due_on"}


def awards_of(organization):
    """The awards made to `organization` (a queryset, newest first)."""
    return (
        Award.objects.filter(
            application__organization=organization, application__status__in=MADE
        )
        .select_related("application__call__fund", "application__organization")
        .order_by("-awarded_on", "-pk")
    )


def reports_of(organization):
    """The reports of `organization`'s awards (a queryset)."""
    return AwardReport.objects.filter(award__in=awards_of(organization))


def tranche_schedule(award):
    """The tranche schedule as the organization reads it: a list of
    {"tranche", "number", "percentage", "amount" (元), "paid" (元 paid on it),
    "paid_on" (date of its last payment or None), "state" ("paid" | "part" |
    "unpaid"), "state_label", "open" (the condition still open, text, or None:
    `funding.services.tranches.tranche_open_condition`)}."""
    rows = []
    paid = Q(disbursements__status=DisbursementStatus.PAID)
    tranches = award.tranches.annotate(
        paid_sum=Sum("disbursements__amount", filter=paid),
        last_paid_on=Max("disbursements__paid_on", filter=paid),
    ).order_by("sort_order", "pk")
    for tranche in tranches:
        paid = tranche.paid_sum or Decimal("0")
        if paid >= tranche.amount:
            state, label = "paid", _("Paid")
        elif paid > 0:
            state, label = "part", _("Partly paid")
        else:
            state, label = "unpaid", _("Not paid yet")
        rows.append(
            {
                "tranche": tranche,
                "number": tranche.number,
                "percentage": tranche.percentage,
                "amount": tranche.amount,
                "paid": paid,
                "paid_on": tranche.last_paid_on,
                "state": state,
                "state_label": label,
                "open": None if state == "paid" else tranche_open_condition(tranche),
            }
        )
    return rows


def letter_available(award):
    """True when the organization may download its award letter (立项通知书): the
    letter can be printed (`award_letter_refusal`) and the department has issued
    it, i.e. it has its document number (`DocumentNumber`)."""
    if award_letter_refusal(award):
        return False
    return DocumentNumber.objects.filter(
        kind=DocumentKind.AWARD_LETTER, object_id=award.pk
    ).exists()


def report_rows(award):
    """One row per report kind: {"kind", "label", "due_on", "report" (the latest
    AwardReport of that kind or None), "editable" (the organization may draft or
    change it now), "can_start"}."""
    under_way = award.application.status in (S.IN_PROGRESS, S.MIDTERM_CHECKED)
    rows = []
    for kind in ReportKind:
        report = award.reports.filter(kind=kind).order_by("-pk").first()
        editable = under_way and (
            report is None
            or report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        )
        rows.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "due_on": getattr(award, DUE_FIELDS[kind]),
                "report": report,
                "editable": editable,
            }
        )
    return rows


def award_summary(award):
    """The figures of one award for its portal page: {"award", "approved" (元),
    "paid" (元), "unpaid" (元), "tranches" (`tranche_schedule`), "letter"
    (`letter_available`), "agreement" (the agreement document or None),
    "reports" (`report_rows`)}."""
    tranches = tranche_schedule(award)
    paid = sum((row["paid"] for row in tranches), Decimal("0"))
    return {
        "award": award,
        "approved": award.approved_amount,
        "paid": paid,
        "unpaid": award.approved_amount - paid,
        "tranches": tranches,
        "letter": letter_available(award),
        "agreement": award.agreement_document,
        "reports": report_rows(award),
    }


def report_send_confirmation(report):
    """The confirmation before the organization submits `report` (it cannot be
    changed afterwards unless the fund manager returns it)."""
    award = report.award
    lines = [
        _(
            "The %(kind)s of “%(title)s” goes to the fund manager. It cannot be "
            "changed afterwards, unless the fund manager returns it."
        )
        % {"kind": report.get_kind_display(), "title": award.application.title},
        _("Attached file: %(name)s")
        % {"name": report.document.title if report.document else _("none")},
    ]
    return Confirmation(
        action=_("Submit the report"),
        subject=str(award.application.title),
        lines=lines,
        facts=[report.pk, report.status, report.summary, report.document_id],
    )
