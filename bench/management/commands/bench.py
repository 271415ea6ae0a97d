"""The `bench` command: fill the bench database once, then time it."""

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import measure


class Command(BaseCommand):
    help = (
        "Benchmark on a dedicated database (run with "
        "DJANGO_SETTINGS_MODULE=config.settings.bench, as `make bench` does): fill it "
        "once with bench_generate, then time pages, import, roll-ups and the funding "
        "line; print a table and write bench-results.json. Never fails on time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--fill",
            choices=measure.FILLS,
            default="bench_generate",
            help="The command that fills the bench database (seed_demo: demo data).",
        )
        parser.add_argument("--requests", type=int, default=30, help="per page")
        parser.add_argument("--import-rows", type=int, default=10_000)
        parser.add_argument("--workers", type=int, default=None, help="gunicorn")
        parser.add_argument("--results", default=None, help="JSON file to write")
        parser.add_argument("--import-probe", default=None, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if not getattr(settings, "BENCH", False):
            raise CommandError(
                "The bench empties its database: run it with "
                "DJANGO_SETTINGS_MODULE=config.settings.bench (`make bench` does)."
            )
        if options["import_probe"]:
            measure.import_probe(options["import_probe"], self.stdout)
            return
        measure.run(
            scale=options["scale"],
            seed=options["seed"],
            fill=options["fill"],
            requests=options["requests"],
            import_rows=options["import_rows"],
            workers=options["workers"],
            results_path=options["results"],
            stdout=self.stdout,
        )
