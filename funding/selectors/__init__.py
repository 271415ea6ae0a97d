"""Reads of the funding app: `scores` (the formulas), `results` (a call's ranking),
`reviews` (reviewers, a review's rows), `purchases` (roll-ups), `public_money`.

`reviews`' rows (as the scoring screen, the ranking and the export show them) are
re-exported here; the others are imported by their module's name."""

from funding.selectors.reviews import FINAL, points, review_rows

__all__ = ["FINAL", "points", "review_rows"]
