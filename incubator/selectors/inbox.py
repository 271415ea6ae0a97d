"""The incubation tasks of the dashboard inbox: an operator's applications to admit
and overdue milestones, an assessor's assessments awaiting their scores
(`core.inbox.Task`)."""

from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from core.inbox import Task, TaskItem
from incubator.models import AssessmentCriterion, AssessmentScore, Milestone, Residency
from incubator.models.residencies import Stage
from incubator.permissions import assessments_assigned_to, bases_operated_by

#: How many records a task reads for its list (core.inbox shows up to 5).
ITEMS = 5


def operator_tasks(user, today):
    """For the bases `user` may act on (`bases_operated_by`): residencies applied
    and waiting to be admitted (入驻申请, the stage move screen), and milestones of
    active residencies past their due date and not done (the board; each item
    opens its residency page), the earliest due date first."""
    bases = bases_operated_by(user)
    applied = (
        Residency.objects.filter(base__in=bases, stage=Stage.APPLIED)
        .select_related("organization")
        .order_by("pk")
    )
    applied_rows = list(applied[:ITEMS])
    late = (
        Milestone.objects.overdue(today)
        .filter(residency__base__in=bases, residency__stage__in=Residency.ACTIVE)
        .select_related("residency__organization")
        .order_by("due_on", "pk")
    )
    late_rows = list(late[:ITEMS])
    return [
        Task(
            label=_("Applications to admit"),
            count=applied.count(),
            url=f"{reverse('wagtailsnippets_incubator_residency:list')}"
            f"?stage={Stage.APPLIED}",
            items=tuple(
                TaskItem(
                    str(r.organization),
                    reverse("incubator_residency_move", args=[r.pk]),
                )
                for r in applied_rows
            ),
        ),
        Task(
            label=_("Overdue milestones"),
            count=late.count(),
            url=reverse("incubator_board"),
            due=late_rows[0].due_on if late_rows else None,
            items=tuple(
                TaskItem(
                    f"{m.residency.organization} · {m.title}",
                    reverse("incubator_residency_page", args=[m.residency_id]),
                    m.due_on,
                )
                for m in late_rows
            ),
        ),
    ]


def assessor_tasks(user, today):
    """Graduation assessments naming `user` as an assessor
    (`assessments_assigned_to`), not concluded, where they have not yet scored
    every criterion of the base's rubric: one task, the assessment date as its
    due date, each assessment linking to its scoring screen."""
    criteria = (
        AssessmentCriterion.objects.filter(base=OuterRef("residency__base"))
        .values("base")
        .annotate(n=Count("pk"))
        .values("n")
    )
    mine = (
        AssessmentScore.objects.filter(assessment=OuterRef("pk"), assessor=user)
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    waiting = (
        assessments_assigned_to(user)
        .filter(concluded_at__isnull=True)
        .annotate(
            needed=Coalesce(Subquery(criteria, output_field=IntegerField()), 0),
            scored=Coalesce(Subquery(mine, output_field=IntegerField()), 0),
        )
        .filter(scored__lt=F("needed"))
        .select_related("residency__organization")
        .order_by("held_on", "pk")
    )
    rows = list(waiting[:ITEMS])
    return [
        Task(
            label=_("Assessments awaiting my scores"),
            count=waiting.count(),
            url=reverse("incubator_assessment_score", args=[rows[0].pk])
            if rows
            else "",
            due=rows[0].held_on if rows else None,
            items=tuple(
                TaskItem(
                    str(a.residency.organization),
                    reverse("incubator_assessment_score", args=[a.pk]),
                    a.held_on,
                )
                for a in rows
            ),
        )
    ]


def account_tasks(user, today):
    """Milestones organizations marked done, waiting for this operator
    (`claims_waiting`), and, for whoever decides them, the pending account
    requests (机构账号申请), oldest first."""
    from incubator.models import AccountRequest, AccountRequestStatus
    from incubator.selectors.portal import claims_waiting

    claims = claims_waiting(user)
    claim_rows = list(claims[:ITEMS])
    found = [
        Task(
            label=_("Milestones to confirm"),
            count=claims.count(),
            url=reverse("incubator_milestone_claim_decide", args=[claim_rows[0].pk])
            if claim_rows
            else "",
            items=tuple(
                TaskItem(
                    f"{c.milestone.residency.organization} · {c.milestone.title}",
                    reverse("incubator_milestone_claim_decide", args=[c.pk]),
                )
                for c in claim_rows
            ),
        )
    ]
    if user.has_perm("incubator.change_accountrequest"):
        pending = AccountRequest.objects.filter(
            status=AccountRequestStatus.PENDING
        ).order_by("created_at")
        rows = list(pending[:ITEMS])
        found.append(
            Task(
                label=_("Organization account requests"),
                count=pending.count(),
                url=reverse("incubator_account_requests"),
                items=tuple(
                    TaskItem(
                        r.organization_name,
                        reverse("incubator_account_request", args=[r.pk]),
                    )
                    for r in rows
                ),
            )
        )
    return found


def tasks(user, today):
    """Every incubation task of `user` (the `core.inbox.INBOX_HOOK` provider)."""
    return [
        *operator_tasks(user, today),
        *assessor_tasks(user, today),
        *account_tasks(user, today),
    ]
