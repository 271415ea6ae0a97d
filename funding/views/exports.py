"""Excel exports with headers in the user's language (Chinese by default)."""

import pandas as pd
from django.utils.translation import gettext as _

from core.spreadsheets import frame_to_xlsx
from funding.permissions import applicant_name, reviews_for, title_for_reviewer
from funding.selectors import points, review_rows
from funding.selectors.results import call_results


def _workbook(rows, columns):
    return frame_to_xlsx(pd.DataFrame(rows, columns=columns))


def _num(value):
    return float(value) if value is not None else None


def ranking_workbook(call):
    """The ranked list of a call with the latest funding line's proposals: every
    reviewed application with its rank, score, decision and current status
    (`call_results`), the same rows as the call desk's ranking."""
    results, _fallback = call_results(call)
    line = call.funding_lines.first()
    proposals = (
        {e.application_id: e for e in line.entries.all()} if line is not None else {}
    )
    columns = [
        _("Rank"),
        _("Applicant"),
        _("Unified social credit code"),
        _("Project title"),
        _("Requested amount (yuan)"),
        _("Reviews"),
        _("Mean"),
        _("Trimmed mean"),
        _("Normalised score"),
        _("Ranking score"),
        _("Spread"),
        _("Reviewers disagree"),
        _("Funding line"),
        _("Proposed amount (yuan)"),
        _("Decision"),
        _("Status"),
        _("Approved amount (yuan)"),
        _("Note"),
    ]
    rows = []
    for r in results:
        app = r.application
        entry = proposals.get(app.pk)
        rows.append(
            [
                r.rank,
                app.organization.name,
                app.organization.uscc or app.organization.filing_number,
                app.title,
                _num(app.requested_amount),
                r.review_count,
                _num(round(r.mean, 2)),
                _num(round(r.trimmed_mean, 2)),
                _num(round(r.normalised, 2)),
                _num(r.score),
                _num(r.spread),
                _("yes") if r.spread_flag else "",
                entry.get_outcome_display() if entry else "",
                _num(entry.proposed_amount) if entry else None,
                str(r.decision_label),
                app.get_status_display(),
                _num(app.approved_amount),
                r.tie_note,
            ]
        )
    return _workbook(rows, columns)


def reviewer_workbook(user):
    """A reviewer's own assignments; blind calls show only the application number."""
    columns = [
        _("Application"),
        _("Applicant"),
        _("Project title"),
        _("Call"),
        _("Status"),
        _("Scores by criterion"),
        _("Total (of 100)"),
    ]
    rows = []
    for review in reviews_for(user).select_related(
        "application__call", "application__organization"
    ):
        app = review.application
        # The same rows as the scoring screen (`review_rows`): the export and the
        # screen of a review always agree.
        scores = "；".join(
            f"{row['name']} {points(row['score']) or '—'}/{points(row['max_score'])}"
            for row in review_rows(review)
        )
        rows.append(
            [
                str(app.reference),
                applicant_name(app),
                title_for_reviewer(app),
                app.call.name,
                review.get_status_display(),
                scores,
                _num(review.total),
            ]
        )
    return _workbook(rows, columns)


def rollup_workbook(dimension_label, rows, total):
    """Purchases rolled up by one dimension, with the total row last."""
    columns = [
        str(dimension_label),
        _("Purchases"),
        _("Contract amount (yuan)"),
        _("Paid (yuan)"),
        _("From social organizations (yuan)"),
        _("Share from social organizations (%)"),
        _("Social-organization suppliers"),
    ]
    data = [
        [
            r.label,
            r.purchases,
            _num(r.contract_total),
            _num(r.paid_total),
            _num(r.social_total),
            _num(r.social_share),
            r.social_suppliers,
        ]
        for r in [*rows, total]
    ]
    return _workbook(data, columns)
