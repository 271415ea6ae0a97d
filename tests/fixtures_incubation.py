"""Fixtures for the incubation tests (imported by tests/conftest.py)."""
