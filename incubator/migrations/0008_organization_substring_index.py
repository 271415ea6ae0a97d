"""Substring index of the organization registry (name, USCC, filing number,
business supervisor): trigram GIN indexes on PostgreSQL, an FTS5 trigram table
kept in step by triggers on SQLite (core.search.SUBSTRING_INDEXES)."""

from django.db import migrations

from core.search import substring_indexes_migration


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_pg_trgm_search"),
        ("incubator", "0007_merge_20261201_1116"),
    ]

    operations = [substring_indexes_migration("incubator.Organization")]
