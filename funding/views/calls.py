"""The fund manager's screens of a call: the list of calls, the call desk (eligibility,
assignment, review close, ranking, funding line), decisions one by one, assignment by
hand and the ranking export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.confirmations import confirm_or_show
from core.forms import form_with_errors
from funding.choices import ApplicationStatus, ReviewStatus
from funding.desk_forms import DecisionForm, FundingLineForm, ReasonForm
from funding.errors import FundingError
from funding.models import Application, Call, FundingLine, Review
from funding.selectors.confirmations import (
    funding_line_apply_confirmation,
    review_close_confirmation,
    review_withdraw_confirmation,
)
from funding.selectors.documents import printable_reviews
from funding.selectors.results import call_results, line_outdated_by
from funding.selectors.reviews import reviewers
from funding.selectors.scores import TRIM_MIN_REVIEWS, Z_MIN_REVIEWS
from funding.services.applications import application_move
from funding.services.assignment import (
    ACTIVE_REVIEW,
    call_assign_reviewers,
    conflict_reason,
    review_assign,
    review_withdraw,
)
from funding.services.eligibility import application_submit, call_check_eligibility
from funding.services.funding_line import (
    application_approve,
    application_reject,
    funding_line_apply,
    funding_line_draw,
)
from funding.services.reviews import call_close_review
from funding.views.base import XLSX, PermissionView, error_text, posted_object
from funding.views.exports import ranking_workbook


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
        for app in page:
            if app.status == ApplicationStatus.INELIGIBLE:
                app.return_form = ReasonForm(
                    name="note", auto_id=f"id_return_{app.pk}_%s"
                )
        context.update(
            call=call,
            applications=page,
            results=results,
            fallback_count=len(fallback),
            line=line,
            line_entries=line.entries.select_related("application") if line else [],
            line_form=FundingLineForm(auto_id="id_line_%s"),
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
            submitted_reviews=printable_reviews(call).count(),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        call = self.call
        user = request.user
        try:
            if action == "close":
                # Withdraws every unsubmitted review: confirmed with its summary.
                asked = confirm_or_show(
                    self, review_close_confirmation(call), fields={"action": action}
                )
                if asked:
                    return asked
                call_close_review(call, user=user)
                messages.success(request, _("The review is closed."))
            elif action == "apply":
                line = posted_object(
                    FundingLine.objects.filter(call=call), request.POST.get("line")
                )
                # Records every decision of the line at once: confirmed first.
                asked = confirm_or_show(
                    self,
                    funding_line_apply_confirmation(line),
                    fields={"action": action, "line": line.pk},
                )
                if asked:
                    return asked
                funding_line_apply(line, user=user)
                messages.success(
                    request, _("Decisions recorded according to the funding line.")
                )
            elif action == "check":
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
            elif action == "line":
                funding_line_draw(
                    call,
                    rule=request.POST.get("rule", ""),
                    reason=request.POST.get("reason", ""),
                    user=user,
                )
                messages.success(request, _("The funding line is drawn."))
            else:
                messages.error(request, _("Unknown action."))
        except FundingError as exc:
            messages.error(request, error_text(exc))
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
        data = self.request.POST or {
            "decision": "approve",
            "amount": entry.proposed_amount if entry else "",
        }
        form = DecisionForm(initial={k: data.get(k) for k in data})
        context.update(
            application=application,
            entry=entry,
            errors=self.errors,
            form=form_with_errors(form, self.errors),
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
        reviews = list(application.reviews.select_related("reviewer"))
        for review in reviews:
            review.withdraw_form = ReasonForm(auto_id=f"id_withdraw_{review.pk}_%s")
        context.update(
            application=application,
            reviews=reviews,
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
                asked = confirm_or_show(
                    self,
                    review_withdraw_confirmation(review),
                    fields={"action": "withdraw", "review": review.pk},
                )
                if asked:
                    return asked
                review_withdraw(
                    review, user=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Review withdrawn."))
                return redirect("funding_application_assign", pk=self.application.pk)
            reviewer = posted_object(reviewers(), request.POST.get("reviewer"))
            review_assign(self.application, reviewer, user=request.user)
            messages.success(request, _("Reviewer assigned."))
        except FundingError as exc:
            messages.error(request, error_text(exc))
        return redirect("funding_application_assign", pk=self.application.pk)


def desk_url(call):
    return reverse("funding_call_desk", args=[call.pk])
