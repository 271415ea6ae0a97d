"""The bench harness end to end at a tiny size: its own SQLite file, gunicorn on
127.0.0.1 (one worker), two requests per page, a 50-row import. Asserts that every figure is in
the JSON with a sane value — never on time."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import connection

from bench import measure

PAGES = {
    "home",
    "showcase_index",
    "showcase_page",
    "statistics",
    "admin_organizations",
    "admin_applications",
}
IMPORT_ROWS = 50

# Every test here asks for the test database, so that it is set up before the module
# fixture copies it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory, django_db_setup, django_db_blocker):
    if connection.vendor != "sqlite":
        pytest.skip("the harness runs on a SQLite file of its own: once per CI run")
    folder = tmp_path_factory.mktemp("bench")
    database = folder / "bench.sqlite3"
    results = folder / "bench-results.json"
    # The generator when it is there (tiny scale), else the demo data.
    fill = "bench_generate" if "bench_generate" in get_commands() else "seed_demo"
    # Start from a copy of the migrated test database, marked as a migrated, empty
    # bench database: the harness then only fills it (migrating costs ~20 s).
    with django_db_blocker.unblock():
        connection.ensure_connection()
        copy = sqlite3.connect(database)
        connection.connection.backup(copy)
        (migrations,) = copy.execute(
            "SELECT count(*) FROM django_migrations"
        ).fetchone()
        assert migrations > 0, "the test database was not set up"
        copy.execute(measure.META_CREATE)
        copy.executemany(
            f"INSERT INTO {measure.META_TABLE} (name, value) VALUES (?, ?)",  # noqa: S608
            [("status", "migrated"), ("fill", fill), ("scale", "0.001")]
            + ([("seed", "7")] if fill == "bench_generate" else []),
        )
        copy.commit()
        copy.close()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.bench",
        BENCH_DATABASE_URL=f"sqlite:///{database}",
        BENCH_STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
    )
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "bench",
            "--fill",
            fill,
            "--scale",
            "0.001",
            "--seed",
            "7",
            "--requests",
            "2",
            "--workers",
            "1",
            "--import-rows",
            str(IMPORT_ROWS),
            "--results",
            str(results),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(results.read_text()), database, done.stdout


def test_every_page_is_served_counted_and_compared_to_a_static_file(bench_run):
    results, _database, _stdout = bench_run
    pages = {p["key"]: p for p in results["pages"]}
    assert set(pages) == PAGES
    for key, page in pages.items():
        assert page["error"] == "", (key, page["error"])
        assert page["status"] == 200
        assert page["queries"] > 0
        assert page["bytes"] > 1000  # a real page, not an error stub
        assert page["served_bytes"] > 1000
        assert page["requests"] == 2
        assert 0 < page["median_ms"] <= page["p95_ms"]
        assert 0 < page["static_median_ms"] <= page["static_p95_ms"]
        assert page["ratio"] > 0
    # The listings are timed with a filter and a search term.
    assert "q=" in pages["admin_organizations"]["query"]
    assert "org_type=" in pages["admin_organizations"]["query"]
    assert "q=" in pages["admin_applications"]["query"]
    assert "status=" in pages["admin_applications"]["query"]
    # One data size measured so far: constancy is not judged yet.
    assert len(results["queries_by_size"]) == 1
    assert all(p["queries_constant"] is None for p in results["pages"])


def test_the_import_ran_through_the_importer_and_left_nothing_behind(bench_run):
    results, database, _stdout = bench_run
    imported = results["import"]
    assert "error" not in imported, imported.get("error")
    assert imported["status"] == "succeeded"
    assert imported["rows"] == IMPORT_ROWS
    assert imported["created_count"] == IMPORT_ROWS
    assert imported["created_in_transaction"] == IMPORT_ROWS
    assert imported["seconds"] > 0
    assert imported["peak_rss_mb"] > 0
    assert imported["rows_left_behind"] == 0
    # And checked from outside: the organizations are the ones counted before.
    with sqlite3.connect(database) as db:
        (organizations,) = db.execute(
            "SELECT count(*) FROM incubator_organization"
        ).fetchone()
        (jobs,) = db.execute("SELECT count(*) FROM core_importjob").fetchone()
        (refreshes,) = db.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE task_path LIKE '%figures_refresh'"
        ).fetchone()
    assert organizations == results["data"]["organizations"]
    assert jobs == 0
    assert refreshes == 0  # no worker runs during the bench: none left queued


def test_rollups_funding_line_machine_and_table(bench_run):
    results, _database, stdout = bench_run
    assert set(results["rollups"]) == {
        "county",
        "organization",
        "alliance",
        "fund",
        "year",
    }
    for figures in results["rollups"].values():
        assert figures["seconds"] > 0
        assert figures["first_seconds"] > 0
        assert figures["queries"] > 0
    line = results["funding_line"]
    assert "error" not in line, line.get("error")
    assert line["ranked"] > 0
    assert line["ranking_queries"] > 0
    assert line["seconds"] > 0
    # Nothing the bench did left a stored outcome total out of step with the lines.
    assert results["verify_rollups"]["differences"] == 0
    machine = results["machine"]
    assert machine["cores"] >= 1
    assert machine["db_engine"] == "sqlite"
    assert machine["fill"] in measure.FILLS
    assert machine["date"]
    assert results["data"]["organizations"] > 0
    # The same figures in the JSON and in the printed table.
    keys = {f["key"] for f in results["figures"]}
    for page in PAGES:
        assert {f"{page}.median_ms", f"{page}.ratio", f"{page}.queries"} <= keys
    assert {"import.seconds", "import.peak_rss_mb", "funding_line.seconds"} <= keys
    assert {"rollup.county.seconds", "rollup.county.first_seconds"} <= keys
    # The worker's recompute of the public figures after a change, timed apart
    # from the reader's render (served the previous figures meanwhile).
    assert "figures_refresh.seconds" in keys
    assert results["figures_refresh"]["seconds"] > 0
    assert results["figures_refresh"]["queries"] > 10
    verified = next(
        f for f in results["figures"] if f["key"] == "verify_rollups.differences"
    )
    assert (verified["value"], verified["target"], verified["met"]) == (0, "0", True)
    assert "figure" in stdout and "met?" in stdout
    for figure in results["figures"]:
        assert figure["figure"] in stdout


def test_the_import_probe_reports_its_own_peak_not_the_bench_process():
    """A probe started by a large bench process reports the memory it used
    itself: Linux carries `ru_maxrss` across fork and exec, so a bench process
    of 587 MB once made a 10,000-row import (239 MB on its own) miss its
    500 MB target."""
    if not os.path.exists("/proc/self/status"):
        pytest.skip("VmHWM is Linux's")
    ballast = bytearray(400 * 1024 * 1024)
    ballast[::4096] = b"\x01" * len(ballast[::4096])  # touched: resident
    probe = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import resource; from bench.measure import _peak_rss_kb; "
            "print(_peak_rss_kb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    del ballast
    peak_kb, inherited_kb = (int(v) for v in probe.stdout.split())
    assert inherited_kb > 400 * 1024  # what the probe reported before
    assert peak_kb < 100 * 1024


def test_bench_refuses_other_settings():
    with pytest.raises(CommandError, match="config.settings.bench"):
        call_command("bench")


def test_bench_never_empties_a_database_that_is_not_its_own():
    with pytest.raises(CommandError, match="not a bench database"):
        measure.db_prepare(scale=1.0, seed=None, fill="seed_demo")


def test_queries_are_judged_constant_across_data_sizes():
    def results(scale, organizations, queries):
        return {
            "machine": {
                "fill": "bench_generate",
                "scale": scale,
                "db_engine": "sqlite",
            },
            "data": {"organizations": organizations},
            "pages": [{"key": "home", "queries": queries}],
        }

    small = results(0.01, 500, 14)
    measure.queries_history(small, None)
    assert small["pages"][0]["queries_constant"] is None
    same = results(1.0, 50_000, 14)
    measure.queries_history(same, small)
    assert same["pages"][0]["queries_constant"] is True
    assert set(same["queries_by_size"]) == {"bench_generate@0.01", "bench_generate@1"}
    grew = results(1.0, 50_000, 60)
    measure.queries_history(grew, small)
    assert grew["pages"][0]["queries_constant"] is False


def test_each_figure_beside_todays_as_a_ratio():
    from bench.measure import Figure, baseline_read, baselines_apply, table

    baseline = {
        "import_rows": 10_000,
        "postgresql": {"home.median_ms": 0.7, "import.seconds": 2.7},
    }
    figures = [
        Figure("home.median_ms", "public home: median", 1.4, "ms"),
        Figure("import.seconds", "Excel import of 100,000 rows", 13.5, "s"),
        Figure("rollup.county.seconds", "roll-up by county", 0.2, "s"),
    ]
    baselines_apply(figures, baseline, "postgresql", import_rows=100_000)
    # 1.4 ÷ 0.7 = 2×; the import per row: 13.5 ÷ (2.7 × 10) = 0.5×; no baseline.
    assert [(f.baseline, f.ratio) for f in figures] == [
        (0.7, 2.0),
        (2.7, 0.5),
        (None, None),
    ]
    printed = table(figures)
    assert "× today" in printed.splitlines()[0]
    assert "2.00×" in printed and "0.50×" in printed
    # The file in docs/ holds today's figures for both engines.
    stored = baseline_read()
    assert stored["sqlite"]["import.seconds"] == 2.9
    assert stored["postgresql"]["rollup.county.seconds"] == 1.0
