"""Incubator writes: residencies (admit, move stage), graduation assessments and
the standard service fields (`service_fields`)."""
