"""What each bulk or irreversible funding action will do, read before it is done:
closing a call's review, deciding by the funding line, closing a public notice,
approving/paying/rejecting a payment, completing or terminating an award, submitting
a review. Each returns a `core.confirmations.Confirmation` (summary, refusal, and
the facts its token is computed from); the services stay the place of the rules."""

from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.confirmations import Confirmation, money_summary
from core.money import yuan_text
from core.people import display_name
from funding.choices import (
    ApplicationStatus,
    LineOutcome,
    Recommendation,
    ReviewStatus,
)
from funding.models import Review
from funding.models.awards import (
    Disbursement,
    DisbursementStatus,
    ObjectionStatus,
    ReportKind,
)
from funding.models.purchases import PurchasePayment
from funding.selectors.results import line_outdated_by
from funding.services.notices import working_days_end

#: Reviews that closing the review withdraws (`call_close_review`).
OUTSTANDING = [ReviewStatus.ASSIGNED, ReviewStatus.DRAFT]

S = ApplicationStatus


def review_close_confirmation(call):
    """Closing the review of `call` (`funding.services.reviews.call_close_review`):
    the outstanding reviews it withdraws (assigned or draft, of applications in
    review), the applications then left with fewer submitted reviews than the call
    requires (`reviewers_per_application`), how many become reviewed and how many
    stay in review with none. Refused when the review is already closed."""
    required = call.reviewers_per_application
    applications = list(
        call.applications.filter(status=S.IN_REVIEW)
        .select_related("organization")
        .annotate(
            submitted=Count(
                "reviews", filter=Q(reviews__status=ReviewStatus.SUBMITTED)
            ),
            outstanding=Count("reviews", filter=Q(reviews__status__in=OUTSTANDING)),
        )
        .order_by("pk")
    )
    outstanding = list(
        Review.objects.filter(
            application__call=call,
            application__status=S.IN_REVIEW,
            status__in=OUTSTANDING,
        )
        .order_by("pk")
        .values_list("pk", "status", "reviewer_id")
    )
    drafts = sum(1 for _pk, status, _r in outstanding if status == ReviewStatus.DRAFT)
    short = [a for a in applications if a.outstanding and a.submitted < required]
    reviewed = sum(1 for a in applications if a.submitted)
    lines = [
        _(
            "%(count)s unsubmitted reviews will be withdrawn (%(drafts)s of them drafts)."
        )
        % {"count": len(outstanding), "drafts": drafts},
        _(
            "%(count)s applications will be left with fewer than the %(required)s "
            "reviews required."
        )
        % {"count": len(short), "required": required},
        _(
            "%(reviewed)s applications become reviewed; %(none)s without any submitted "
            "review stay in review."
        )
        % {"reviewed": reviewed, "none": len(applications) - reviewed},
        _("After closing, reviewers see each other's scores. This cannot be undone."),
    ]
    return Confirmation(
        action=_("Close the review"),
        subject=str(call),
        lines=lines,
        headings=(_("Application"), _("Submitted reviews"), _("To withdraw")),
        rows=[
            (
                str(a),
                _("%(n)s of %(required)s") % {"n": a.submitted, "required": required},
                a.outstanding,
            )
            for a in short
        ],
        facts={
            "closed": str(call.review_closed_at or ""),
            "reviews": outstanding,
            "applications": [(a.pk, a.submitted) for a in applications],
        },
        refusal=_("The call's review is already closed.") if call.review_closed else "",
        serious=True,
    )


def funding_line_apply_confirmation(line):
    """Deciding the applications of `line` (`funding_line_apply`): how many are
    approved above the line and their total in 元 and 万元, how many rejected below
    it, each with its rank and amount. Only applications still awaiting a decision
    (reviewed) count: those are the ones the service decides. Refused when a review
    was excluded after the line was drawn, or when nothing awaits a decision."""
    entries = [
        e
        for e in line.entries.select_related("application__organization").order_by(
            "rank", "pk"
        )
        if e.application.status == S.REVIEWED
    ]
    above = [
        e for e in entries if e.outcome in (LineOutcome.FUNDED, LineOutcome.REDUCED)
    ]
    below = [e for e in entries if e not in above]
    total = sum((e.proposed_amount or Decimal(0) for e in above), Decimal(0))
    refusal = ""
    if line_outdated_by(line).exists():
        refusal = _(
            "A review was excluded for a conflict of interest after this funding "
            "line was drawn: draw the line again before deciding."
        )
    elif not entries:
        refusal = _("No application of this funding line awaits a decision.")
    return Confirmation(
        action=_("Approve above the line and reject below it"),
        subject=str(line.call),
        lines=[
            _("%(count)s applications will be approved, %(total)s in all.")
            % {"count": len(above), "total": money_summary(total)},
            _("%(count)s applications will be rejected as below the funding line.")
            % {"count": len(below)},
            _("Each decision is recorded at once and cannot be undone here."),
        ],
        headings=(_("Rank"), _("Application"), _("Outcome"), _("Amount (yuan)")),
        rows=[
            (
                e.rank,
                str(e.application),
                e.get_outcome_display(),
                yuan_text(e.proposed_amount) if e in above else "—",
            )
            for e in entries
        ],
        facts={
            "line": line.pk,
            "drawn": str(line.drawn_at),
            "entries": [
                (e.application_id, e.outcome, str(e.proposed_amount)) for e in entries
            ],
        },
        refusal=refusal,
        serious=True,
    )


def notice_close_confirmation(notice, *, on=None):
    """Closing the public notice (`notice_close`): the awards made now (count and
    total) and those held by an open objection. Refused when already closed or
    before the notice period has run (`on`, default today)."""
    on = on or timezone.localdate()
    awards = list(
        notice.awards.filter(application__status=S.IN_PUBLIC_NOTICE)
        .select_related("application__organization")
        .annotate(
            open_objections=Count(
                "objections", filter=Q(objections__status=ObjectionStatus.OPEN)
            )
        )
        .order_by("pk")
    )
    made = [a for a in awards if not a.open_objections]
    held = [a for a in awards if a.open_objections]
    refusal = ""
    if notice.closed_on:
        refusal = _("This notice is already closed.")
    elif on <= notice.ends_on:
        refusal = _(
            "The notice period runs until %(end)s; it can be closed after that."
        ) % {"end": notice.ends_on}
    return Confirmation(
        action=_("Close the notice"),
        subject=str(notice),
        lines=[
            _("%(count)s awards will be made, %(total)s in all.")
            % {
                "count": len(made),
                "total": money_summary(sum((a.approved_amount for a in made), 0)),
            },
            _("%(count)s stay held by an open objection until it is resolved.")
            % {"count": len(held)},
        ],
        headings=(_("Award"), _("Amount (yuan)"), _("Outcome")),
        rows=[
            (
                str(a),
                yuan_text(a.approved_amount),
                _("Held by an objection") if a.open_objections else _("Awarded"),
            )
            for a in awards
        ],
        facts={
            "closed": str(notice.closed_on or ""),
            "awards": [
                (a.pk, a.open_objections, str(a.approved_amount)) for a in awards
            ],
        },
        refusal=refusal,
    )


def _payment_parts(payment):
    """(payee, what it pays for, the total it is part of, paid so far)."""
    if isinstance(payment, Disbursement):
        award = payment.tranche.award
        return (
            award.application.organization.name,
            f"{award} · {payment.tranche}",
            award.approved_amount,
            award.paid_total,
        )
    purchase = payment.purchase
    return (
        purchase.supplier_display,
        f"{purchase} · {payment.instalment}",
        purchase.contract_amount,
        purchase.paid_total,
    )


def payment_confirmation(payment, step, *, action, refusal=""):
    """Approving (fund manager), paying (finance) or rejecting a disbursement or a
    purchase payment: who gets paid what, for which tranche or instalment, and what
    was paid before. `step` is "approve", "pay" or "reject"; `action` the title;
    `refusal` the reason the user may not take the step now
    (`funding.permissions.payment_next_step`)."""
    payee, purpose, total, paid = _payment_parts(payment)
    if step == "reject":
        outcome = _("The payment will be rejected; the reason is kept with it.")
    elif step == "pay":
        outcome = _("The payment will be recorded as paid today.")
    else:
        outcome = _("The payment will await finance's approval and payment.")
    if payment.status == DisbursementStatus.REJECTED and not refusal:
        refusal = _("This payment is “%(s)s”: nothing to do here now.") % {
            "s": payment.get_status_display()
        }
    return Confirmation(
        action=action,
        subject=purpose,
        lines=[
            _("Payee: %(payee)s.") % {"payee": payee},
            _("Amount: %(amount)s.") % {"amount": money_summary(payment.amount)},
            _("Paid before: %(paid)s of %(total)s.")
            % {"paid": money_summary(paid), "total": money_summary(total)},
            outcome,
        ],
        facts={
            "kind": "purchase" if isinstance(payment, PurchasePayment) else "award",
            "pk": payment.pk,
            "step": step,
            "status": payment.status,
            "amount": str(payment.amount),
        },
        refusal=refusal,
        serious=step == "reject",
        ask_reason=step == "reject",
    )


def _unpaid(award):
    return Disbursement.objects.filter(
        tranche__award=award,
        status__in=[DisbursementStatus.RECORDED, DisbursementStatus.APPROVED],
    ).order_by("pk")


def award_terminate_confirmation(award):
    """Terminating `award` (`award_terminate`): what was paid (kept on record), the
    unpaid disbursements rejected with it, and the approved money never paid.
    Refused once the award is completed or terminated."""
    unpaid = list(_unpaid(award).select_related("tranche"))
    paid = award.paid_total
    refusal = ""
    if award.application.status in (S.TERMINATED, S.COMPLETED):
        refusal = _("The award is “%(s)s”: it cannot be terminated.") % {
            "s": award.get_status_display()
        }
    return Confirmation(
        action=_("Terminate"),
        subject=str(award),
        lines=[
            _("Paid so far: %(paid)s of %(total)s; it stays on record.")
            % {
                "paid": money_summary(paid),
                "total": money_summary(award.approved_amount),
            },
            _("%(count)s unpaid disbursements will be rejected, %(total)s in all.")
            % {
                "count": len(unpaid),
                "total": money_summary(sum((d.amount for d in unpaid), 0)),
            },
            _("%(rest)s of the award will never be paid. This cannot be undone.")
            % {"rest": money_summary(award.approved_amount - paid)},
        ],
        headings=(_("Tranche"), _("Amount (yuan)"), _("Status")),
        rows=[
            (str(d.tranche), yuan_text(d.amount), d.get_status_display())
            for d in unpaid
        ],
        facts={
            "status": award.application.status,
            "paid": str(paid),
            "unpaid": [(d.pk, d.status, str(d.amount)) for d in unpaid],
        },
        refusal=refusal,
        serious=True,
        ask_reason=True,
    )


def award_complete_confirmation(award):
    """Accepting `award` as completed (结项验收, `award_complete`): the money paid
    and not paid, and the unpaid disbursements still pending. Refused without an
    approved final report, or when the award is already completed or terminated."""
    paid = award.paid_total
    unpaid = list(_unpaid(award))
    refusal = ""
    if award.application.status in (S.TERMINATED, S.COMPLETED):
        refusal = _("The award is “%(s)s”: nothing more can be done.") % {
            "s": award.get_status_display()
        }
    elif not award.reports.filter(
        kind=ReportKind.FINAL, approved_on__isnull=False
    ).exists():
        refusal = _("The project can be completed once its final report is approved.")
    return Confirmation(
        action=_("Complete (结项验收)"),
        subject=str(award),
        lines=[
            _("Paid: %(paid)s of %(total)s.")
            % {
                "paid": money_summary(paid),
                "total": money_summary(award.approved_amount),
            },
            _("%(count)s disbursements are still pending.") % {"count": len(unpaid)},
            _("The project is closed as completed. This cannot be undone."),
        ],
        facts={
            "status": award.application.status,
            "paid": str(paid),
            "unpaid": [(d.pk, d.status) for d in unpaid],
            "final": list(
                award.reports.filter(kind=ReportKind.FINAL)
                .order_by("pk")
                .values_list("pk", "approved_on")
            ),
        },
        refusal=refusal,
    )


def review_submit_confirmation(review, *, subject, total, recommendation, scores):
    """Submitting `review` (`review_submit`), after the scores passed its checks:
    the total it will carry (`total`, out of 100, or None), the recommendation and
    that the review is then locked. `subject`: the application as the reviewer
    sees it (blind review hides the applicant). `scores` are the posted values (part of the
    token: a change of any score asks again)."""
    other = Review.objects.filter(
        application=review.application, status=ReviewStatus.SUBMITTED
    ).count()
    refusal = ""
    if review.status not in OUTSTANDING:
        refusal = _(
            "This review is “%(status)s” and is locked: nobody can change it."
        ) % {"status": review.get_status_display()}
    elif review.application.call.review_closed:
        refusal = _("The call's review is closed.")
    return Confirmation(
        action=_("Submit the review"),
        subject=subject,
        lines=[
            _("Total score: %(total)s.") % {"total": "—" if total is None else total},
            _("Recommendation: %(r)s.")
            % {"r": dict(Recommendation.choices).get(recommendation, "—")},
            _("%(count)s other reviews of this application are submitted.")
            % {"count": other},
            _("Once submitted the review is locked: nobody can change it."),
        ],
        facts={
            "status": review.status,
            "scores": scores,
            "recommendation": recommendation,
        },
        refusal=refusal,
    )


def review_withdraw_confirmation(review):
    """Taking one unsubmitted review back by hand (`review_withdraw`): whose, the
    scores of its draft that are deleted, and the submitted reviews the application
    keeps against the number the call requires. Refused once it is locked."""
    application = review.application
    required = application.call.reviewers_per_application
    submitted = application.reviews.filter(status=ReviewStatus.SUBMITTED).count()
    scores = review.scores.count()
    refusal = ""
    if review.is_locked:
        refusal = _("This review is “%(status)s” and can no longer change.") % {
            "status": review.get_status_display()
        }
    return Confirmation(
        action=_("Withdraw"),
        subject=str(application),
        lines=[
            _("The review of %(reviewer)s (%(status)s) will be withdrawn.")
            % {
                "reviewer": display_name(review.reviewer),
                "status": review.get_status_display(),
            },
            _("%(count)s saved scores of it will be deleted.") % {"count": scores},
            _(
                "The application keeps %(n)s submitted reviews of the %(required)s required."
            )
            % {"n": submitted, "required": required},
        ],
        facts={"status": review.status, "scores": scores, "submitted": submitted},
        refusal=refusal,
        serious=True,
        ask_reason=True,
    )


def notice_publish_confirmation(call, *, starts_on, working_days):
    """Publishing a public notice of `call` (`notice_publish`): the approved
    applications it puts on notice, their total in 元 and 万元, and the notice
    period (`starts_on`, `working_days` working days, its end by
    `funding.services.notices.working_days_end`). Refused (the service says why,
    on the form) when no application is approved or the period has no working
    day."""
    applications = list(
        call.applications.filter(status=S.APPROVED)
        .select_related("organization")
        .order_by("pk")
    )
    total = sum((a.approved_amount or Decimal(0) for a in applications), Decimal(0))
    days = int(working_days or 0)
    ends_on = working_days_end(starts_on, days) if days > 0 and starts_on else None
    return Confirmation(
        action=_("Publish the notice"),
        subject=str(call),
        lines=[
            _("%(count)s approved applications go on public notice, %(total)s in all.")
            % {"count": len(applications), "total": money_summary(total)},
            _("The notice runs from %(start)s to %(end)s (%(days)s working days).")
            % {"start": starts_on, "end": ends_on, "days": working_days},
            _("Until it is closed, each of them can receive objections."),
        ],
        headings=(_("Application"), _("Amount (yuan)")),
        rows=[(str(a), yuan_text(a.approved_amount)) for a in applications],
        facts={
            "applications": [(a.pk, str(a.approved_amount)) for a in applications],
            "starts_on": str(starts_on),
            "working_days": days,
        },
        refusal="" if applications and ends_on else "refused by notice_publish",
    )
