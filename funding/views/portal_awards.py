"""我的机构 → 我的资助: the organization's own awards (社会组织用户).

The list of its awards; one award with its award letter, agreement, tranche
schedule (what is paid, what condition is still open) and its mid-term and final
reports; the report form (save a draft, submit after a confirmation); downloads
of its agreement and report files. Every record is looked up within the user's
organization (`funding.selectors.portal_awards.awards_of`), so another
organization's id answers 404 (`incubator.views.portal_base.PortalMixin`).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.confirmations import confirm_or_show
from core.forms import form_with_errors
from core.uploads import file_response
from funding.desk_forms import PortalReportForm
from funding.errors import FundingError
from funding.models.awards import ReportKind
from funding.selectors import portal_awards as figures
from funding.services import award_portal
from funding.views.base import error_text
from incubator.views.portal_base import PortalMixin

MY_AWARDS = gettext_lazy("My awards")


class PortalView(PortalMixin, WagtailAdminTemplateMixin, TemplateView):
    """A portal screen with the admin frame and breadcrumbs under 我的资助."""

    header_icon = "doc-full"

    def get_parents(self):
        """[(url, label)] of the screens above this one."""
        return []

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        for url, label in self.get_parents():
            items.append({"url": url, "label": label})
        items.append({"url": "", "label": self.get_page_title()})
        return items


class AwardScopedMixin:
    """Looks the award of the URL up among the organization's own (else 404)."""

    def setup_award(self):
        self.award = get_object_or_404(
            figures.awards_of(self.organization), pk=self.kwargs["pk"]
        )
        return self.award


class PortalAwardListView(PortalView):
    """The organization's awards: title, call, approved and paid amounts, stage."""

    template_name = "funding/portal/award_list.html"
    page_title = MY_AWARDS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            figures.award_summary(award)
            for award in figures.awards_of(self.organization)
        ]
        return context


class PortalAwardView(AwardScopedMixin, PortalView):
    """One award of the organization (`figures.award_summary`)."""

    template_name = "funding/portal/award.html"

    def get(self, request, *args, **kwargs):
        self.setup_award()
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return self.award.application.title

    def get_parents(self):
        return [(reverse("funding_portal_awards"), MY_AWARDS)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(figures.award_summary(self.award))
        return context


class PortalAwardReportView(AwardScopedMixin, PortalView):
    """The organization's mid-term or final report of one award: read it, or
    (while it may change) edit it and save a draft or submit it."""

    template_name = "funding/portal/award_report.html"

    def setup_report(self):
        self.setup_award()
        self.kind = self.kwargs["kind"]
        if self.kind not in ReportKind.values:
            raise Http404
        self.report = award_portal.open_report(self.award, self.kind)

    def get_page_title(self):
        return ReportKind(self.kind).label

    def get_page_subtitle(self):
        return self.award.application.title

    def get_parents(self):
        return [
            (reverse("funding_portal_awards"), MY_AWARDS),
            (
                reverse("funding_portal_award", args=[self.award.pk]),
                self.award.application.title,
            ),
        ]

    def get(self, request, *args, **kwargs):
        self.setup_report()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        row = next(r for r in figures.report_rows(self.award) if r["kind"] == self.kind)
        if form is None:
            form = PortalReportForm(
                initial={"summary": self.report.summary if self.report else ""}
            )
        context.update(award=self.award, row=row, report=self.report, form=form)
        return context

    def post(self, request, *args, **kwargs):
        self.setup_report()
        try:
            report = award_portal.award_report_draft_save(
                self.award,
                kind=self.kind,
                user=request.user,
                summary=request.POST.get("summary", ""),
                upload=request.FILES.get("document"),
            )
        except FundingError as exc:
            messages.error(request, error_text(exc))
            errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            form = form_with_errors(
                PortalReportForm(initial={"summary": request.POST.get("summary", "")}),
                errors,
            )
            return self.render_to_response(self.get_context_data(form=form))
        if request.POST.get("then") == "submit":
            return redirect(
                "funding_portal_award_report_submit", self.award.pk, report.kind
            )
        messages.success(request, _("Draft saved. Submit it when it is complete."))
        return redirect("funding_portal_award_report", self.award.pk, report.kind)


class PortalAwardReportSubmitView(PortalAwardReportView):
    """Submit the report: GET (or a POST without the token) shows what will be
    sent (`figures.report_send_confirmation`); the confirming POST sends it."""

    def get_page_title(self):
        return _("Submit the report")

    def back_url(self):
        return reverse("funding_portal_award_report", args=[self.award.pk, self.kind])

    def _confirm(self):
        if self.report is None:
            raise Http404
        return confirm_or_show(
            self,
            figures.report_send_confirmation(self.report),
            back_url=self.back_url(),
        )

    def get(self, request, *args, **kwargs):
        self.setup_report()
        return self._confirm()

    def post(self, request, *args, **kwargs):
        self.setup_report()
        asked = self._confirm()
        if asked:
            return asked
        try:
            award_portal.award_report_send(self.report, user=request.user)
        except FundingError as exc:
            messages.error(request, error_text(exc))
            return redirect(self.back_url())
        messages.success(
            request, _("Report submitted: the fund manager has been told.")
        )
        return redirect("funding_portal_award", self.award.pk)


class PortalAgreementView(AwardScopedMixin, PortalMixin, TemplateView):
    """The organization's own signed agreement (a download); 404 when it has
    none or the award is another organization's."""

    def get(self, request, *args, **kwargs):
        award = self.setup_award()
        document = award.agreement_document
        if document is None:
            raise Http404
        return file_response(document.file, filename=document.filename, inline=False)


class PortalReportDocumentView(PortalMixin, TemplateView):
    """The file of one of the organization's own reports (a download); another
    organization's report id answers 404."""

    def get(self, request, *args, **kwargs):
        report = get_object_or_404(
            figures.reports_of(self.organization).select_related("document"),
            pk=kwargs["pk"],
        )
        if report.document is None:
            raise Http404
        document = report.document
        return file_response(document.file, filename=document.filename, inline=False)
