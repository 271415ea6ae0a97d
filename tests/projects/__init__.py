"""Tests of the projects app: pairings, projects, outcome reports, roll-ups."""
