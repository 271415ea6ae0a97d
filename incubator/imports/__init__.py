"""Incubator spreadsheet imports: organizations and residents, one module per kind."""
