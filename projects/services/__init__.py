"""Writes of rural revitalization: outcome-report moves (`reports`), the standard
indicator catalogue (`indicators`)."""
