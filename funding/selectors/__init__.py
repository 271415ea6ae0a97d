"""Reads of the funding app: listings, roll-ups and the public figures' queries.

`reviews` (a review's rows and total as its screen, the ranking and the export
show them) is re-exported here; `public_money` is imported by its own name."""

from funding.selectors.reviews import FINAL, points, review_rows

__all__ = ["FINAL", "points", "review_rows"]
