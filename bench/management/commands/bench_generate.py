"""The `bench_generate` command: province-scale benchmark data."""

import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError

from bench.generate import (
    PASSWORD,
    BenchError,
    bench_generate,
    bench_line_call,
)


class Command(BaseCommand):
    help = (
        "Fill the current database with province-scale benchmark data "
        "(scale 1.0: 50,000 organizations, 200,000 applications, 1,000,000 "
        "outcome lines …). Refuses a database that already holds some."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--trace-memory",
            action="store_true",
            help="Report the peak of Python allocations (slower).",
        )

    def handle(self, *args, scale, seed, trace_memory, **options):
        started = time.monotonic()
        if trace_memory:
            tracemalloc.start()
        try:
            written = bench_generate(scale, seed, log=self.stdout.write)
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        for what, count in sorted(written.items()):
            self.stdout.write(f"  {what:<45} {count:>10,}")
        line = bench_line_call()
        self.stdout.write(
            f"BENCH-LINE call: pk {line.pk}, "
            f"{line.applications.count():,} reviewed applications"
        )
        self.stdout.write(f"Users bench-<role>-NNNN, password {PASSWORD}")
        if trace_memory:
            _current, peak = tracemalloc.get_traced_memory()
            self.stdout.write(f"peak Python memory: {peak / 2**20:.0f} MiB")
        self.stdout.write(self.style.SUCCESS(f"generated in {seconds:.1f} s"))
