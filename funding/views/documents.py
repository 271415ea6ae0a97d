"""The printed documents as PDF: score sheets (the expert's own; all of a call for
the fund manager), the ranking with the funding line, the public notice (also to
the public once its page is published) and the award letter.

Who may print what is the screen's permission plus the record's scope: a reviewer
reaches only her own submitted reviews (`reviews_open_to`; any other id is a 404).
Each document gets its number from `funding.services.documents` the first time it
is printed; a document that cannot be printed sends the user back to the screen
with the reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from core.pdf import pdf_response, render_template_pdf
from funding.errors import FundingError
from funding.models import Award, Call, DocumentKind, PublicNotice
from funding.permissions import MANAGE, MANAGE_AWARDS, SCORE, reviews_open_to
from funding.selectors import documents as figures
from funding.selectors import portal_awards as portal_figures
from funding.services.documents import document_number_issue
from funding.views.base import PermissionView, error_text
from incubator.permissions import organization_of_request


def _sheets(reviews, user):
    """The score sheets of `reviews`, each with its number (issued if new)."""
    sheets = []
    for review in reviews:
        number = document_number_issue(
            kind=DocumentKind.SCORE_SHEET,
            record=review,
            fund=review.application.call.fund,
            user=user,
        )
        sheets.append({**figures.score_sheet(review), "number": number.number})
    return sheets


def _filename(title, number=""):
    name = f"{title}-{number}" if number else title
    return f"{name}.pdf".replace("/", "-")


class ScoreSheetPdfView(PermissionView):
    """One reviewer's own score sheet, to sign (after she submitted the review)."""

    permission = SCORE

    def get(self, request, pk):
        review = get_object_or_404(
            reviews_open_to(request.user)
            .filter(status=figures.PRINTABLE_REVIEW)
            .select_related(
                "application__call__fund", "application__organization", "reviewer"
            ),
            pk=pk,
        )
        try:
            sheets = _sheets([review], request.user)
        except FundingError as exc:
            messages.error(request, error_text(exc))
            return redirect("funding_review_score", pk=review.pk)
        sheet = sheets[0]
        pdf = render_template_pdf(
            "funding/pdf/score_sheets.html",
            {"sheets": sheets},
            request=request,
            header=sheet["department"],
            label=sheet["number"],
        )
        return pdf_response(pdf, _filename(_("Score sheet"), sheet["number"]))


class CallScoreSheetsPdfView(PermissionView):
    """Every submitted score sheet of a call, one per page, for the fund manager
    to collect the experts' signatures."""

    permission = MANAGE

    def get(self, request, pk):
        call = get_object_or_404(Call.objects.select_related("fund"), pk=pk)
        reviews = list(figures.printable_reviews(call))
        if not reviews:
            messages.error(request, _("No review of this call has been submitted yet."))
            return redirect("funding_call_desk", pk=call.pk)
        try:
            sheets = _sheets(reviews, request.user)
        except FundingError as exc:
            messages.error(request, error_text(exc))
            return redirect("funding_call_desk", pk=call.pk)
        pdf = render_template_pdf(
            "funding/pdf/score_sheets.html",
            {"sheets": sheets},
            request=request,
            header=figures.department_of(call.fund),
            label=_("Score sheets"),
        )
        return pdf_response(pdf, _filename(f"{call.name}-{_('Score sheets')}"))


class RankingPdfView(PermissionView):
    """The call's ranking with the funding line drawn last."""

    permission = MANAGE

    def get(self, request, pk):
        call = get_object_or_404(Call.objects.select_related("fund"), pk=pk)
        line = figures.latest_line(call)
        if line is None:
            messages.error(
                request, _("Draw the funding line before printing the ranking.")
            )
            return redirect("funding_call_desk", pk=call.pk)
        try:
            number = document_number_issue(
                kind=DocumentKind.RANKING,
                record=line,
                fund=call.fund,
                user=request.user,
            ).number
        except FundingError as exc:
            messages.error(request, error_text(exc))
            return redirect("funding_call_desk", pk=call.pk)
        sheet = figures.ranking_sheet(line)
        pdf = render_template_pdf(
            "funding/pdf/ranking.html",
            {"sheet": sheet, "number": number},
            request=request,
            header=sheet["department"],
            label=number,
        )
        return pdf_response(pdf, _filename(f"{call.name}-{_('Ranking')}", number))


def _notice_pdf(request, notice):
    number = document_number_issue(
        kind=DocumentKind.NOTICE,
        record=notice,
        fund=notice.call.fund,
        user=request.user,
    ).number
    sheet = figures.notice_sheet(notice)
    pdf = render_template_pdf(
        "funding/pdf/notice.html",
        {"sheet": sheet, "number": number},
        request=request,
        header=sheet["department"],
        label=number,
    )
    return pdf_response(pdf, _filename(sheet["title"], number))


class NoticePdfView(PermissionView):
    """The public notice as posted, for the fund manager (any notice)."""

    permission = MANAGE_AWARDS

    def get(self, request, pk):
        notice = get_object_or_404(
            PublicNotice.objects.select_related("call__fund"), pk=pk
        )
        try:
            return _notice_pdf(request, notice)
        except FundingError as exc:
            messages.error(request, error_text(exc))
            return redirect("wagtailsnippets_funding_publicnotice:list")


class PublicNoticePdfView(View):
    """The public notice for everybody, once the site publishes it: a live,
    unrestricted notice page links it (`figures.notice_is_public`); any other
    notice is a 404, as if it did not exist."""

    def get(self, request, pk):
        notice = get_object_or_404(
            PublicNotice.objects.select_related("call__fund"), pk=pk
        )
        if not figures.notice_is_public(notice):
            raise Http404
        try:
            return _notice_pdf(request, notice)
        except FundingError:
            raise Http404 from None


class AwardLetterPdfView(PermissionView):
    """The award letter (立项通知书) of one award: for the fund manager (any award,
    issuing its number the first time), and for a user of the awarded organization
    (社会组织用户: its own awards only, any other id is a 404; once the department
    has issued the letter, `portal_awards.letter_available`)."""

    permission = MANAGE_AWARDS

    def dispatch(self, request, *args, **kwargs):
        self.organization = None
        if not request.user.has_perm(self.permission):
            self.organization = organization_of_request(request)
            if self.organization is None:
                raise PermissionDenied
        return super(PermissionView, self).dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        awards = Award.objects.select_related(
            "application__call__fund", "application__organization"
        )
        if self.organization is not None:
            award = get_object_or_404(
                portal_figures.awards_of(self.organization), pk=pk
            )
            if not portal_figures.letter_available(award):
                messages.error(request, _("The award letter has not been issued yet."))
                return redirect("funding_portal_award", award.pk)
        else:
            award = get_object_or_404(awards, pk=pk)
        refusal = figures.award_letter_refusal(award)
        try:
            if refusal:
                raise FundingError(refusal)
            number = document_number_issue(
                kind=DocumentKind.AWARD_LETTER,
                record=award,
                fund=award.application.call.fund,
                user=request.user,
            ).number
        except FundingError as exc:
            messages.error(request, error_text(exc))
            return redirect("funding_award_desk", pk=award.pk)
        sheet = figures.award_letter(award)
        pdf = render_template_pdf(
            "funding/pdf/award_letter.html",
            {"sheet": sheet, "number": number},
            request=request,
            header=sheet["department"],
            label=number,
        )
        return pdf_response(
            pdf, _filename(f"{sheet['organization']}-{_('Award letter')}", number)
        )
