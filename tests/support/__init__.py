"""Helpers for the tests: builders, processes, strategies, the permission matrix."""
