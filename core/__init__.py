"""Shared things of every app: regions, roles, imports, uploads, history, money."""
