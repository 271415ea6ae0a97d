"""Tests of the funding app: calls, reviews, the funding line, awards, purchases."""
