"""Fixtures for the projects tests (imported by tests/conftest.py)."""
