"""PostgreSQL only: the pg_trgm extension and a trigram index on division names."""

from django.db import migrations

from core.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("core", "0009_notifications")]

    operations = [trigram_indexes([("core_region_name_trgm", "core_region", "name")])]
