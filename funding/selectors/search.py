"""What the admin search finds of funding: applications (a reviewer's own) and awards."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.admin_search import (
    SHOWN_PER_SECTION,
    Hit,
    SearchSection,
    first_hits,
    listing_url,
)
from core.search import search_terms, text_filter
from funding.models import Application, Award
from funding.permissions import (
    MANAGE,
    SCORE,
    applicant_name,
    reviews_open_to,
    title_for_reviewer,
)

APPLICATION_FIELDS = ("title", "organization__name", "organization__uscc")
AWARD_FIELDS = ("application__title", "application__organization__name")


def _application_hit(user, app):
    if user.has_perm(MANAGE):
        url = reverse("funding_call_desk", args=[app.call_id])
    else:
        url = listing_url(Application, app.title)
    return Hit(app.title, f"{app.organization} · {app.call}", url)


def _reviews_matching(user, text):
    """A reviewer's own open reviews whose application matches `text` in what the
    reviewer may see of it: under blind review the number, never the applicant's
    name nor a hidden title (`funding.permissions`). Matched in Python over the
    reviewer's few dozen assignments, so nothing hidden can match."""
    reviews = reviews_open_to(user).select_related(
        "application__call", "application__organization"
    )
    terms = [t.casefold() for t in search_terms(text)]
    hits = []
    for review in reviews.order_by("application__pk"):
        app = review.application
        title = title_for_reviewer(app)
        seen = f"{title} {applicant_name(app)} {app.reference}".casefold()
        if all(term in seen for term in terms):
            hits.append(
                Hit(
                    title,
                    f"{applicant_name(app)} · {review.get_status_display()}",
                    reverse("funding_review_score", args=[review.pk]),
                )
            )
    return len(hits), hits[:SHOWN_PER_SECTION]


def applications_matching(user, text):
    """(count, hits) of applications matching `text` by title, applicant name or
    USCC: every application for who may view applications (fund managers), a
    reviewer only her own assignments (`reviews_open_to`), as she sees them."""
    if user.has_perm("funding.view_application"):
        found = text_filter(
            Application.objects.select_related("organization", "call"),
            text,
            APPLICATION_FIELDS,
        )
        return first_hits(found.order_by("-pk"), lambda a: _application_hit(user, a))
    if user.has_perm(SCORE):
        return _reviews_matching(user, text)
    return 0, []


def awards_matching(user, text):
    """(count, hits) of awards (立项) matching `text` by project title or
    organization, for who may view awards (fund managers, finance)."""
    if not user.has_perm("funding.view_award"):
        return 0, []
    found = text_filter(
        Award.objects.select_related("application__organization"), text, AWARD_FIELDS
    )
    may_manage = user.has_perm("funding.change_award")
    return first_hits(
        found.order_by("-pk"),
        lambda award: Hit(
            award.application.title,
            str(award.application.organization),
            reverse("funding_award_desk", args=[award.pk])
            if may_manage
            else listing_url(Award, award.application.title),
        ),
    )


def applications_section():
    return SearchSection(
        name="applications",
        label=_("Applications"),
        order=40,
        shown=lambda user: (
            user.has_perm("funding.view_application") or user.has_perm(SCORE)
        ),
        search=applications_matching,
    )


def awards_section():
    return SearchSection(
        name="awards",
        label=_("Awards"),
        order=50,
        shown=lambda user: user.has_perm("funding.view_award"),
        search=awards_matching,
        more_url=lambda text: listing_url(Award, text),
    )
