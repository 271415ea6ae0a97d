"""Reads of the funding app: listings, roll-ups and the public figures' queries."""
