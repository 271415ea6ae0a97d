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
