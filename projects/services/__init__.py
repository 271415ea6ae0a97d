"""Writes of rural revitalization: outcome-report moves (`reports`)."""
