"""Who in funding is told of what (`core.notifications.notify`), called by the services.

- a review assigned → its reviewer (blind calls name the application by number);
- a review deadline near → each reviewer with a pending review, once per review
  and deadline (`review_deadline_reminders_send`, run daily by cron through
  `manage.py notify_review_deadlines`);
- a payment recorded → the fund managers who may approve it, not its recorder;
  approved → finance who may pay it, neither its recorder nor its approver
  (separation of duties, `funding.permissions.payment_duty_refusal`);
- an objection received → the fund managers of the award desk.

Funds have no owner in the model: every fund manager oversees every fund (see
`funding.selectors.inbox.fund_manager_tasks`), so the fund managers told are the
holders of the permission of the screen that does the work.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.money import yuan_text
from core.notifications import NotificationKind, notify, permission_holders
from funding.choices import PENDING_REVIEW
from funding.models import Review
from funding.permissions import (
    APPROVE_DISBURSEMENT,
    APPROVE_PURCHASE,
    MANAGE_AWARDS,
    PAY_DISBURSEMENT,
    PAY_PURCHASE,
    title_for_reviewer,
)

#: A reviewer is reminded when the call's review deadline is this many days away
#: or fewer (today included).
REMINDER_DAYS = 3


def review_assigned_notify(review, *, actor):
    """Tell the reviewer of `review` it is theirs to score."""
    application = review.application
    notify(
        NotificationKind.REVIEW_ASSIGNED,
        [review.reviewer],
        title=format_lazy(
            _("Review assigned: {application} ({call})"),
            application=title_for_reviewer(application),
            call=application.call.name,
        ),
        link=reverse("funding_review_score", args=[review.pk]),
        actor=actor,
    )


def review_deadline_reminders_send(*, today=None, days=REMINDER_DAYS):
    """Remind every reviewer of each review still to do (assigned or draft) whose
    call's review deadline falls within `days` days of `today` (the local date
    by default), the call's review still open. Idempotent: one reminder per
    review and deadline (a moved deadline reminds again). Returns how many
    reminders were made."""
    today = today or timezone.localdate()
    reviews = Review.objects.filter(
        status__in=PENDING_REVIEW,
        application__call__review_closed_at__isnull=True,
        application__call__review_due_on__gte=today,
        application__call__review_due_on__lte=today + datetime.timedelta(days=days),
    ).select_related("reviewer", "application__call")
    made = 0
    for review in reviews:
        call = review.application.call
        made += len(
            notify(
                NotificationKind.REVIEW_DEADLINE,
                [review.reviewer],
                title=format_lazy(
                    _("Review due on {day}: {application} ({call})"),
                    day=call.review_due_on.isoformat(),
                    application=title_for_reviewer(review.application),
                    call=call.name,
                ),
                link=reverse("funding_review_score", args=[review.pk]),
                key=f"review_deadline:{review.pk}:{call.review_due_on.isoformat()}",
            )
        )
    return made


def disbursement_waiting_notify(disbursement, *, actor):
    """A disbursement recorded → who may approve it; approved → who may pay it."""
    award = disbursement.tranche.award
    _payment_waiting(
        disbursement,
        subject=str(award),
        link=reverse("funding_award_desk", args=[award.pk]),
        approve_perm=APPROVE_DISBURSEMENT,
        pay_perm=PAY_DISBURSEMENT,
        actor=actor,
    )


def purchase_payment_waiting_notify(payment, *, actor):
    """A purchase payment recorded → who may approve it; approved → who may pay."""
    _payment_waiting(
        payment,
        subject=str(payment.purchase),
        link=reverse("wagtailsnippets_funding_purchasepayment:list"),
        approve_perm=APPROVE_PURCHASE,
        pay_perm=PAY_PURCHASE,
        actor=actor,
    )


def _payment_waiting(payment, *, subject, link, approve_perm, pay_perm, actor):
    status = getattr(payment.status, "value", payment.status)
    if status == "recorded":
        people = permission_holders(approve_perm).exclude(pk=payment.recorded_by_id)
        text = _("Payment to approve: {subject}, {amount} yuan")
    elif status == "approved":
        people = (
            permission_holders(pay_perm)
            .exclude(pk=payment.recorded_by_id)
            .exclude(pk=payment.approved_by_id)
        )
        text = _("Payment to pay: {subject}, {amount} yuan")
    else:
        return
    notify(
        NotificationKind.PAYMENT_WAITING,
        people,
        title=format_lazy(text, subject=subject, amount=yuan_text(payment.amount)),
        link=link,
        actor=actor,
    )


def objection_received_notify(objection, *, actor):
    """Tell the fund managers of the award desk an objection came in."""
    award = objection.award
    notify(
        NotificationKind.OBJECTION_RECEIVED,
        permission_holders(MANAGE_AWARDS),
        title=format_lazy(
            _("Objection received from {objector}: {award}"),
            objector=objection.objector,
            award=str(award),
        ),
        link=reverse("funding_award_desk", args=[award.pk]),
        actor=actor,
    )


# --- the organization's side of an award (社会组织用户) --------------------------------

#: An organization is reminded of a report due this many days ahead or fewer
#: (today included).
REPORT_DUE_DAYS = 14


def organization_people(organization):
    """The users of `organization` (its `OrganizationMembership`s), a list: whom
    its awards' news is told to (inactive accounts are skipped by `notify`)."""
    return [m.user for m in organization.members.select_related("user")]


def _portal_award_link(award):
    return reverse("funding_portal_award", args=[award.pk])


def award_made_notify(award, *, actor):
    """Tell the organization's users their application is awarded (立项)."""
    application = award.application
    notify(
        NotificationKind.AWARD_MADE,
        organization_people(application.organization),
        title=format_lazy(
            _("Award made: {title}, {amount} yuan"),
            title=application.title,
            amount=yuan_text(award.approved_amount),
        ),
        link=_portal_award_link(award),
        actor=actor,
    )


def tranche_paid_notify(disbursement, *, actor):
    """Tell the organization's users that money of a tranche was paid."""
    award = disbursement.tranche.award
    notify(
        NotificationKind.TRANCHE_PAID,
        organization_people(award.application.organization),
        title=format_lazy(
            _("Paid: {tranche} of {title}, {amount} yuan"),
            tranche=str(disbursement.tranche),
            title=award.application.title,
            amount=yuan_text(disbursement.amount),
        ),
        link=_portal_award_link(award),
        actor=actor,
    )


def award_report_submitted_notify(report, *, actor):
    """Tell the fund managers of the award desk that an organization submitted
    a report."""
    award = report.award
    notify(
        NotificationKind.AWARD_REPORT_SUBMITTED,
        permission_holders(MANAGE_AWARDS),
        title=format_lazy(
            _("{kind} submitted by the organization: {award}"),
            kind=report.get_kind_display(),
            award=str(award),
        ),
        link=reverse("funding_award_desk", args=[award.pk]),
        actor=actor,
    )


def award_report_returned_notify(report, *, actor):
    """Tell the organization's users their report was returned, with the reason."""
    award = report.award
    notify(
        NotificationKind.REPORT_RETURNED,
        organization_people(award.application.organization),
        title=format_lazy(
            _("{kind} returned: {reason}"),
            kind=report.get_kind_display(),
            reason=report.return_reason,
        ),
        link=_portal_award_link(award),
        actor=actor,
    )


def report_deadline_reminders_send(*, today=None, days=REPORT_DUE_DAYS):
    """Remind the users of each organization whose award has a mid-term or final
    report due (`Award.midterm_due_on` / `final_due_on`) within `days` days of
    `today` (the local date by default; a due date in the past is not reminded)
    and not yet submitted or approved. Only projects under way (awarded, in
    progress, mid-term checked). Idempotent: one reminder per award, kind and due
    date (a moved date reminds again). Returns how many reminders were made."""
    from funding.choices import ApplicationStatus as S
    from funding.models import Award
    from funding.models.awards import ReportKind, ReportStatus

    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=days)
    under_way = (S.AWARDED, S.IN_PROGRESS, S.MIDTERM_CHECKED)
    made = 0
    for kind, field in (
        (ReportKind.MIDTERM, "midterm_due_on"),
        (ReportKind.FINAL, "final_due_on"),
    ):
        awards = Award.objects.filter(
            application__status__in=under_way,
            **{f"{field}__gte": today, f"{field}__lte": until},
        ).select_related("application__organization")
        for award in awards:
            if award.reports.filter(
                kind=kind, status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED]
            ).exists():
                continue
            due = getattr(award, field)
            made += len(
                notify(
                    NotificationKind.REPORT_DUE,
                    organization_people(award.application.organization),
                    title=format_lazy(
                        _("{kind} due on {day}: {title}"),
                        kind=kind.label,
                        day=due.isoformat(),
                        title=award.application.title,
                    ),
                    link=_portal_award_link(award),
                    key=f"report_due:{award.pk}:{kind}:{due.isoformat()}",
                )
            )
    return made
