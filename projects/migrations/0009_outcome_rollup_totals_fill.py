"""Fill the per-dimension totals (0008) from the stored per-project totals of a
database that already has reports: without it an upgraded deployment would show
empty roll-ups until `rollup_totals_rebuild` ran. Raw SQL over the two tables
(`projects.services.rollup_totals.rollup_dimensions_rebuild`); cheap on an empty
database, about 80 s for 5.5 M per-project totals at national scale."""

from django.db import migrations


def fill(apps, schema_editor):
    from projects.services.rollup_totals import rollup_dimensions_rebuild

    rollup_dimensions_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0008_outcome_rollup_totals"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
