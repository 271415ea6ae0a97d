"""`python manage.py verify_rollups`: recompute every stored outcome total (per
project, `OutcomeTotal`, and per roll-up key, `OutcomeRollupTotal`) from the
outcome lines, recount the projects per roll-up key (`RollupProjectCount`), check
every pairing's cross-province flag against the regions and print each
difference; exit code 1 when any is found. Changes
nothing (`rollup_totals_rebuild` repairs)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core.numbers import count_display
from projects.choices import TotalBucket
from projects.selectors.rollup_totals import (
    pairing_province_differences,
    rollup_count_differences,
    rollup_dimension_differences,
    rollup_totals_differences,
)
from projects.selectors.rollups import DIMENSIONS


def _side(values, columns):
    if values is None:
        return _("(missing)")
    return ", ".join(f"{c}={values[c]}" for c in columns)


def _province_label(crosses):
    return _("cross-province") if crosses else _("within one province")


def _count_side(values):
    if values is None:
        return _("(missing)")
    projects, money = values
    return _("%(projects)s projects, %(money)s yuan") % {
        "projects": count_display(projects),
        "money": count_display(money),
    }


class Command(BaseCommand):
    help = (
        "Recompute every stored outcome total from the outcome lines and list each "
        "difference (project, indicator, year, bucket, stored, recomputed); exit "
        "code 1 when there is any."
    )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            differences = rollup_totals_differences()
            for d in differences:
                columns = d.columns()
                self.stdout.write(
                    _(
                        "Difference: project %(project)s, indicator %(indicator)s, "
                        "year %(year)s, %(bucket)s — stored: %(stored)s; "
                        "recomputed: %(recomputed)s"
                    )
                    % {
                        "project": d.project_id,
                        "indicator": d.indicator_id,
                        "year": d.year,
                        "bucket": TotalBucket(d.bucket).label,
                        "stored": _side(d.stored, columns),
                        "recomputed": _side(d.recomputed, columns),
                    }
                )
            dimension_differences = rollup_dimension_differences()
            for d in dimension_differences:
                columns = d.columns()
                self.stdout.write(
                    _(
                        "Difference: roll-up by %(dimension)s, key %(key)s, "
                        "indicator %(indicator)s, year %(year)s, %(bucket)s — "
                        "stored: %(stored)s; recomputed: %(recomputed)s"
                    )
                    % {
                        "dimension": d.dimension,
                        "key": d.key,
                        "indicator": d.indicator_id,
                        "year": d.year,
                        "bucket": TotalBucket(d.bucket).label,
                        "stored": _side(d.stored, columns),
                        "recomputed": _side(d.recomputed, columns),
                    }
                )
            count_differences = rollup_count_differences()
            for d in count_differences:
                self.stdout.write(
                    _(
                        "Difference: projects of roll-up by %(dimension)s, key "
                        "%(key)s — stored: %(stored)s; recounted: %(recounted)s"
                    )
                    % {
                        "dimension": DIMENSIONS[d.dimension],
                        "key": d.key,
                        "stored": _count_side(d.stored),
                        "recounted": _count_side(d.recounted),
                    }
                )
            flag_differences = pairing_province_differences()
            for pairing, stored in flag_differences:
                self.stdout.write(
                    _(
                        "Difference: pairing %(pairing)s is stored as %(stored)s; "
                        "its regions make it %(recomputed)s"
                    )
                    % {
                        "pairing": pairing,
                        "stored": _province_label(stored),
                        "recomputed": _province_label(not stored),
                    }
                )
            differences = (
                differences
                + dimension_differences
                + count_differences
                + flag_differences
            )
            if differences:
                raise CommandError(
                    _(
                        "%(count)s stored outcome totals differ from the outcome "
                        'lines (python manage.py shell -c "from '
                        "projects.services.rollup_totals import rollup_totals_rebuild; "
                        'rollup_totals_rebuild()" recomputes them).'
                    )
                    % {"count": len(differences)},
                    returncode=1,
                )
            self.stdout.write(
                _("Consistent: every stored outcome total matches the lines.")
            )
