"""The cache in Redis (REDIS_URL): the public figures are shared by separate
processes (as by gunicorn workers on several hosts), and the figures' invalidation
on save reaches Redis. (Login failures are counted in the database by django-axes,
shared by every process without the cache: tests/core/test_login_lock.py.)

A real redis-server (Debian's package, installed by `make system-deps`) runs for the
test session on a free port, keeping nothing on disk. The second process is a
separate Python running the production profile against the same Redis."""

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from cms.selectors import figures

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url():
    """A redis-server of our own for the session: no snapshots, no append-only file."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (`make system-deps` installs it)")
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if server.poll() is not None:
                    pytest.fail(f"redis-server exited with {server.returncode}")
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not answer")
        yield url
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_cache(redis_url):
    """The default cache in Redis for this test, under a prefix of its own."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": backend}):
        yield prefix
        cache.clear()


def _redis_keys(redis_url, prefix):
    client = redis.Redis.from_url(redis_url)
    try:
        return sorted(k.decode() for k in client.keys(f"{prefix}:*"))
    finally:
        client.close()


# The other process: reads the figures from the cache.
OTHER_WORKER = textwrap.dedent(
    """
    import json
    import django

    django.setup()
    from django.core.cache import cache

    from cms.selectors.figures import CACHE_KEY, VERSION_KEY

    cached = cache.get(f"{CACHE_KEY}:all")
    print(
        json.dumps(
            {
                "figures": cached and cached["values"]["figures"],
                "stale": bool(cached) and cached["version"] != cache.get(VERSION_KEY),
            },
            default=str,
        )
    )
    """
)


def _other_worker(redis_url, prefix):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 60 + "-other-worker-key",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
    }
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-c", OTHER_WORKER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.django_db
def test_the_figures_cached_by_one_worker_are_read_by_another_and_marked_stale_on_save(
    redis_url, redis_cache, make_organization
):
    organization = make_organization()
    make_organization()
    shown = {r.figure.key: r.value for r in figures.headline_figures()}
    assert shown["organizations_registered"] == 2
    # Stored in Redis under the configured prefix …
    key = f"{redis_cache}:1:{figures.CACHE_KEY}:all"
    assert key in _redis_keys(redis_url, redis_cache)
    # … and another process (another gunicorn worker) gets the same numbers from it.
    other = _other_worker(redis_url, redis_cache)
    assert other["figures"]["organizations_registered"] == 2
    assert other["stale"] is False

    # A save marks the figures stale in Redis, for every worker at once; they are
    # served until recomputed.
    organization.name = "长沙市雨花区社区发展促进会"
    organization.save()
    other = _other_worker(redis_url, redis_cache)
    assert other["stale"] is True
    assert other["figures"]["organizations_registered"] == 2
    make_organization()
    # The next read queues the refresh (run at once by the test's task backend) …
    shown = {r.figure.key: r.value for r in figures.headline_figures()}
    assert shown["organizations_registered"] == 3
    # … and every worker reads the new figures.
    other = _other_worker(redis_url, redis_cache)
    assert other["figures"]["organizations_registered"] == 3
    assert other["stale"] is False
