"""The reviewer's screens: "my reviews", its export, the scoring screen and attachment
downloads. They only ever load the reviewer's own reviews
(`funding.permissions.reviews_for` / `reviews_open_to`): any other id is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.confirmations import confirm_or_show
from core.forms import form_with_errors
from core.uploads import file_response
from funding.choices import PENDING_REVIEW, ReviewStatus
from funding.desk_forms import ConflictDeclareForm, ReviewScoreForm
from funding.errors import FundingError
from funding.permissions import (
    SCORE,
    applicant_name,
    attachment_name,
    reviewer_view,
    reviews_open_to,
    title_for_reviewer,
)
from funding.selectors import FINAL, review_rows
from funding.selectors.confirmations import review_submit_confirmation
from funding.selectors.reviews import reviews_listed_for
from funding.services.assignment import conflict_reason, review_declare_conflict
from funding.services.reviews import (
    review_save_draft,
    review_submit,
    review_submit_check,
)
from funding.views.base import XLSX, PermissionView
from funding.views.exports import reviewer_workbook


class MyReviewsView(PermissionView):
    permission = SCORE
    template_name = "funding/my_reviews.html"
    page_title = gettext_lazy("My reviews")
    header_icon = "edit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reviews = list(reviews_listed_for(self.request.user))
        pending = [r for r in reviews if r.status in PENDING_REVIEW]
        dues = [
            r.application.call.review_due_on
            for r in pending
            if r.application.call.review_due_on
        ]
        today = timezone.localdate()
        context["pending_count"] = len(pending)
        context["next_due"] = min(dues) if dues else None
        context["days_left"] = (min(dues) - today).days if dues else None
        context["pending_statuses"] = PENDING_REVIEW
        context["today"] = today
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
    # is a review the reviewer has a conflict of interest on,
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
        recommendation = (
            self.request.POST.get("recommendation", review.recommendation)
            if posted
            else review.recommendation
        )
        comment = (
            self.request.POST.get("comment", review.comment)
            if posted
            else review.comment
        )
        initial = {"recommendation": recommendation, "comment": comment}
        for row in criteria_rows:
            initial[f"score_{row['pk']}"] = row["score"]
            initial[f"comment_{row['pk']}"] = row["comment"]
        locked = review.is_locked or call.review_closed
        form = ReviewScoreForm(
            rows=criteria_rows, locked=locked, focus=focus, initial=initial
        )
        context.update(
            form=form_with_errors(form, self.errors),
            criteria_rows=criteria_rows,
            criteria=form.criterion_fields(criteria_rows),
            conflict_form=ConflictDeclareForm(),
            review=review,
            application=application,
            call=call,
            rows=reviewer_view(application),
            budget_lines=application.budget_lines.all(),
            attachments=attachments,
            errors=self.errors,
            other_reviews=others,
            locked=locked,
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
                asked = self._confirm_submit(kwargs)
                if asked:
                    return asked
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

    def _confirm_submit(self, kwargs):
        """The summary before a review is locked (total, recommendation), once the
        posted scores pass `review_submit_check`; None when confirmed. Errors are
        raised as the service would raise them, before anything is asked."""
        review = self.review
        total, errors = review_submit_check(
            review,
            scores=kwargs["scores"],
            recommendation=kwargs["recommendation"],
            comment=kwargs["comment"],
        )
        if errors:
            raise FundingError(errors)
        posted = {"action": "submit", "recommendation": kwargs["recommendation"]}
        posted["comment"] = kwargs["comment"]
        for pk, entry in kwargs["scores"].items():
            posted[f"score_{pk}"] = entry["score"]
            posted[f"comment_{pk}"] = entry["comment"]
        confirmation = review_submit_confirmation(
            review,
            subject=title_for_reviewer(review.application),
            total=total,
            recommendation=kwargs["recommendation"],
            scores=sorted(posted.items()),
        )
        if confirmation.refusal:
            return None  # `review_submit` refuses it, on the scoring screen
        return confirm_or_show(
            self,
            confirmation,
            fields=posted,
            back_url=reverse("funding_review_score", args=[review.pk]),
            back_button=("action", "save", _("No, save as a draft")),
        )


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
