"""Writes of the public site: pages made from the platform's records."""
