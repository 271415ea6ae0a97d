"""Substring index of application titles: a trigram GIN index on PostgreSQL, an
FTS5 trigram table kept in step by triggers on SQLite
(core.search.SUBSTRING_INDEXES)."""

from django.db import migrations

from core.search import substring_indexes_migration


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_pg_trgm_search"),
        ("funding", "0011_merge_20261201_1116"),
    ]

    operations = [substring_indexes_migration("funding.Application")]
