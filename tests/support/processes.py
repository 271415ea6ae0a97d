"""Running the product in other processes against the test's own database: a
gunicorn server, a `db_worker`. Used by the load and fault tests.

The processes see what the test wrote because the test is transactional (its writes
are committed) and they connect to the same test database: on PostgreSQL the
database pytest-django created for this xdist worker; on SQLite, whose test database
lives in this process's memory, a file copy of it that this process also switches
to for the duration (`sqlite_file_database`)."""

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
SETTINGS = "tests.support.subprocess_settings"


def free_port():
    """A free TCP port on 127.0.0.1 (each xdist worker gets its own)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    """DATABASE_URL of the database this test runs against."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        )
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    raise RuntimeError("an in-memory SQLite database cannot be shared: copy it first")


@contextlib.contextmanager
def sqlite_file_database(path):
    """Copy this process's in-memory SQLite test database to `path` and use the file
    instead until the block ends; the in-memory one is left as it was (and is put
    back afterwards, for the next tests)."""
    connection.ensure_connection()
    memory = connection.connection
    target = sqlite3.connect(path)
    try:
        memory.backup(target)
    finally:
        target.close()
    saved = connection.settings_dict
    connection.connection = None  # close() would refuse: it is in memory
    connection.settings_dict = {**saved, "NAME": str(path)}
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict = saved
        connection.connection = memory


def subprocess_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url(),
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start(args, env, log_path):
    """Start a process in its own process group (so that it and its children can be
    stopped together); its output goes to `log_path`."""
    log = open(log_path, "wb")  # noqa: SIM115 - closed by stop()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and scripts
        args,
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log_file = log
    process.log_path = log_path
    return process


def stop(process, sig=signal.SIGTERM, timeout=10):
    """Stop a process started by `start` and its children, by its process group."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout)
    else:
        # the leader is gone; children of its group may remain
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.log_file.close()


def log_tail(process, size=4000):
    try:
        return Path(process.log_path).read_text(errors="replace")[-size:]
    except OSError:
        return ""


def manage(*args):
    return [sys.executable, str(BASE_DIR / "manage.py"), *args]


def wait_for_http(url, process, timeout=60):
    """Wait until `url` answers (any HTTP status) or the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log_tail(process)}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - 127.0.0.1
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer in {timeout} s:\n{log_tail(process)}")
