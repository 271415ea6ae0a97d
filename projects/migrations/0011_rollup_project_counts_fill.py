"""Fill the project counts per roll-up key (0010) from the projects of a database
that already has them: without it an upgraded deployment would show no projects in
its roll-ups until `rollup_totals_rebuild` ran. One INSERT … SELECT … GROUP BY per
dimension (`projects.services.rollup_totals.rollup_counts_rebuild`); about 20 s
at national scale (200,000 projects, the years from 5.5 M per-project totals)."""

from django.db import migrations


def fill(apps, schema_editor):
    from projects.services.rollup_totals import rollup_counts_rebuild

    rollup_counts_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0010_rollup_project_counts"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
