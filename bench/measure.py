"""The benchmark's measurements: `manage.py bench` (and `make bench`) runs `run`.

One run, on the dedicated bench database (`config.settings.bench`):

1. the database: created, migrated and filled by `bench_generate --scale S` once;
   later runs at the same scale reuse it (a `bench_meta` table, outside the
   migrations, records what filled it);
2. pages: the public home, showcase index, a showcase page, the statistics page,
   and the admin organization and application listings each with a filter and a
   search term — queries per request and bytes counted in-process by Django's test
   client, then timed over HTTP against gunicorn (several workers, production
   settings, WhiteNoise), each page interleaved with a static file of the same bytes
   served by the same gunicorn;
3. an Excel import of N organization rows through the real importer path
   (`core.imports.import_job_run`, what the background worker runs), in a child
   process for its peak memory, inside a transaction that is rolled back;
4. each roll-up the roll-up screen shows (official and pending figures by each
   dimension, and the headline counts);
5. the funding line of the call named "BENCH-LINE…" (computed, recorded, and rolled
   back).

Figures are printed as a table and written to a JSON file. Nothing here fails on
time: targets are reported as met or not.
"""

import datetime
import http.client
import io
import json
import math
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation

META_TABLE = "bench_meta"
META_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {META_TABLE} "
    "(name varchar(50) PRIMARY KEY, value varchar(200) NOT NULL)"
)
BENCH_USERNAME = "bench-admin"
LINE_CALL_PREFIX = "BENCH-LINE"
FILLS = ("bench_generate", "seed_demo")
GUNICORN_CONF = "config/gunicorn.conf.py"

PUBLIC_RATIO_TARGET = 3.0  # a public page at most 3× a static file of its size
PUBLIC_RENDER_TARGET_MS = 20.0  # one render on a cache miss, at national scale
RENDER_REPEATS = 10  # in-process renders of each page; their median is read
CHANGED_REPEATS = 3  # public renders after a change of the data; their median is read
# The listings with a search and a filter: PostgreSQL at 1,000,000
# organizations, SQLite at 50,000.
LISTING_MEDIAN_TARGET_MS = {"postgresql": 100.0, "sqlite": 150.0}
IMPORT_TARGET_S = 30.0  # per 100,000 rows (earlier: 10 s for 10,000)
IMPORT_TARGET_ROWS = 100_000
IMPORT_PEAK_TARGET_MB = 500.0  # the importing process's peak memory, any size
# Each roll-up screen, from the stored totals: PostgreSQL at 10,000,000 outcome
# lines, SQLite at 1,000,000 (it was 2 s at 1,000,000 read line by line).
ROLLUP_TARGET_S = 0.3
ROLLUP_REPEATS = 3  # calls of each roll-up screen after the first; their median is read


_STARTED = time.monotonic()


def log(stdout, message):
    if stdout is not None:
        stdout.write(f"[{time.monotonic() - _STARTED:6.1f} s] {message}")
        stdout.flush()


# --------------------------------------------------------------------------- database


def _table_names():
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def meta_read():
    """What filled the bench database ({key: value}), or None if it isn't one yet."""
    try:
        if META_TABLE not in _table_names():
            return None
    except DatabaseError:  # no database yet (PostgreSQL)
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {META_TABLE}")  # noqa: S608
        return dict(cursor.fetchall())


def meta_write(**values):
    with connection.cursor() as cursor:
        cursor.execute(META_CREATE)
        for name, value in values.items():
            cursor.execute(f"DELETE FROM {META_TABLE} WHERE name = %s", [name])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {META_TABLE} (name, value) VALUES (%s, %s)",  # noqa: S608
                [name, str(value)],
            )


def db_recreate():
    """Empty the bench database by dropping and creating it."""
    connection.close()
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        return
    if connection.vendor != "postgresql":
        raise CommandError(
            f"The bench runs on SQLite or PostgreSQL, not {connection.vendor}."
        )
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")


def db_prepare(*, scale, seed, fill, stdout=None):
    """Make sure the bench database holds data filled by `fill` at `scale`: reuse it
    when it does, fill it when it is migrated and still empty, otherwise rebuild it.
    Returns the meta record and whether it was filled in this run.

    `bench_meta.status`: migrated (empty) → filling → generated."""
    meta = meta_read()
    wanted = {"fill": fill, "scale": _scale_text(scale)}
    if fill == "bench_generate" and seed is not None:
        wanted["seed"] = str(seed)
    matches = bool(meta) and all(meta.get(k) == v for k, v in wanted.items())
    if matches and meta.get("status") == "generated":
        log(stdout, f"Reusing the bench database ({fill}, scale {wanted['scale']}).")
        call_command("migrate", interactive=False, verbosity=0)
        return meta, False
    if meta is None and _has_tables():
        raise CommandError(
            f"{connection.settings_dict['NAME']} has tables but no {META_TABLE} table: "
            "it is not a bench database, and the bench would empty it. Point "
            "BENCH_DATABASE_URL at a database of its own."
        )
    if fill not in get_commands():
        raise CommandError(
            f"`manage.py {fill}` is not available: the bench needs it to fill its "
            "database."
        )
    if not (matches and meta.get("status") == "migrated"):
        log(stdout, "Building the bench database: create and migrate…")
        db_recreate()
        call_command("migrate", interactive=False, verbosity=0)
        meta_write(status="migrated", **wanted)
    else:
        call_command("migrate", interactive=False, verbosity=0)
    log(stdout, f"Filling it with {fill} (scale {wanted['scale']})…")
    meta_write(status="filling")
    started = time.perf_counter()
    if fill == "bench_generate":
        args = ["--scale", _scale_text(scale)]
        if seed is not None:
            args += ["--seed", str(seed)]
        call_command("bench_generate", *args, stdout=stdout or io.StringIO())
    else:
        call_command(fill, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    meta_write(
        status="generated",
        generate_seconds=f"{seconds:.1f}",
        generated_at=timezone.now().isoformat(timespec="seconds"),
    )
    log(stdout, f"Filled by {fill} in {seconds:.1f} s.")
    return meta_read(), True


def _has_tables():
    try:
        return bool(_table_names())
    except DatabaseError:  # the database does not exist yet
        return False


def _scale_text(scale):
    return f"{float(scale):g}"


def bench_user():
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=BENCH_USERNAME,
        defaults={"is_superuser": True, "is_staff": True, "email": "bench@example.org"},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def data_counts():
    from funding.models import Application, Call
    from incubator.models import IncubationBase, Organization, Residency
    from projects.models import OutcomeLine, Project

    models = {
        "organizations": Organization,
        "bases": IncubationBase,
        "residencies": Residency,
        "calls": Call,
        "applications": Application,
        "projects": Project,
        "outcome_rows": OutcomeLine,
    }
    return {key: model.objects.count() for key, model in models.items()}


# ------------------------------------------------------------------------------ pages


@dataclass
class PageTarget:
    key: str
    label: str
    path: str
    admin: bool
    note: str = ""
    status: int | None = None
    queries: int | None = None
    bytes: int | None = None
    body: bytes = field(default=b"", repr=False)
    times_ms: list = field(default_factory=list)
    static_times_ms: list = field(default_factory=list)
    served_bytes: int | None = None
    render_ms: float | None = None  # median in-process render, page cache off
    # public pages: a render after a change of the data (figures and tree dropped)
    changed_ms: float | None = None
    changed_queries: int | None = None
    error: str = ""


def page_targets():
    """The pages to time, with the filter and search term used on the listings."""
    from cms.models import (
        HomePage,
        OrganizationShowcaseIndexPage,
        OrganizationShowcasePage,
        StatisticsPage,
    )
    from funding.models import Application
    from incubator.models import Organization

    targets = []

    def page_path(model, key, label):
        page = model.objects.live().order_by("path").first()
        if page is None:
            targets.append(PageTarget(key, label, "", False, error="no such page"))
            return
        url = page.get_url() or ""
        targets.append(PageTarget(key, label, urlsplit(url).path or "/", False))

    page_path(HomePage, "home", "public home")
    page_path(OrganizationShowcaseIndexPage, "showcase_index", "showcase index")
    page_path(OrganizationShowcasePage, "showcase_page", "a showcase page")
    page_path(StatisticsPage, "statistics", "statistics page")

    # A search term and filter taken from a row in the middle of the table, so the
    # listing finds something: the first two characters of a name (often a place
    # name, matching many rows — the hard case for a LIKE search) and its type.
    listings = [
        (
            "admin_organizations",
            "admin organization listing",
            Organization,
            "wagtailsnippets_incubator_organization:list",
            "name",
            "org_type",
        ),
        (
            "admin_applications",
            "admin application listing",
            Application,
            "wagtailsnippets_funding_application:list",
            "title",
            "status",
        ),
    ]
    for key, label, model, url_name, searched, filtered in listings:
        rows = model.objects.order_by("pk")
        count = rows.count()
        row = rows[count // 2] if count else None
        query = (
            {"q": getattr(row, searched)[:2], filtered: getattr(row, filtered)}
            if row
            else {}
        )
        targets.append(
            PageTarget(
                key,
                label,
                reverse(url_name) + ("?" + urlencode(query) if query else ""),
                True,
                note=urlencode(query),
            )
        )
    return targets


def pages_render(targets, user, repeats=RENDER_REPEATS, changed=CHANGED_REPEATS):
    """Queries, bytes and time of each page rendered in-process after one warm-up,
    with the public page cache off: what a reader pays when a stored page has
    expired (the timed requests over HTTP go through the cache, as in
    production). The time is the median of `repeats` renders (ms): one render
    alone moves by half with a collection of Python's garbage or a page the
    database reads from disk. These renders read the public figures and the
    site tree from their own caches, which the warm-up filled.

    A public page is also rendered `changed` times right after a change of the
    data (`figures_invalidate`, what every save of an organization, application
    or award sends): the page cache and the site tree are dropped and the
    figures marked stale, so the render reads the tree again, serves the
    previous figures and queues their refresh for the worker (one task row) —
    what the first reader after a write pays (`changed_ms`, the median;
    `changed_queries`). The worker's recompute is timed apart
    (`figures_refresh_measure`). The queued refreshes are removed afterwards:
    no worker runs during the bench."""
    from cms.selectors.figures import figures_invalidate

    public = Client(HTTP_HOST="127.0.0.1")
    admin = Client(HTTP_HOST="127.0.0.1")
    admin.force_login(user)
    for target in targets:
        if target.error:
            continue
        client = admin if target.admin else public
        with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
            client.get(target.path)
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(target.path)
                times.append((time.perf_counter() - started) * 1000)
            target.render_ms = round(statistics.median(times), 2)
            if not target.admin and changed:
                after = []
                for _ in range(changed):
                    figures_invalidate()
                    started = time.perf_counter()
                    with CaptureQueriesContext(connection) as recomputed:
                        client.get(target.path)
                    after.append((time.perf_counter() - started) * 1000)
                target.changed_ms = round(statistics.median(after), 2)
                target.changed_queries = len(recomputed)
        target.status = response.status_code
        target.queries = len(queries)
        target.body = response.content
        target.bytes = len(response.content)
        if response.status_code != 200:
            target.error = f"HTTP {response.status_code}"
    _queued_refreshes_remove()
    return admin.cookies[settings.SESSION_COOKIE_NAME].value


def _queued_refreshes_remove():
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path__endswith=".figures_refresh").delete()


def figures_refresh_measure(stdout=None):
    """What the worker pays after a change of the data: the public figures of all
    years recomputed from the lines (`cms.selectors.figures.figures_refresh`) —
    how long readers keep seeing the figures from before the change.
    {"seconds": one recompute, "queries"}."""
    from cms.selectors.figures import figures_invalidate, figures_refresh

    log(stdout, "Public figures recomputed after a change…")
    figures_invalidate()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        figures_refresh.call("all")
        seconds = time.perf_counter() - started
    _queued_refreshes_remove()
    return {"seconds": round(seconds, 3), "queries": len(queries)}


def static_twins(targets):
    """Write, for each page, a static file of the page's own bytes into STATIC_ROOT
    (before gunicorn starts: WhiteNoise indexes its files at start-up)."""
    folder = Path(settings.STATIC_ROOT) / "bench"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for target in targets:
        if target.body:
            (folder / f"{target.key}.html").write_bytes(target.body)


def static_path(target):
    return f"{settings.STATIC_URL}bench/{target.key}.html"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn serving the project on 127.0.0.1 with the bench settings and the
    deployment's `config/gunicorn.conf.py` (its bind, workers and logs overridden)."""

    def __init__(self, workers):
        self.workers = workers
        self.port = free_port()
        self.process = None

    def __enter__(self):
        env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings.SETTINGS_MODULE)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--log-level",
            "warning",
            "--access-logfile",
            os.devnull,
        ]
        conf = Path(settings.BASE_DIR) / GUNICORN_CONF
        if conf.exists():  # the deployment's settings: gthread workers, timeouts…
            command[3:3] = ["--config", str(conf)]
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=settings.BASE_DIR, env=env
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _body, _ms = self.get(f"{settings.STATIC_URL}bench/home.html")
                if status:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                raise CommandError("gunicorn stopped before serving a request.")
            if time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise CommandError("gunicorn did not answer within 60 s.")
            time.sleep(0.2)

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def get(self, path, cookie=None):
        """(status, body, milliseconds) of one GET on a new connection."""
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if cookie:
            headers["Cookie"] = cookie
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        return response.status, body, (time.perf_counter() - started) * 1000


def pages_time(targets, *, session, requests, workers, stdout=None):
    """Median and p95 over HTTP of every page and its static twin, interleaved."""
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    live = [t for t in targets if not t.error]
    with Gunicorn(workers) as server:
        for target in live:
            log(stdout, f"Timing {target.label} ({requests} requests)…")
            path = static_path(target)
            jar = cookie if target.admin else None
            for _warm in range(2 * workers):
                server.get(target.path, jar)
                server.get(path)
            for _n in range(requests):
                status, body, ms = server.get(target.path, jar)
                if status != 200:
                    target.error = f"HTTP {status} from gunicorn"
                    break
                target.times_ms.append(ms)
                target.served_bytes = len(body)
                status, _body, ms = server.get(path)
                if status != 200:
                    target.error = f"HTTP {status} for the static file"
                    break
                target.static_times_ms.append(ms)


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# ----------------------------------------------------------------------------- import


def import_workbook(path, rows):
    """An .xlsx of `rows` new organizations, valid and with unused codes, in the
    columns and Chinese labels of the export, as an operator would upload it."""
    import openpyxl

    from core.models import Region
    from incubator.choices import (
        USCC_CATEGORY_BY_TYPE,
        OrganizationType,
        RegistrationLevel,
    )
    from incubator.imports.organizations import ORGANIZATION_COLUMNS
    from incubator.models import Organization, ServiceField
    from incubator.uscc import uscc_make

    counties = list(
        Region.objects.filter(level=Region.Level.COUNTY)
        .order_by("code")
        .values_list("code", flat=True)[:200]
    ) or list(Region.objects.order_by("code").values_list("code", flat=True)[:50])
    fields = list(ServiceField.objects.values_list("name", flat=True)[:6])
    used = set(Organization.objects.exclude(uscc=None).values_list("uscc", flat=True))
    types = [
        OrganizationType.SOCIAL_SERVICE,
        OrganizationType.SOCIAL_GROUP,
        OrganizationType.FOUNDATION,
    ]
    levels = [RegistrationLevel.COUNTY, RegistrationLevel.CITY]
    keys = [
        "name",
        "uscc",
        "org_type",
        "registration_level",
        "region_code",
        "business_supervisor",
        "founded_on",
        "service_fields",
        "legal_representative",
        "contact_phone",
    ]
    labels = {c.key: c.label for c in ORGANIZATION_COLUMNS}
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    with translation.override("zh-hans"):
        sheet.append([str(labels[k]) for k in keys])
        type_labels = {t: str(t.label) for t in types}
        level_labels = {lv: str(lv.label) for lv in levels}
    serial = 77_000_000
    for i in range(rows):
        org_type = types[i % len(types)]
        region = counties[i % len(counties)]
        while True:
            serial += 1
            code = uscc_make(USCC_CATEGORY_BY_TYPE[org_type], region[:6], serial)
            if code not in used:
                break
        used.add(code)
        sheet.append(
            [
                f"基准导入测试社会组织{i + 1:05d}号服务中心",
                code,
                type_labels[org_type],
                level_labels[levels[i % len(levels)]],
                region,
                "县民政局",
                datetime.date(2015 + i % 10, 1 + i % 12, 1 + i % 28).isoformat(),
                "、".join(fields[i % len(fields) : i % len(fields) + 2])
                if fields
                else "",
                f"张{i % 100:02d}",
                f"0731-{8800000 + i}",
            ]
        )
    book.save(path)


def import_probe(path, stdout):
    """In a child process: import the workbook as the background worker would,
    inside a transaction that is rolled back; print one JSON line of figures."""
    from django.core.files import File

    from core.imports import import_job_run
    from core.models import ImportJob
    from incubator.models import Organization

    user = bench_user()
    before_kb = _rss_kb()
    with transaction.atomic():
        job = ImportJob(
            kind="organizations", original_name=Path(path).name, created_by=user
        )
        with open(path, "rb") as handle:
            job.file.save(Path(path).name, File(handle), save=False)
        job.save()
        rows_before = Organization.objects.count()
        started = time.perf_counter()
        cpu_started = time.process_time()
        job = import_job_run(job, "zh-hans")
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        created_in_transaction = Organization.objects.count() - rows_before
        transaction.set_rollback(True)
    peak_kb = _peak_rss_kb()
    stdout.write(
        json.dumps(
            {
                "status": job.status,
                "created_count": job.created_count,
                "created_in_transaction": created_in_transaction,
                "errors": job.errors[:5],
                "seconds": round(seconds, 3),
                "cpu_seconds": round(cpu_seconds, 3),
                "peak_rss_mb": round(peak_kb / 1024, 1),
                "rss_increase_mb": round((peak_kb - before_kb) / 1024, 1),
            }
        )
    )


def _proc_status_kb(field):
    """Field `field` ("VmRSS", "VmHWM") of /proc/self/status in KiB, or None
    where there is no /proc (not Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _rss_kb():
    """The process's resident memory now (Linux), else its high-water mark so far."""
    now = _proc_status_kb("VmRSS")
    return (
        now if now is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    )


def _peak_rss_kb():
    """The process's peak resident memory in KiB: VmHWM on Linux — its own
    address space's high-water mark. Not `getrusage().ru_maxrss`, which Linux
    carries across fork and exec: a probe started by a bench process of 600 MB
    would report 600 MB whatever it used itself (getrusage(2), "preserved
    across execve")."""
    peak = _proc_status_kb("VmHWM")
    return (
        peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    )


def import_measure(rows, stdout=None):
    from incubator.models import Organization

    log(stdout, f"Importing {rows:,} organization rows (rolled back)…")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        path = Path(folder) / "organizations.xlsx"
        import_workbook(path, rows)
        size = path.stat().st_size
        before = Organization.objects.count()
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE=settings.SETTINGS_MODULE,
            MEDIA_ROOT=str(Path(folder) / "media"),
        )
        connection.close()  # SQLite: let the child write
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "bench", "--import-probe", str(path)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        after = Organization.objects.count()
    if done.returncode != 0:
        return {"rows": rows, "error": done.stderr.strip()[-2000:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(rows=rows, file_bytes=size, rows_left_behind=after - before)
    if result["status"] != "succeeded":
        result["error"] = f"import {result['status']}: {result['errors']}"
    return result


# ---------------------------------------------------------------------------- roll-ups


def rollups_measure(user, stdout=None, repeats=ROLLUP_REPEATS):
    """Each screen of the roll-up view: official and pending figures by one
    dimension (by organization and by alliance its first page), and the
    headline counts. {dimension: {"seconds": median of `repeats` calls after
    the first, "first_seconds": the first call (the database's cache as the
    steps before left it), "queries", "rows"}}; a server's screen is asked
    often, so the target is read on the repeats."""
    from projects.selectors.rollups import (
        DIMENSIONS,
        PAGED_DIMENSIONS,
        headline,
        rollups,
    )

    out = {}
    for dimension in DIMENSIONS:
        log(stdout, f"Roll-up by {dimension}…")
        # by organization and by alliance the screen shows its first page
        page = 1 if dimension in PAGED_DIMENSIONS else None
        times = []
        for _ in range(1 + repeats):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                official, _pending = rollups(dimension, user=user, page=page)
                headline(user)
                times.append(time.perf_counter() - started)
        out[dimension] = {
            "seconds": round(statistics.median(times[1:]), 3),
            "first_seconds": round(times[0], 3),
            "queries": len(queries),
            "rows": len(official.rows),
        }
    return out


def rollups_verify(stdout=None):
    """After everything the bench wrote (and rolled back): the stored outcome
    totals (per project and per roll-up key) recomputed from the lines and the
    project counts per key recounted, as
    `verify_rollups` does. {"differences": count, "seconds": s}, or {"error":
    text}."""
    from projects.selectors.rollup_totals import (
        rollup_count_differences,
        rollup_dimension_differences,
        rollup_totals_differences,
    )

    log(stdout, "Recomputing the stored outcome totals (verify_rollups)…")
    started = time.perf_counter()
    try:
        differences = (
            rollup_totals_differences()
            + rollup_dimension_differences()
            + rollup_count_differences()
        )
    except DatabaseError as exc:  # reported; the bench goes on
        return {"error": str(exc)[:200]}
    return {
        "differences": len(differences),
        "seconds": round(time.perf_counter() - started, 2),
    }


# ------------------------------------------------------------------------ funding line


def funding_line_measure(user, stdout=None):
    """The ranking and funding line of the BENCH-LINE call (or, on other data, the
    call with most submitted reviews), drawn and recorded, then rolled back."""
    from django.db.models import Count, Q

    from funding.choices import ReviewStatus, ShortfallRule
    from funding.models import Application, Call
    from funding.selectors.results import RANKED_STATUSES, call_results
    from funding.services.funding_line import funding_line_draw

    call = Call.objects.filter(name__startswith=LINE_CALL_PREFIX).order_by("pk").first()
    if call is None:
        call = (
            Call.objects.annotate(
                n=Count(
                    "applications__reviews",
                    filter=Q(applications__reviews__status=ReviewStatus.SUBMITTED),
                )
            )
            .filter(n__gt=0)
            .order_by("-n", "pk")
            .first()
        )
    if call is None:
        return {"error": "no call with submitted reviews"}
    log(stdout, f"Funding line of “{call.name}”…")
    applications = Application.objects.filter(call=call, status__in=RANKED_STATUSES)
    result = {"call": call.name, "applications": applications.count()}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        ranked, _fallback = call_results(call)
        result["ranking_seconds"] = round(time.perf_counter() - started, 3)
    result["ranking_queries"] = len(queries)
    result["ranked"] = len(ranked)
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                line = funding_line_draw(
                    call,
                    rule=ShortfallRule.REDUCE,
                    reason="bench: drawn and rolled back",
                    user=user,
                )
                result["seconds"] = round(time.perf_counter() - started, 3)
            result["queries"] = len(queries)
            result["entries"] = line.entries.count()
            transaction.set_rollback(True)
    except Exception as exc:  # reported; the bench goes on
        result["error"] = str(exc)
    return result


# ----------------------------------------------------------------------------- report


@dataclass
class Figure:
    key: str
    figure: str
    value: object
    unit: str = ""
    target: str = ""
    met: bool | None = None
    baseline: float | None = None  # today's figure (docs/bench-baseline.json)
    ratio: float | None = None  # value ÷ baseline (the import: per row)

    def shown_baseline(self):
        if self.baseline is None:
            return ""
        return f"{self.baseline:,g} {self.unit}".strip()

    def shown_ratio(self):
        return "" if self.ratio is None else f"{self.ratio:,.2f}×"

    def shown(self):
        if self.value is None:
            return "—"
        if isinstance(self.value, float):
            return f"{self.value:,.2f} {self.unit}".strip()
        if isinstance(self.value, int):
            return f"{self.value:,} {self.unit}".strip()
        return f"{self.value} {self.unit}".strip()


def figures_of(results):
    """The table: one Figure per measured value."""
    rows = []
    engine = results["machine"]["db_engine"]
    listing_target = LISTING_MEDIAN_TARGET_MS.get(engine, 150.0)
    for page in results["pages"]:
        label = page["label"]
        if page.get("error"):
            rows.append(Figure(f"{page['key']}.error", label, page["error"]))
            continue
        listing = page["admin"]
        rows.append(
            Figure(
                f"{page['key']}.median_ms",
                f"{label}: median",
                page["median_ms"],
                "ms",
                f"≤ {listing_target:g} ms" if listing else "",
                page["median_ms"] <= listing_target if listing else None,
            )
        )
        rows.append(
            Figure(f"{page['key']}.p95_ms", f"{label}: p95", page["p95_ms"], "ms")
        )
        rows.append(
            Figure(
                f"{page['key']}.static_median_ms",
                f"{label}: static file of {page['bytes']:,} bytes, median",
                page["static_median_ms"],
                "ms",
            )
        )
        rows.append(
            Figure(
                f"{page['key']}.ratio",
                f"{label}: ratio to the static file",
                page["ratio"],
                "×",
                "" if listing else f"≤ {PUBLIC_RATIO_TARGET:g}×",
                None if listing else page["ratio"] <= PUBLIC_RATIO_TARGET,
            )
        )
        rows.append(
            Figure(
                f"{page['key']}.render_ms",
                f"{label}: one render, its stored page expired (in-process, median of {RENDER_REPEATS})",
                page.get("render_ms"),
                "ms",
                "" if listing else f"≤ {PUBLIC_RENDER_TARGET_MS:g} ms",
                None
                if listing or page.get("render_ms") is None
                else page["render_ms"] <= PUBLIC_RENDER_TARGET_MS,
            )
        )
        if page.get("changed_ms") is not None:
            rows.append(
                Figure(
                    f"{page['key']}.changed_ms",
                    f"{label}: one render after a change of the data (previous figures served, median of {CHANGED_REPEATS})",
                    page["changed_ms"],
                    "ms",
                    f"≤ {PUBLIC_RENDER_TARGET_MS:g} ms",
                    page["changed_ms"] <= PUBLIC_RENDER_TARGET_MS,
                )
            )
            rows.append(
                Figure(
                    f"{page['key']}.changed_queries",
                    f"{label}: queries of that render",
                    page.get("changed_queries"),
                    "",
                )
            )
        constant = page.get("queries_constant")
        rows.append(
            Figure(
                f"{page['key']}.queries",
                f"{label}: queries per request",
                page["queries"],
                "",
                "constant in data size",
                constant,
            )
        )
    imp = results["import"]
    allowed = IMPORT_TARGET_S * imp["rows"] / IMPORT_TARGET_ROWS
    rows.append(
        Figure(
            "import.seconds",
            f"Excel import of {imp['rows']:,} organization rows",
            imp.get("seconds") if not imp.get("error") else imp["error"][:80],
            "s" if not imp.get("error") else "",
            f"≤ {allowed:g} s ({IMPORT_TARGET_S:g} s per {IMPORT_TARGET_ROWS:,})",
            imp["seconds"] <= allowed if not imp.get("error") else False,
        )
    )
    rows.append(
        Figure(
            "import.cpu_seconds",
            "import: CPU time of the importing process",
            imp.get("cpu_seconds"),
            "s",
        )
    )
    peak = imp.get("peak_rss_mb")
    rows.append(
        Figure(
            "import.peak_rss_mb",
            "import: peak memory (RSS)",
            peak,
            "MB",
            f"≤ {IMPORT_PEAK_TARGET_MB:g} MB",
            peak <= IMPORT_PEAK_TARGET_MB if peak is not None else None,
        )
    )
    rows.append(
        Figure(
            "import.rss_increase_mb",
            "import: memory added by the import",
            imp.get("rss_increase_mb"),
            "MB",
        )
    )
    rows.append(
        Figure(
            "import.rows_left_behind",
            "import: rows left in the bench database",
            imp.get("rows_left_behind"),
            "",
            "0",
            imp.get("rows_left_behind") == 0,
        )
    )
    outcome_rows = results["data"]["outcome_rows"]
    for dimension, figures in results["rollups"].items():
        rows.append(
            Figure(
                f"rollup.{dimension}.seconds",
                f"roll-up screen by {dimension} ({outcome_rows:,} outcome rows): median",
                figures["seconds"],
                "s",
                f"≤ {ROLLUP_TARGET_S:g} s",
                figures["seconds"] <= ROLLUP_TARGET_S,
            )
        )
        if "first_seconds" in figures:
            rows.append(
                Figure(
                    f"rollup.{dimension}.first_seconds",
                    f"roll-up screen by {dimension}: first call",
                    figures["first_seconds"],
                    "s",
                )
            )
    verified = results.get("verify_rollups")
    if verified:
        rows.append(
            Figure(
                "verify_rollups.differences",
                "verify_rollups: stored totals that differ from the lines",
                verified.get("differences", verified.get("error")),
                "",
                "0",
                verified.get("differences") == 0,
            )
        )
        rows.append(
            Figure(
                "verify_rollups.seconds",
                "verify_rollups: every total recomputed from the lines",
                verified.get("seconds"),
                "s",
            )
        )
    refreshed = results.get("figures_refresh")
    if refreshed:
        rows.append(
            Figure(
                "figures_refresh.seconds",
                "public figures recomputed by the worker after a change (readers see the previous ones meanwhile)",
                refreshed["seconds"],
                "s",
            )
        )
    generated = results["machine"].get("generate_seconds")
    if generated is not None:
        rows.append(
            Figure(
                "generate.seconds",
                f"bench_generate at scale {results['machine']['scale']:g}",
                generated,
                "s",
            )
        )
    line = results["funding_line"]
    if line.get("error") and "seconds" not in line:
        rows.append(Figure("funding_line.error", "funding line", line["error"]))
    else:
        rows.append(
            Figure(
                "funding_line.ranking_seconds",
                f"ranking of {line['applications']:,} applications",
                line["ranking_seconds"],
                "s",
            )
        )
        rows.append(
            Figure(
                "funding_line.seconds",
                f"funding line drawn over {line['applications']:,} applications",
                line.get("seconds"),
                "s",
            )
        )
    return rows


BASELINE_PATH = Path(__file__).resolve().parent.parent / "docs" / "bench-baseline.json"


def baseline_read(path=None):
    """Today's figures (README "Scale and speed") from docs/bench-baseline.json:
    {"sqlite": {figure key: value}, "postgresql": {…}, "import_rows": N, …};
    {} when the file is missing or unreadable."""
    try:
        return json.loads(Path(path or BASELINE_PATH).read_text())
    except (OSError, ValueError):
        return {}


def _baseline_key(key):
    """The key of today's figure that `key` is compared with, or None. Today's
    roll-up figures (docs/bench-baseline.json) were one call each: they stand
    beside the first call (`rollup.<dimension>.first_seconds`), not beside the
    median of the calls after it."""
    if key.startswith("rollup.") and key.endswith(".first_seconds"):
        return key.removesuffix(".first_seconds") + ".seconds"
    if key.startswith("rollup.") and key.endswith(".seconds"):
        return None
    return key


def baselines_apply(figures, baseline, engine, import_rows=None):
    """Set each figure's `baseline` (today's value on this database engine) and
    `ratio` (this run ÷ today; below 1 is better for times). The import's seconds
    are compared per row when this run imports another number of rows."""
    today = baseline.get(engine) or {}
    for fig in figures:
        old = today.get(_baseline_key(fig.key))
        if old is None or not isinstance(fig.value, int | float) or not old:
            continue
        fig.baseline = old
        per = 1.0
        if fig.key == "import.seconds" and import_rows and baseline.get("import_rows"):
            per = import_rows / baseline["import_rows"]
        fig.ratio = round(fig.value / (old * per), 2)
    return figures


def table(figures, header=""):
    heads = ("figure", "value", "target", "met?", "today", "× today")
    cells = [
        (
            f.figure,
            f.shown(),
            f.target,
            {True: "yes", False: "NO", None: ""}[f.met],
            f.shown_baseline(),
            f.shown_ratio(),
        )
        for f in figures
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    lines = [header] if header else []
    lines.append("  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)))
    lines.append("  ".join("-" * w for w in widths))
    for cell in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)))
    return "\n".join(lines)


def machine_info(meta, workers, requests):
    info = {
        "date": timezone.now().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "db_engine": connection.vendor,
        "db_name": Path(str(connection.settings_dict["NAME"])).name,
        "fill": meta.get("fill"),
        "scale": float(meta.get("scale", "0")),
        "generate_seconds": float(meta["generate_seconds"])
        if meta.get("generate_seconds")
        else None,
        "gunicorn_workers": workers,
        "gunicorn_config": GUNICORN_CONF
        if (Path(settings.BASE_DIR) / GUNICORN_CONF).exists()
        else None,
        "requests_per_page": requests,
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        info["db_version"] = cursor.fetchone()[0]
    return info


def queries_history(results, previous):
    """Queries per page at each data size measured so far (this run and earlier runs
    on other sizes, kept in the results file), and whether they stayed constant."""
    size = f"{results['machine']['fill']}@{results['machine']['scale']:g}"
    history = dict((previous or {}).get("queries_by_size", {}))
    history = {
        k: v
        for k, v in history.items()
        if k != size and v.get("db_engine") == results["machine"]["db_engine"]
    }
    history[size] = {
        "db_engine": results["machine"]["db_engine"],
        "organizations": results["data"]["organizations"],
        "pages": {p["key"]: p["queries"] for p in results["pages"]},
    }
    results["queries_by_size"] = history
    for page in results["pages"]:
        counts = {
            entry["pages"].get(page["key"])
            for entry in history.values()
            if entry["pages"].get(page["key"]) is not None
        }
        measured = sum(
            1
            for entry in history.values()
            if entry["pages"].get(page["key"]) is not None
        )
        page["queries_constant"] = (len(counts) == 1) if measured > 1 else None


# -------------------------------------------------------------------------------- run


def run(
    *,
    scale=1.0,
    seed=None,
    fill="bench_generate",
    requests=30,
    import_rows=10_000,
    workers=None,
    results_path=None,
    stdout=None,
):
    """The whole bench; returns the results dict (also written as JSON)."""
    if fill not in FILLS:
        raise CommandError(f"fill must be one of {', '.join(FILLS)}")
    # As many workers as the deployment's gunicorn.conf.py starts: 2 × cores + 1.
    workers = workers or int(
        os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)
    )
    results_path = Path(results_path or Path(settings.BASE_DIR) / "bench-results.json")
    meta, _generated = db_prepare(scale=scale, seed=seed, fill=fill, stdout=stdout)

    log(stdout, "Collecting static files…")
    call_command("collectstatic", interactive=False, verbosity=0)
    user = bench_user()
    data = data_counts()
    log(stdout, "Data: " + ", ".join(f"{k} {v:,}" for k, v in data.items()))

    with translation.override(settings.LANGUAGE_CODE):
        targets = page_targets()
        session = pages_render(targets, user)
        refreshed = figures_refresh_measure(stdout=stdout)
        static_twins(targets)
        connection.close()
        pages_time(
            targets, session=session, requests=requests, workers=workers, stdout=stdout
        )
        imported = import_measure(import_rows, stdout=stdout)
        rolled = rollups_measure(user, stdout=stdout)
        line = funding_line_measure(user, stdout=stdout)
        verified = rollups_verify(stdout=stdout)

    pages = []
    for t in targets:
        page = {
            "key": t.key,
            "label": t.label,
            "path": t.path,
            "admin": t.admin,
            "query": t.note,
            "status": t.status,
            "queries": t.queries,
            "render_ms": t.render_ms,
            "changed_ms": t.changed_ms,
            "changed_queries": t.changed_queries,
            "bytes": t.bytes,
            "error": t.error,
        }
        if t.times_ms and t.static_times_ms and not t.error:
            page.update(
                served_bytes=t.served_bytes,
                requests=len(t.times_ms),
                median_ms=round(statistics.median(t.times_ms), 2),
                p95_ms=round(p95(t.times_ms), 2),
                static_median_ms=round(statistics.median(t.static_times_ms), 2),
                static_p95_ms=round(p95(t.static_times_ms), 2),
            )
            page["ratio"] = round(
                statistics.median(t.times_ms) / statistics.median(t.static_times_ms), 2
            )
        elif not t.error:
            page["error"] = "not timed"
        pages.append(page)

    results = {
        "machine": machine_info(meta, workers, requests),
        "data": data,
        "pages": pages,
        "import": imported,
        "rollups": rolled,
        "funding_line": line,
        "verify_rollups": verified,
        "figures_refresh": refreshed,
    }
    previous = None
    if results_path.exists():
        try:
            previous = json.loads(results_path.read_text())
        except ValueError:
            previous = None
    queries_history(results, previous)
    figures = figures_of(results)
    baseline = baseline_read()
    baselines_apply(
        figures, baseline, results["machine"]["db_engine"], import_rows=import_rows
    )
    results["baseline"] = {
        "source": str(BASELINE_PATH.name),
        "date": baseline.get("date"),
        "scale": baseline.get("scale"),
        "figures": baseline.get(results["machine"]["db_engine"], {}),
    }
    results["figures"] = [asdict(f) for f in figures]
    results_path.write_text(
        json.dumps(results, ensure_ascii=False, indent=2, default=str)
    )
    machine = results["machine"]
    header = (
        f"Bench {machine['date']}: {machine['db_engine']} {machine['db_version']}, "
        f"{machine['fill']} scale {machine['scale']:g}, {machine['cores']} cores, "
        f"gunicorn {workers} workers, {requests} requests per page"
    )
    if stdout is not None:
        stdout.write(table(figures, header))
    log(stdout, f"Written to {results_path}")
    return results
