"""Reviewer assignment: automatic (balanced load, no conflicts) or by hand."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.fields import text_refusals
from funding.choices import ApplicationStatus, ReviewStatus
from funding.errors import FundingError
from funding.models import Application, DeclaredConflict, Review, ReviewerProfile
from funding.selectors.reviews import reviewers
from funding.services.applications import application_move
from funding.services.notifications import review_assigned_notify

ACTIVE_REVIEW = (ReviewStatus.ASSIGNED, ReviewStatus.DRAFT, ReviewStatus.SUBMITTED)


def conflict_reason(reviewer, application):
    """Why `reviewer` must not review `application`, or '' when there is no conflict.

    Declared: the reviewer declared a conflict with the organization (in advance, or
    回避 on an earlier assignment of this application). Detected: the reviewer works
    for the applicant, or for an organization with the same business supervisor, or
    the reviewer's work unit is the applicant's business supervisor.
    """
    return conflict_reasons([reviewer], application)[reviewer.pk]


def _detected_conflict(profile, org):
    """The detected conflict of the reviewer with `profile` (a ReviewerProfile with
    its organization loaded, or None) and the applicant `org`, or ''."""
    if profile is None:
        return ""
    if profile.organization_id and profile.organization_id == org.pk:
        return _("The reviewer works for the applicant.")
    supervisor = org.business_supervisor.strip()
    if supervisor:
        if (
            profile.organization_id
            and profile.organization.business_supervisor.strip() == supervisor
        ):
            return _(
                "The reviewer's organization has the same business supervisor "
                "(%(supervisor)s)."
            ) % {"supervisor": supervisor}
        if profile.work_unit.strip() == supervisor:
            return _("The reviewer's work unit is the applicant's business supervisor.")
    return ""


def conflict_reasons(candidates, application):
    """`conflict_reason` of each reviewer in `candidates` (a list of users) for
    `application`, in three queries: a dict {reviewer pk: reason or ''}."""
    org = application.organization
    pks = [r.pk for r in candidates]
    declared = {}
    for reviewer_id, reason in (
        DeclaredConflict.objects.filter(reviewer_id__in=pks, organization=org)
        .order_by("pk")
        .values_list("reviewer_id", "reason")
    ):
        declared.setdefault(reviewer_id, reason)
    earlier = {}
    for reviewer_id, reason in (
        Review.objects.filter(
            application=application,
            reviewer_id__in=pks,
            status=ReviewStatus.CONFLICT,
        )
        .order_by("pk")
        .values_list("reviewer_id", "conflict_reason")
    ):
        earlier.setdefault(reviewer_id, reason)
    profiles = {
        p.user_id: p
        for p in ReviewerProfile.objects.filter(user_id__in=pks).select_related(
            "organization"
        )
    }
    reasons = {}
    for pk in pks:
        if pk in declared:
            reason = _("Declared conflict: %(reason)s") % {"reason": declared[pk]}
        elif pk in earlier:
            reason = _("Declared conflict: %(reason)s") % {"reason": earlier[pk]}
        else:
            reason = _detected_conflict(profiles.get(pk), org)
        reasons[pk] = reason
    return reasons


def _load(call):
    """Active reviews per reviewer in this call (the load to balance)."""
    return dict(
        Review.objects.filter(application__call=call, status__in=ACTIVE_REVIEW)
        .values_list("reviewer")
        .annotate(n=Count("pk"))
    )


def _assign(application, reviewer, user):
    if Review.objects.filter(application=application, reviewer=reviewer).exists():
        raise FundingError(
            _("%(reviewer)s has already been assigned this application.")
            % {"reviewer": reviewer}
        )
    review = Review(application=application, reviewer=reviewer, assigned_by=user)
    if user is not None:
        review._history_user = user
    review.save()
    log(review, "funding.review_assigned", user=user)
    review_assigned_notify(review, actor=user)
    if application.status == ApplicationStatus.ELIGIBLE:
        application_move(application, ApplicationStatus.IN_REVIEW, user=user)
    return review


def _check_assignable(application):
    if application.status not in (
        ApplicationStatus.ELIGIBLE,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.REVIEWED,
    ):
        raise FundingError(
            _("Reviewers can be assigned only after the eligibility check passes.")
        )
    if application.call.review_closed:
        raise FundingError(_("The call's review is closed."))


@transaction.atomic
def review_assign(application, reviewer, *, user=None):
    """Assign a reviewer by hand; refused for a conflict or a double assignment."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_assignable(application)
    if not reviewers().filter(pk=reviewer.pk).exists():
        raise FundingError(_("%(user)s is not a grant reviewer.") % {"user": reviewer})
    reason = conflict_reason(reviewer, application)
    if reason:
        raise FundingError(
            _("%(reviewer)s cannot review this application. %(reason)s")
            % {"reviewer": reviewer, "reason": reason}
        )
    review = _assign(application, reviewer, user)
    if application.status == ApplicationStatus.REVIEWED:
        application_move(application, ApplicationStatus.IN_REVIEW, user=user)
    return review


def _fill(application, load, user, strict=True):
    """Assign reviewers with the lightest load until the call's number is reached."""
    call = application.call
    active = application.reviews.filter(status__in=ACTIVE_REVIEW).count()
    needed = call.reviewers_per_application - active
    if needed <= 0:
        return []
    taken = set(application.reviews.values_list("reviewer_id", flat=True))
    pool = list(reviewers().exclude(pk__in=taken).order_by("pk"))
    reasons = conflict_reasons(pool, application)
    candidates = [r for r in pool if not reasons[r.pk]]
    candidates.sort(key=lambda r: (load.get(r.pk, 0), r.pk))
    chosen = candidates[:needed]
    made = []
    for reviewer in chosen:
        made.append(_assign(application, reviewer, user))
        load[reviewer.pk] = load.get(reviewer.pk, 0) + 1
    if strict and len(chosen) < needed:
        raise FundingError(
            _(
                "Not enough reviewers without a conflict for “%(application)s”: "
                "%(needed)s needed, %(found)s found."
            )
            % {"application": application, "needed": needed, "found": len(chosen)}
        )
    return made


@transaction.atomic
def call_assign_reviewers(call, *, user=None):
    """Give every eligible application of the call its number of reviewers.

    Balanced: each slot goes to the reviewer with the fewest active reviews in
    this call so far (ties: the earliest account). All or nothing.
    """
    if call.review_closed:
        raise FundingError(_("The call's review is closed."))
    load = _load(call)
    made = []
    applications = (
        Application.objects.select_for_update()
        .filter(
            call=call,
            status__in=[ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW],
        )
        .order_by("pk")
    )
    for application in applications:
        made += _fill(application, load, user)
    return made


@transaction.atomic
def review_declare_conflict(review, reason, *, user):
    """回避: the reviewer steps aside; the application gets another reviewer.
    A `reason` longer than its column (255 characters) is refused whole
    (`core.fields.text_refusals`). Raises FundingError."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.reviewer_id != user.pk:
        raise FundingError(_("Only the assigned reviewer can declare a conflict."))
    if review.is_locked:
        raise FundingError(
            _("This review is “%(status)s” and can no longer change.")
            % {"status": review.get_status_display()}
        )
    if not reason.strip():
        raise FundingError(_("Give the reason for the conflict."))
    too_long = text_refusals(Review, conflict_reason=reason.strip())
    if too_long:
        raise FundingError(too_long)
    review.status = ReviewStatus.CONFLICT
    review.conflict_reason = reason.strip()
    review._change_reason = reason.strip()[:100]
    review._history_user = user
    review.save()
    review.scores.all().delete()
    log(review, "funding.review_conflict", user=user, data={"reason": reason})
    application = Application.objects.select_for_update().get(pk=review.application_id)
    # Replace the reviewer with the least-loaded one free of conflicts; when there is
    # nobody, the gap shows on the manager's call desk.
    made = _fill(application, _load(application.call), None, strict=False)
    return review, (made[0] if made else None)


@transaction.atomic
def review_withdraw(review, *, user, reason):
    """The manager takes an unsubmitted review back (e.g. the reviewer cannot be
    reached); it drops out of every average. Submitted reviews stay locked."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.is_locked:
        raise FundingError(
            _("This review is “%(status)s” and can no longer change.")
            % {"status": review.get_status_display()}
        )
    if not reason.strip():
        raise FundingError(_("Give the reason for withdrawing the review."))
    review.status = ReviewStatus.WITHDRAWN
    review._change_reason = reason.strip()[:100]
    review._history_user = user
    review.save()
    review.scores.all().delete()
    log(review, "funding.review_withdrawn", user=user, data={"reason": reason})
    return review


PENDING_REVIEW = (ReviewStatus.ASSIGNED, ReviewStatus.DRAFT)


@dataclass
class ConflictOutcome:
    """What recording a conflict did: reviews taken back (with their replacement
    or None), submitted reviews excluded from the results."""

    withdrawn: list = field(default_factory=list)  # [(review, replacement | None)]
    excluded: list = field(default_factory=list)  # [review]

    def __bool__(self):
        return bool(self.withdrawn or self.excluded)

    def message(self):
        """One sentence for the manager, or '' when nothing changed."""
        parts = []
        if self.withdrawn:
            replaced = sum(1 for _r, new in self.withdrawn if new is not None)
            parts.append(
                _(
                    "%(count)s pending review(s) withdrawn, %(replaced)s reassigned "
                    "to another reviewer"
                )
                % {"count": len(self.withdrawn), "replaced": replaced}
            )
        if self.excluded:
            parts.append(
                _(
                    "%(count)s submitted review(s) excluded from the averages, the "
                    "ranking and the funding line"
                )
                % {"count": len(self.excluded)}
            )
        if not parts:
            return ""
        return _("Conflict of interest applied: %(what)s.") % {"what": "；".join(parts)}


@transaction.atomic
def reviewer_conflicts_enforce(reviewer, *, user):
    """Apply every conflict `reviewer` now has to their reviews, at once.

    A conflict recorded after the assignment (a declared
    conflict added or changed by the fund manager, or a reviewer profile that now
    ties the reviewer to the applicant) takes effect immediately:
    - a pending review (assigned, draft) is taken back — status "conflict", the
      reason kept, its draft scores removed (kept in history) — and the
      application gets another reviewer without a conflict, by the assignment
      rules (`_fill`); if there is nobody, the call desk shows the gap;
    - a submitted review is excluded: status "excluded", scores and total kept,
      the reason and the time recorded; it leaves every mean, trimmed mean,
      normalisation, spread flag, the ranking and the funding line
      (`ranking.call_results` counts submitted reviews only). When the
      application is still in review it also gets a replacement; a reviewed one
      keeps its ranking on the reviews left and the desk shows it is short — the
      manager may add a reviewer by hand.
    Returns a ConflictOutcome. Locks each review, then its application (the
    order `review_submit` uses).
    """
    outcome = ConflictOutcome()
    ids = list(
        Review.objects.filter(reviewer=reviewer, status__in=ACTIVE_REVIEW)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        review = (
            Review.objects.select_for_update()
            .select_related("application__organization", "application__call")
            .get(pk=pk)
        )
        if review.status not in ACTIVE_REVIEW:
            continue
        reason = conflict_reason(reviewer, review.application)
        if not reason:
            continue
        review.conflict_reason = reason[:255]
        review._change_reason = reason[:100]
        review._history_user = user
        application = Application.objects.select_for_update().get(
            pk=review.application_id
        )
        if review.status in PENDING_REVIEW:
            review.status = ReviewStatus.CONFLICT
            review.save()
            for score in review.scores.all():
                score._history_user = user
                score.delete()
            log(
                review,
                "funding.review_conflict",
                user=user,
                data={"reason": reason, "recorded_by_manager": True},
            )
            outcome.withdrawn.append((review, _replace(application, user)))
        else:
            review.status = ReviewStatus.EXCLUDED
            review.excluded_at = timezone.now()
            review.save()
            log(review, "funding.review_excluded", user=user, data={"reason": reason})
            if application.status == ApplicationStatus.IN_REVIEW:
                _replace(application, user)
            outcome.excluded.append(review)
    return outcome


def _replace(application, user):
    """Another reviewer for an application that lost one, or None (the desk then
    shows it short of reviewers)."""
    if application.call.review_closed or application.status not in (
        ApplicationStatus.ELIGIBLE,
        ApplicationStatus.IN_REVIEW,
    ):
        return None
    made = _fill(application, _load(application.call), user, strict=False)
    return made[0] if made else None


@transaction.atomic
def conflict_record(*, reviewer, organization, reason, user):
    """The fund manager records a conflict of interest (回避) between a reviewer
    and an organization; it takes effect at once (`reviewer_conflicts_enforce`).

    Returns (DeclaredConflict, ConflictOutcome). Raises FundingError without a
    reason. Recording the same pair again updates the reason.
    """
    if not (reason or "").strip():
        raise FundingError(_("Give the reason for the conflict."))
    conflict, _created = DeclaredConflict.objects.update_or_create(
        reviewer=reviewer, organization=organization, defaults={"reason": reason}
    )
    return conflict, reviewer_conflicts_enforce(reviewer, user=user)
