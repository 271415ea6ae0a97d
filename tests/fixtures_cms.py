"""Fixtures for the cms tests (imported by tests/conftest.py)."""
