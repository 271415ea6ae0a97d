"""The organization registry and incubation (bases, residencies, assessments)."""
