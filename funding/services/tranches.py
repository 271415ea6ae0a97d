"""The tranche schedule of an award and a tranche's release condition
(`tranche_open_condition`): percentages adding up to 100, amounts to the cent."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from core.money import CENT, HUNDRED
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.models import Award, Disbursement, Tranche
from funding.models.awards import COMMITTED, ReportKind, TrancheCondition
from projects.models import OutcomeReport, Project
from projects.selectors.funding import funding_record_projects


def schedule_check(percentages):
    """The tranche percentages: each positive, together exactly 100."""
    values = [Decimal(p) for p in percentages]
    if not values:
        raise FundingError(_("The schedule needs at least one tranche."))
    if any(v <= 0 for v in values):
        raise FundingError(_("Every tranche needs a percentage above zero."))
    total = sum(values, Decimal("0"))
    if total != HUNDRED:
        raise FundingError(
            _("The tranche percentages add up to %(total)s%%, not 100%%.")
            % {"total": format(total.normalize(), "f")}
        )


def tranche_amounts(approved, percentages):
    """Each tranche's amount to the cent; the last takes the rounding remainder so
    that the amounts add up to the approved amount exactly."""
    amounts = [
        (approved * Decimal(p) / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
        for p in percentages[:-1]
    ]
    amounts.append(approved - sum(amounts, Decimal("0")))
    return amounts


def schedule_locked(award):
    return Disbursement.objects.filter(
        tranche__award=award, status__in=COMMITTED
    ).exists()


@transaction.atomic
def award_schedule_set(award, rows, *, user):
    """Replace the schedule: rows are (percentage, condition, note). Refused once
    money has been recorded against it."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.application.status in (S.TERMINATED, S.COMPLETED, S.REJECTED):
        raise FundingError(_("The schedule of a closed award cannot change."))
    if schedule_locked(award):
        raise FundingError(
            _("Money has been recorded against this schedule; it can no longer change.")
        )
    schedule_check([r[0] for r in rows])
    for condition in (r[1] for r in rows):
        if condition not in TrancheCondition.values:
            raise FundingError(_("Choose a condition for every tranche."))
    amounts = tranche_amounts(award.approved_amount, [Decimal(r[0]) for r in rows])
    award.tranches.all().delete()
    for order, ((percentage, condition, note), amount) in enumerate(
        zip(rows, amounts, strict=True)
    ):
        tranche = Tranche(
            award=award,
            sort_order=order,
            percentage=Decimal(percentage),
            amount=amount,
            condition=condition,
            note=note or "",
        )
        tranche._history_user = user
        tranche.save()
    return award


@transaction.atomic
def award_schedule_recompute(award, *, user):
    """After the admin form saved the tranches: order them and set their amounts."""
    tranches = list(award.tranches.order_by("sort_order", "pk"))
    schedule_check([t.percentage for t in tranches])
    amounts = tranche_amounts(award.approved_amount, [t.percentage for t in tranches])
    for order, (tranche, amount) in enumerate(zip(tranches, amounts, strict=True)):
        if tranche.amount != amount or tranche.sort_order != order:
            tranche.amount = amount
            tranche.sort_order = order
            tranche._history_user = user
            tranche.save(update_fields=["amount", "sort_order"])


def linked_projects(award):
    """Revitalization projects whose funding links point to this award."""
    award_type = ContentType.objects.get_for_model(Award)
    return Project.objects.filter(
        funding_links__source_type=award_type, funding_links__source_id=award.pk
    ).distinct()


def tranche_open_condition(tranche):
    """None when the tranche's condition is met, else what is still open."""
    award = tranche.award
    condition = tranche.condition
    if condition == TrancheCondition.SIGNING:
        if award.agreement_signed_on:
            return None
        return _("the agreement has not been signed")
    if condition in (TrancheCondition.MIDTERM_REPORT, TrancheCondition.FINAL_REPORT):
        kind = (
            ReportKind.MIDTERM
            if condition == TrancheCondition.MIDTERM_REPORT
            else ReportKind.FINAL
        )
        if award.reports.filter(kind=kind, approved_on__isnull=False).exists():
            return None
        if kind == ReportKind.MIDTERM:
            return _("the mid-term report has not been approved")
        return _("the final report has not been approved")
    # approved outcome figures of a linked revitalization project — only projects
    # of the award's organization (or its alliance) count (the rule is projects'),
    # so another organization's link never releases money
    projects = funding_record_projects(award)
    if not projects:
        return _(
            "no revitalization project is linked to this award (link it in the "
            "project's funding sources)"
        )
    if OutcomeReport.objects.approved().filter(project__in=projects).exists():
        return None
    return _("the linked revitalization project has no approved outcome report")
