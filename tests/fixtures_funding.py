"""Fixtures for the funding tests (imported by tests/conftest.py)."""
