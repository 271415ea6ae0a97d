"""PostgreSQL only: trigram indexes on organization names and USCCs (core.search)."""

from django.db import migrations

from core.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_pg_trgm_search"),
        ("incubator", "0003_organization_bank_details"),
    ]

    operations = [
        trigram_indexes(
            [
                ("incubator_org_name_trgm", "incubator_organization", "name"),
                ("incubator_org_uscc_trgm", "incubator_organization", "uscc"),
            ]
        )
    ]
