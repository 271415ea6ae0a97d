"""The figures of the printed documents (score sheet, ranking with the funding line,
public notice, award letter), as text ready to print: amounts in 元 with thousands
separators and two decimals (Decimals, printed by the `yuan` filter), scores as people write them.

Every builder returns a dict for the templates under `funding/templates/funding/pdf/`;
the document number comes from `funding.services.documents`, not from here."""

from decimal import Decimal

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from funding.choices import ApplicationStatus, LineOutcome, ReviewStatus
from funding.models import Award, FundingLine, PublicNotice, Review
from funding.permissions import applicant_name, title_for_reviewer
from funding.selectors.reviews import points, review_rows
from funding.templatetags.funding_tags import person_name

#: Only a submitted review is printed for signature: a draft can still change and
#: a withdrawn or conflicted one was never scored.
PRINTABLE_REVIEW = ReviewStatus.SUBMITTED


def department_of(fund):
    """The department named at the head of a fund's documents: the fund's
    `issuing_department`, else the platform's name (`WAGTAIL_SITE_NAME`)."""
    return fund.issuing_department.strip() or settings.WAGTAIL_SITE_NAME


def _day(value):
    return date_format(value, "DATE_FORMAT") if value else ""


def printable_reviews(call):
    """The call's reviews that have a score sheet (submitted), by application then
    reviewer, with what the sheet reads loaded."""
    return (
        Review.objects.filter(application__call=call, status=PRINTABLE_REVIEW)
        .select_related("application__call__fund", "application__organization")
        .select_related("reviewer")
        .order_by("application_id", "pk")
    )


def score_sheet(review):
    """One reviewer's score sheet (评审意见表) for her signature.

    Returns {"call", "fund", "department", "reference", "title", "applicant",
    "rows": [{"name", "max_score", "weight", "score", "comment"}], "total",
    "recommendation", "comment", "reviewer", "submitted_on"}: the application as
    the reviewer saw it (a blind call shows its number, never the applicant's name:
    `funding.permissions`), each criterion's maximum, weight and score (points)
    from the copy kept on the scores, the total of 100."""
    application = review.application
    call = application.call
    return {
        "call": call.name,
        "fund": str(call.fund),
        "department": department_of(call.fund),
        "reference": str(application.reference),
        "title": title_for_reviewer(application),
        "applicant": applicant_name(application),
        "rows": [
            {
                "name": row["name"],
                "max_score": points(row["max_score"]),
                "weight": points(row["weight"]),
                "score": points(row["score"]),
                "comment": row["comment"],
            }
            for row in review_rows(review)
        ],
        "total": points(review.total),
        "recommendation": review.get_recommendation_display(),
        "comment": review.comment,
        "reviewer": person_name(review.reviewer),
        "submitted_on": _day(review.submitted_at),
    }


def latest_line(call):
    """The call's funding line drawn last (the one the ranking prints), or None."""
    return call.funding_lines.select_related("call__fund").first()


def ranking_sheet(line):
    """The ranking with the funding line (排名表) of one drawn `FundingLine`.

    Returns {"call", "department", "budget", "rule", "reason", "drawn_on",
    "total_awarded", "rows", "line_after"}. Each row: {"rank", "title",
    "organization", "score", "requested", "proposed", "cumulative", "left",
    "outcome", "funded", "ruled"}: amounts in 元; `cumulative` adds up the proposed
    amounts down the ranking and `left` is the line's budget less that. `ruled` is
    True on the first row the budget no longer covers in full (reduced, skipped or
    below the line): the ruled line is printed above it — the place where the
    budget runs out (DESIGN.md: "a funding line that awards down the ranking until
    the budget is spent")."""
    line = FundingLine.objects.select_related("call__fund", "drawn_by").get(pk=line.pk)
    entries = line.entries.select_related("application__organization").order_by(
        "rank", "pk"
    )
    cumulative = Decimal("0")
    rows = []
    ruled_done = False
    for entry in entries:
        cumulative += entry.proposed_amount
        ruled = not ruled_done and entry.outcome != LineOutcome.FUNDED
        ruled_done = ruled_done or ruled
        rows.append(
            {
                "rank": entry.rank,
                "title": entry.application.title,
                "organization": entry.application.organization.name,
                "score": points(entry.score),
                "requested": entry.requested_amount,
                "proposed": entry.proposed_amount,
                "cumulative": cumulative,
                "left": line.budget - cumulative,
                "outcome": entry.get_outcome_display(),
                "funded": entry.outcome in (LineOutcome.FUNDED, LineOutcome.REDUCED),
                "ruled": ruled,
            }
        )
    return {
        "call": line.call.name,
        "fund": str(line.call.fund),
        "department": department_of(line.call.fund),
        "budget": line.budget,
        "rule": line.get_shortfall_rule_display(),
        "reason": line.reason,
        "drawn_on": _day(line.drawn_at),
        "drawn_by": person_name(line.drawn_by),
        "total_awarded": line.total_awarded,
        "rows": rows,
    }


def notice_sheet(notice):
    """The public notice (公示) as posted: {"title", "call", "department",
    "starts_on", "ends_on", "working_days", "contact", "rows": [{"organization",
    "title", "amount"}], "total", "count"} — the awards made under it (none
    excluded: an award refused on an objection stays on the notice as it was
    posted), by organization name; never contacts or reviewers."""
    notice = PublicNotice.objects.select_related("call__fund").get(pk=notice.pk)
    awards = (
        Award.objects.filter(notice=notice)
        .select_related("application__organization")
        .order_by("application__organization__name", "pk")
    )
    rows = [
        {
            "organization": award.application.organization.name,
            "title": award.application.title,
            "amount": award.approved_amount,
        }
        for award in awards
    ]
    total = sum((award.approved_amount for award in awards), Decimal("0"))
    return {
        "title": notice.title,
        "call": notice.call.name,
        "fund": str(notice.call.fund),
        "department": department_of(notice.call.fund),
        "starts_on": _day(notice.starts_on),
        "ends_on": _day(notice.ends_on),
        "working_days": notice.working_days,
        "contact": notice.objection_contact,
        "rows": rows,
        "total": total,
        "count": len(rows),
        "issued_on": _day(notice.starts_on),
    }


def award_letter(award):
    """The award letter (立项通知书) of one award: {"organization", "title", "call",
    "fund", "department", "amount", "requested", "notice", "notice_period",
    "awarded_on", "tranches": [{"number", "percentage", "amount", "condition"}]}."""
    award = Award.objects.select_related(
        "application__organization", "application__call__fund", "notice"
    ).get(pk=award.pk)
    application = award.application
    notice = award.notice
    return {
        "organization": application.organization.name,
        "title": application.title,
        "call": application.call.name,
        "fund": str(application.call.fund),
        "department": department_of(application.call.fund),
        "amount": award.approved_amount,
        "requested": application.requested_amount,
        "notice": notice.title if notice else "",
        "notice_period": (
            _("%(start)s to %(end)s")
            % {"start": _day(notice.starts_on), "end": _day(notice.ends_on)}
            if notice
            else ""
        ),
        "awarded_on": _day(award.awarded_on),
        "tranches": [
            {
                "number": tranche.number,
                "percentage": points(tranche.percentage),
                "amount": tranche.amount,
                "condition": tranche.get_condition_display(),
            }
            for tranche in award.tranches.all()
        ],
    }


#: The statuses in which an award has been made (after its public notice): its
#: letter can be printed (`funding/lifecycle.py`).
LETTER_STATUSES = (
    ApplicationStatus.AWARDED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.MIDTERM_CHECKED,
    ApplicationStatus.COMPLETED,
    ApplicationStatus.TERMINATED,
)


def award_letter_refusal(award):
    """Why the award has no award letter to print, or None.

    An award letter notifies an award made: not while the public notice runs or an
    objection holds it (the award may yet be refused), and not for a past award
    recorded by import, whose letter was issued outside the platform."""
    if award.imported:
        return _(
            "This past award was recorded by import: its award letter was issued "
            "outside the platform."
        )
    if award.application.status not in LETTER_STATUSES:
        return _(
            "The award letter can be printed once the public notice has closed "
            "and the award is made."
        )
    return None


def notice_is_public(notice):
    """Whether the public may print the notice: the site publishes it on a live
    page open to everyone (no password, login or group restriction). The PDF says
    no more than that page (organizations, titles, amounts, the contact for
    objections)."""
    return notice.pages.live().public().exists()
