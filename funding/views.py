"""Admin screens of the funding work: the fund manager's call desk and decisions,
the reviewer's list of assignments and scoring screen.

Every view checks the role on the server; a reviewer's views only ever load the
reviewer's own reviews (`reviews_for(user)`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.uploads import file_response
from funding.choices import (
    ApplicationStatus,
    Recommendation,
    ReviewStatus,
    ShortfallRule,
)
from funding.errors import FundingError
from funding.exports import ranking_workbook, reviewer_workbook
from funding.lifecycle import application_move
from funding.models import Application, Call, FundingLine, Review
from funding.selectors import FINAL, review_rows
from funding.services.aggregation import TRIM_MIN_REVIEWS, Z_MIN_REVIEWS
from funding.services.assignment import (
    ACTIVE_REVIEW,
    call_assign_reviewers,
    conflict_reason,
    review_assign,
    review_declare_conflict,
    review_withdraw,
    reviewers,
    reviews_for,
    reviews_open_to,
)
from funding.services.eligibility import (
    application_submit,
    call_check_eligibility,
)
from funding.services.ranking import (
    application_approve,
    application_reject,
    call_results,
    funding_line_apply,
    funding_line_draw,
    line_outdated_by,
)
from funding.services.reviews import (
    call_close_review,
    review_save_draft,
    review_submit,
)
from funding.visibility import (
    applicant_name,
    attachment_name,
    reviewer_view,
    title_for_reviewer,
)

MANAGE = "funding.change_application"
SCORE = "funding.score_review"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def posted_object(queryset, value):
    """The object a posted id names; 404 for an id that is missing, not a number or
    not in the queryset (a tampered form, never a server error)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(queryset, pk=pk)


def _error_text(exc):
    if hasattr(exc, "error_dict"):
        return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


class PermissionView(WagtailAdminTemplateMixin, TemplateView):
    permission = MANAGE
    parent_url_name = None
    parent_label = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_parent(self):
        """(url, label) of the screen this one belongs to, or None."""
        return None

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        parent = self.get_parent()
        if parent:
            items.append({"url": parent[0], "label": parent[1]})
        items.append({"url": "", "label": self.get_page_title()})
        return items

    def get_header_title(self):
        subtitle = self.get_page_subtitle()
        title = self.get_page_title()
        return f"{title}: {subtitle}" if subtitle else title


class CallListView(PermissionView):
    template_name = "funding/call_list.html"
    page_title = gettext_lazy("Review and awards")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["calls"] = Call.objects.select_related("fund")
        return context


APPLICATIONS_PER_PAGE = 50


class CallDeskView(PermissionView):
    """Everything a fund manager does with one call, on one screen."""

    template_name = "funding/call_desk.html"
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        self.call = get_object_or_404(Call, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.call)

    def get_parent(self):
        return reverse("funding_calls"), _("Review and awards")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.call
        applications = (
            call.applications.select_related("organization")
            .prefetch_related("reviews__reviewer")
            .annotate(
                active_reviews=Count(
                    "reviews", filter=Q(reviews__status__in=ACTIVE_REVIEW)
                ),
                excluded_reviews=Count(
                    "reviews", filter=Q(reviews__status=ReviewStatus.EXCLUDED)
                ),
            )
            .order_by("pk")
        )
        results, fallback = call_results(call)
        line = call.funding_lines.first()
        # The ranking and the line are read whole (and exported); the applications
        # with their action forms are paged, so a call with thousands stays quick.
        page = Paginator(applications, APPLICATIONS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            call=call,
            applications=page,
            results=results,
            fallback_count=len(fallback),
            line=line,
            line_entries=line.entries.select_related("application") if line else [],
            rules=ShortfallRule.choices,
            statuses=ApplicationStatus,
            trim_min=TRIM_MIN_REVIEWS,
            z_min=Z_MIN_REVIEWS,
            in_review=applications.filter(status=ApplicationStatus.IN_REVIEW).count(),
            reviewing_statuses=[
                ApplicationStatus.IN_REVIEW,
                ApplicationStatus.REVIEWED,
            ],
            line_outdated=line is not None and line_outdated_by(line).exists(),
            excluded_total=Review.objects.filter(
                application__call=call, status=ReviewStatus.EXCLUDED
            ).count(),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        call = self.call
        user = request.user
        try:
            if action == "check":
                passed, failed = call_check_eligibility(call, user=user)
                messages.success(
                    request,
                    _("Eligibility checked: %(passed)s passed, %(failed)s failed.")
                    % {"passed": passed, "failed": failed},
                )
            elif action == "assign":
                made = call_assign_reviewers(call, user=user)
                messages.success(
                    request,
                    _("%(count)s review assignments made.") % {"count": len(made)},
                )
            elif action == "submit":
                application = posted_object(
                    call.applications.all(), request.POST.get("application")
                )
                application_submit(application, user=user)
                messages.success(request, _("Application submitted."))
            elif action == "return":
                application = posted_object(
                    call.applications.all(), request.POST.get("application")
                )
                application_move(
                    application,
                    ApplicationStatus.DRAFT,
                    user=user,
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Returned for correction."))
            elif action == "close":
                call_close_review(call, user=user)
                messages.success(request, _("The review is closed."))
            elif action == "line":
                funding_line_draw(
                    call,
                    rule=request.POST.get("rule", ""),
                    reason=request.POST.get("reason", ""),
                    user=user,
                )
                messages.success(request, _("The funding line is drawn."))
            elif action == "apply":
                line = posted_object(
                    FundingLine.objects.filter(call=call), request.POST.get("line")
                )
                funding_line_apply(line, user=user)
                messages.success(
                    request, _("Decisions recorded according to the funding line.")
                )
            else:
                messages.error(request, _("Unknown action."))
        except FundingError as exc:
            messages.error(request, _error_text(exc))
        return redirect("funding_call_desk", pk=call.pk)


class RankingExportView(PermissionView):
    def get(self, request, pk):
        call = get_object_or_404(Call, pk=pk)
        response = HttpResponse(ranking_workbook(call), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="ranking-{call.pk}.xlsx"'
        )
        return response


class ApplicationDecideView(PermissionView):
    template_name = "funding/decide.html"
    header_icon = "check"
    page_title = gettext_lazy("Decision")

    def dispatch(self, request, *args, **kwargs):
        self.application = get_object_or_404(
            Application.objects.select_related("call", "organization"), pk=kwargs["pk"]
        )
        self.errors = {}
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.application)

    def get_parent(self):
        return desk_url(self.application.call), str(self.application.call)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        entry = application.line_entries.order_by("-line__drawn_at", "-pk").first()
        context.update(
            application=application,
            entry=entry,
            errors=self.errors,
            data=self.request.POST
            or {"amount": entry.proposed_amount if entry else ""},
        )
        return context

    def post(self, request, *args, **kwargs):
        application = self.application
        note = request.POST.get("note", "")
        try:
            if request.POST.get("decision") == "approve":
                application_approve(
                    application,
                    amount=request.POST.get("amount") or "0",
                    note=note,
                    user=request.user,
                )
                messages.success(request, _("Approved."))
            else:
                application_reject(application, note=note, user=request.user)
                messages.success(request, _("Rejected."))
        except FundingError as exc:
            self.errors = getattr(exc, "message_dict", {"__all__": exc.messages})
            return self.render_to_response(self.get_context_data(), status=400)
        except ArithmeticError:
            self.errors = {"amount": [_("Give a number.")]}
            return self.render_to_response(self.get_context_data(), status=400)
        return redirect("funding_call_desk", pk=application.call_id)


class ApplicationAssignView(PermissionView):
    template_name = "funding/assign.html"
    header_icon = "user"
    page_title = gettext_lazy("Assign a reviewer")

    def dispatch(self, request, *args, **kwargs):
        self.application = get_object_or_404(Application, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.application)

    def get_parent(self):
        return desk_url(self.application.call), str(self.application.call)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.application
        taken = set(application.reviews.values_list("reviewer_id", flat=True))
        context.update(
            application=application,
            reviews=application.reviews.select_related("reviewer"),
            candidates=[
                (r, conflict_reason(r, application))
                for r in reviewers().exclude(pk__in=taken).order_by("username")
            ],
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            if request.POST.get("action") == "withdraw":
                review = posted_object(
                    self.application.reviews.all(), request.POST.get("review")
                )
                review_withdraw(
                    review, user=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Review withdrawn."))
                return redirect("funding_application_assign", pk=self.application.pk)
            reviewer = posted_object(reviewers(), request.POST.get("reviewer"))
            review_assign(self.application, reviewer, user=request.user)
            messages.success(request, _("Reviewer assigned."))
        except FundingError as exc:
            messages.error(request, _error_text(exc))
        return redirect("funding_application_assign", pk=self.application.pk)


# --- the reviewer's side -------------------------------------------------------


class MyReviewsView(PermissionView):
    permission = SCORE
    template_name = "funding/my_reviews.html"
    page_title = gettext_lazy("My reviews")
    header_icon = "edit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reviews = reviews_for(self.request.user).select_related(
            "application__call", "application__organization"
        )
        context["rows"] = [
            (
                review,
                title_for_reviewer(review.application),
                applicant_name(review.application),
            )
            for review in reviews
        ]
        context["closed_statuses"] = [ReviewStatus.CONFLICT, ReviewStatus.EXCLUDED]
        return context


class MyReviewsExportView(PermissionView):
    permission = SCORE

    def get(self, request):
        response = HttpResponse(reviewer_workbook(request.user), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="my-reviews.xlsx"'
        return response


def _own_review(request, pk):
    # Only the reviewer's own reviews are ever loaded: any other id is a 404, and so
    # is a review the reviewer has a conflict of interest on (issue 13 item 13),
    # whether or not the conflict has been applied to it yet.
    review = get_object_or_404(
        reviews_open_to(request.user).select_related(
            "application__call", "application__organization"
        ),
        pk=pk,
    )
    if conflict_reason(request.user, review.application):
        raise Http404
    return review


class ReviewScoreView(PermissionView):
    """The scoring screen: the application beside the rubric, running total."""

    permission = SCORE
    template_name = "funding/review_score.html"
    header_icon = "edit"
    page_title = gettext_lazy("Review")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.review = _own_review(request, kwargs["pk"])
        self.errors = {}
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return title_for_reviewer(self.review.application)

    def get_parent(self):
        return reverse("funding_my_reviews"), _("My reviews")

    def _posted_scores(self):
        call = self.review.application.call
        return {
            c.pk: {
                "score": self.request.POST.get(f"score_{c.pk}", ""),
                "comment": self.request.POST.get(f"comment_{c.pk}", ""),
            }
            for c in call.criteria.all()
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.review
        application = review.application
        call = application.call
        posted = self.request.method == "POST"
        # One reading of the review for the screen and the exports
        # (`funding.selectors.review_rows`); a draft being corrected shows what
        # was just posted.
        criteria_rows = review_rows(review)
        for row in criteria_rows:
            row["errors"] = []
            if review.status in FINAL:
                continue
            if posted:
                row["score"] = self.request.POST.get(f"score_{row['pk']}", "")
                row["comment"] = self.request.POST.get(f"comment_{row['pk']}", "")
                row["errors"] = self.errors.get(f"score_{row['pk']}", [])
            elif row["score"] is None:
                row["score"] = ""
        others = []
        # Only after the review closed, and only to a reviewer who took part.
        if call.review_closed and review.status == ReviewStatus.SUBMITTED:
            others = (
                application.reviews.filter(status=ReviewStatus.SUBMITTED)
                .exclude(pk=review.pk)
                .order_by("pk")
            )
        attachments = [
            (index, attachment_name(a, index), a)
            for index, a in enumerate(application.attachments.all(), start=1)
        ]
        # the cursor starts on the first score with an error, else the first one
        focus = next(
            (c["pk"] for c in criteria_rows if c["errors"]),
            criteria_rows[0]["pk"] if criteria_rows else None,
        )
        context.update(
            focus=focus,
            review=review,
            application=application,
            call=call,
            rows=reviewer_view(application),
            budget_lines=application.budget_lines.all(),
            attachments=attachments,
            criteria_rows=criteria_rows,
            recommendations=Recommendation.choices,
            recommendation=self.request.POST.get(
                "recommendation", review.recommendation
            )
            if posted
            else review.recommendation,
            comment=self.request.POST.get("comment", review.comment)
            if posted
            else review.comment,
            errors=self.errors,
            other_reviews=others,
            locked=review.is_locked or call.review_closed,
        )
        return context

    def post(self, request, *args, **kwargs):
        review = self.review
        action = request.POST.get("action")
        try:
            if action == "conflict":
                _review, replacement = review_declare_conflict(
                    review, request.POST.get("conflict_reason", ""), user=request.user
                )
                messages.success(
                    request,
                    _("Conflict declared; the application has been reassigned.")
                    if replacement
                    else _(
                        "Conflict declared; the fund manager will assign another reviewer."
                    ),
                )
                return redirect("funding_my_reviews")
            kwargs = {
                "user": request.user,
                "scores": self._posted_scores(),
                "recommendation": request.POST.get("recommendation", ""),
                "comment": request.POST.get("comment", ""),
            }
            if action == "submit":
                review_submit(review, **kwargs)
                messages.success(request, _("Review submitted. It is now locked."))
                return redirect("funding_my_reviews")
            review_save_draft(review, **kwargs)
            messages.success(request, _("Draft saved."))
            return redirect("funding_review_score", pk=review.pk)
        except FundingError as exc:
            if hasattr(exc, "error_dict"):
                self.errors = exc.message_dict
            else:
                self.errors = {"__all__": exc.messages}
            return self.render_to_response(self.get_context_data(), status=400)


class ReviewAttachmentView(PermissionView):
    permission = SCORE

    def get(self, request, pk, number):
        review = _own_review(request, pk)
        attachments = list(review.application.attachments.select_related("document"))
        if not 1 <= number <= len(attachments):
            raise Http404
        attachment = attachments[number - 1]
        document = attachment.document
        return file_response(
            document.file, filename=attachment_name(attachment, number), inline=False
        )


def desk_url(call):
    return reverse("funding_call_desk", args=[call.pk])
