"""The `bench_generate` command: province-scale benchmark data."""

import os
import resource
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

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
        "outcome lines …). Refuses a database that already holds some, and runs "
        "only under the bench settings (config.settings.bench)."
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
        # It drops and rebuilds indexes and constraints (PostgreSQL) and adds
        # thousands of users with one known password: never on a real database.
        if not getattr(settings, "BENCH", False):
            raise CommandError(
                "bench_generate fills a benchmark database only: run it with "
                "DJANGO_SETTINGS_MODULE=config.settings.bench (`manage.py bench` does)."
            )
        started = time.monotonic()
        server_before = _server_cpu_seconds()
        if trace_memory:
            tracemalloc.start()
        try:
            written = bench_generate(scale, seed, log=self.stdout.write)
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        server = _server_cpu_seconds()
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
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.stdout.write(
            f"CPU: generator {usage.ru_utime + usage.ru_stime:.1f} s"
            + (
                f", database server {server - server_before:.1f} s"
                if server is not None and server_before is not None
                else ""
            )
            + f"; peak RSS {usage.ru_maxrss / 1024:.0f} MiB"
        )
        self.stdout.write(self.style.SUCCESS(f"generated in {seconds:.1f} s"))


def _server_cpu_seconds():
    """CPU seconds (user + system) the PostgreSQL backend serving this connection
    has used so far, read from /proc when the server runs on this machine; None
    otherwise (SQLite, a remote server). On a shared machine, CPU time says what a
    run costs better than its wall time."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
