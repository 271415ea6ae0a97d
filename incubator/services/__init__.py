"""Incubator writes: residencies (admit, move stage) and graduation assessments."""
