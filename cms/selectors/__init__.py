"""Reads of the public site: headline figures and breakdowns (`figures`), the live
sections of an organization showcase (`showcase_sections`)."""
