"""The funding tasks of the dashboard inbox: a reviewer's pending reviews, a fund
manager's calls closing, overdue reviews, open objections, notices ending and
payments to approve, finance's payments to pay (`core.inbox.Task`)."""

import datetime
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from core.inbox import Task, TaskItem
from funding.choices import PENDING_REVIEW, ReviewStatus
from funding.models import (
    Award,
    Call,
    Disbursement,
    PublicNotice,
    PurchasePayment,
    Review,
)
from funding.models.awards import DisbursementStatus, ObjectionStatus
from funding.permissions import (
    APPROVE_DISBURSEMENT,
    APPROVE_PURCHASE,
    MANAGE,
    MANAGE_AWARDS,
    PAY_DISBURSEMENT,
    PAY_PURCHASE,
    SCORE,
    reviews_open_to,
)

#: A call closing within this many days is on the fund manager's inbox.
CALL_CLOSING_DAYS = 7

#: A public notice ending within this many days (or ended, not yet closed) is on it.
NOTICE_ENDING_DAYS = 3

#: How many records a task reads for its list (core.inbox shows up to 5).
ITEMS = 5


def reviewer_tasks(user, today):
    """A reviewer's pending reviews, one task per call whose review is still open:
    待评审 n (assigned or draft, openable by them: `reviews_open_to`), the call's
    review deadline, and 已评 n/m (submitted of the call's open-to-them reviews).
    Sorted by deadline; linked to 我的评审 (pending first). One query."""
    if not user.has_perm(SCORE):
        return []
    rows = (
        reviews_open_to(user)
        .filter(application__call__review_closed_at__isnull=True)
        .values(
            "application__call_id",
            "application__call__name",
            "application__call__review_due_on",
        )
        .annotate(
            pending=Count("pk", filter=Q(status__in=PENDING_REVIEW)),
            done=Count("pk", filter=Q(status=ReviewStatus.SUBMITTED)),
        )
        .filter(pending__gt=0)
        .order_by("application__call__review_due_on", "application__call_id")
    )
    url = reverse("funding_my_reviews")
    return [
        Task(
            label=_("Reviews to do"),
            count=row["pending"],
            url=url,
            due=row["application__call__review_due_on"],
            note=_("Reviewed %(done)s/%(total)s · %(call)s")
            % {
                "done": row["done"],
                "total": row["done"] + row["pending"],
                "call": row["application__call__name"],
            },
        )
        for row in rows
    ]


def fund_manager_tasks(user, today):
    """What waits for a fund manager, each gated by the permission of its screen:
    calls closing within `CALL_CLOSING_DAYS` (the call desk), reviews still open
    after their call's review deadline (the call desk), open objections (the
    award desk), public notices ending within `NOTICE_ENDING_DAYS` or ended and
    not closed (closing the notice), award disbursements and purchase payments
    recorded by someone else and waiting for approval (separation of duties:
    the recorder never approves), with their total in 元.

    Funds have no owner in the model: a fund manager oversees every fund (the
    permissions of `core.roles.FUND_MANAGER`), so every call counts."""
    tasks = []
    if user.has_perm(MANAGE):
        tasks += [_calls_closing(today), _overdue_reviews(today)]
    if user.has_perm(MANAGE_AWARDS):
        tasks.append(_open_objections())
    if user.has_perm("funding.change_publicnotice"):
        tasks.append(_notices_ending(today))
    if user.has_perm(APPROVE_DISBURSEMENT):
        tasks.append(
            _payments(
                Disbursement.objects.filter(status=DisbursementStatus.RECORDED).exclude(
                    recorded_by=user
                ),
                _("Disbursements to approve"),
                "approve",
            )
        )
    if user.has_perm(APPROVE_PURCHASE):
        tasks.append(
            _payments(
                PurchasePayment.objects.filter(
                    status=DisbursementStatus.RECORDED
                ).exclude(recorded_by=user),
                _("Purchase payments to approve"),
                "approve",
            )
        )
    return tasks


def finance_tasks(user, today):
    """What waits for finance: award disbursements and purchase payments approved
    by a fund manager and not yet paid, that this user may pay (not recorded or
    approved by them: three different people), with their total in 元."""
    tasks = []
    if user.has_perm(PAY_DISBURSEMENT):
        tasks.append(
            _payments(
                Disbursement.objects.filter(status=DisbursementStatus.APPROVED)
                .exclude(recorded_by=user)
                .exclude(approved_by=user),
                _("Disbursements to pay"),
                "pay",
            )
        )
    if user.has_perm(PAY_PURCHASE):
        tasks.append(
            _payments(
                PurchasePayment.objects.filter(status=DisbursementStatus.APPROVED)
                .exclude(recorded_by=user)
                .exclude(approved_by=user),
                _("Purchase payments to pay"),
                "pay",
            )
        )
    return tasks


def tasks(user, today):
    """Every funding task of `user` (the `core.inbox.INBOX_HOOK` provider)."""
    return [
        *reviewer_tasks(user, today),
        *fund_manager_tasks(user, today),
        *finance_tasks(user, today),
    ]


def _payments(payments, label, step):
    """A payments task, linked to its group ("approve" or "pay") on the payments
    desk (`funding.views.finance`)."""
    totals = payments.aggregate(count=Count("pk"), total=Sum("amount"))
    return Task(
        label=label,
        count=totals["count"],
        url=f"{reverse('funding_finance_desk')}#desk-{step}",
        amount=totals["total"] or Decimal("0"),
    )


def _calls_closing(today):
    calls = Call.objects.filter(
        opens_on__lte=today,
        closes_on__gte=today,
        closes_on__lte=today + datetime.timedelta(days=CALL_CLOSING_DAYS),
    ).order_by("closes_on", "pk")
    found = list(calls[:ITEMS])
    return Task(
        label=_("Calls closing"),
        count=calls.count(),
        url=reverse("funding_calls"),
        due=found[0].closes_on if found else None,
        items=tuple(
            TaskItem(c.name, reverse("funding_call_desk", args=[c.pk]), c.closes_on)
            for c in found
        ),
    )


def _overdue_reviews(today):
    rows = list(
        Review.objects.filter(
            status__in=PENDING_REVIEW,
            application__call__review_closed_at__isnull=True,
            application__call__review_due_on__lt=today,
        )
        .values(
            "application__call_id",
            "application__call__name",
            "application__call__review_due_on",
        )
        .annotate(n=Count("pk"))
        .order_by("application__call__review_due_on", "application__call_id")
    )
    return Task(
        label=_("Overdue reviews"),
        count=sum(row["n"] for row in rows),
        # one call: straight to its desk (where reviewers are chased or replaced)
        url=reverse("funding_call_desk", args=[rows[0]["application__call_id"]])
        if len(rows) == 1
        else reverse("funding_calls"),
        due=rows[0]["application__call__review_due_on"] if rows else None,
        items=tuple(
            TaskItem(
                _("%(call)s: %(n)s")
                % {"call": r["application__call__name"], "n": r["n"]},
                reverse("funding_call_desk", args=[r["application__call_id"]]),
                r["application__call__review_due_on"],
            )
            for r in rows[:ITEMS]
        ),
    )


def _open_objections():
    # the filter and the counts share one join: only open objections count
    rows = list(
        Award.objects.filter(objections__status=ObjectionStatus.OPEN)
        .annotate(n=Count("objections"), first=Min("objections__received_on"))
        .values("pk", "application__title", "n", "first")
        .order_by("first", "pk")
    )
    return Task(
        label=_("Open objections"),
        count=sum(row["n"] for row in rows),
        url=reverse("wagtailsnippets_funding_award:list"),
        items=tuple(
            TaskItem(
                row["application__title"],
                reverse("funding_award_desk", args=[row["pk"]]),
                row["first"],
            )
            for row in rows[:ITEMS]
        ),
    )


def _notices_ending(today):
    notices = PublicNotice.objects.filter(
        closed_on__isnull=True,
        ends_on__lte=today + datetime.timedelta(days=NOTICE_ENDING_DAYS),
    ).order_by("ends_on", "pk")
    found = list(notices.values("pk", "title", "ends_on")[:ITEMS])
    return Task(
        label=_("Public notices ending"),
        count=notices.count(),
        url=reverse("wagtailsnippets_funding_publicnotice:list"),
        due=found[0]["ends_on"] if found else None,
        items=tuple(
            TaskItem(
                row["title"],
                # a notice is closed the day after it ends (funding.services.notices)
                reverse("funding_notice_close", args=[row["pk"]])
                if row["ends_on"] < today
                else reverse("wagtailsnippets_funding_publicnotice:list"),
                row["ends_on"],
            )
            for row in found
        ),
    )
