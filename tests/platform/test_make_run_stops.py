"""`make run` stops cleanly on Ctrl-C: the Makefile's serving line, run by sh as make
runs it, with the task worker and the development server up, gets SIGINT in its
whole process group as a terminal sends it; it exits 0, prints no crash or
traceback, and leaves no process behind. (Its old `trap 'kill 0' INT TERM EXIT`
re-entered its own trap and crashed: "make: *** Segmentation fault".)"""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def _serving_line():
    """The last command of the Makefile's `run` recipe (continuation lines joined,
    make's `@` dropped), with the variables `make run` gives it."""
    text = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    commands = recipe.replace("\\\n", " ").splitlines()
    line = commands[-1].strip().lstrip("@")
    bin_dir = str(Path(sys.executable).parent)
    for name, value in (("BIN", bin_dir), ("HOST", "127.0.0.1"), ("PORT", "{port}")):
        line = line.replace(f"$({name})", value)
    return line


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _processes_marked(marker):
    found = []
    for process in psutil.process_iter(["pid"]):
        try:
            if process.environ().get("MAKE_RUN_TEST") == marker:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def _wait_until(condition, what, tries=600):
    """Poll every 0.1 s until condition() is true; fail after `tries` polls."""
    for _ in range(tries):
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"never: {what}")


def _answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _migrated_database(tmp_path):
    """A database URL with every migration applied, for the served processes: on
    PostgreSQL the test database itself (the server and the worker only read it);
    on SQLite a file copy of the in-memory test database (SQLite's backup API), so
    the test does not spend a minute and a half migrating a database of its own."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    return f"sqlite:///{path}"


# Outside a test transaction: a copy (or another process) sees the whole database.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ctrl_c_stops_worker_and_server_cleanly(tmp_path):
    port = _free_port()
    marker = uuid.uuid4().hex
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": _migrated_database(tmp_path),
        "MAKE_RUN_TEST": marker,
    }
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        shell = subprocess.Popen(  # noqa: S603 - the Makefile's own line
            ["/bin/sh", "-c", _serving_line().format(port=port)],
            cwd=ROOT,
            env=env,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,  # its own group, as the terminal's foreground job
        )
        try:
            _wait_until(lambda: _answers(port), "the server answers")
            _wait_until(
                lambda: any(
                    "db_worker" in " ".join(p.cmdline())
                    for p in _processes_marked(marker)
                ),
                "the task worker runs",
            )
            os.killpg(shell.pid, signal.SIGINT)  # Ctrl-C
            code = shell.wait(timeout=60)
        finally:
            for process in _processes_marked(marker):
                process.kill()
    printed = out.read_text() + err.read_text()
    assert code == 0, printed
    assert "Segmentation" not in printed, printed
    # No error trace. One exception: when the autoreloader happens to be starting a
    # fresh server process (a watched file changed — other tests write files while
    # this one runs), Ctrl-C interrupts that start and Python prints where; the
    # trace then ends in KeyboardInterrupt, as any Ctrl-C during an import does.
    # A trace Python chains to the next ("During handling of the above exception,
    # another exception occurred:", when the Ctrl-C lands in an except block of the
    # start) is one trace with it: the chain's last trace is the one that must end so.
    chained = (
        "During handling of the above exception, another exception occurred:",
        "The above exception was the direct cause of the following exception:",
    )
    for trace in printed.split("Traceback (most recent call last):")[1:]:
        last = [line for line in trace.strip().splitlines() if line.strip()][-1]
        if last.strip() in chained:
            continue
        assert last.strip() == "KeyboardInterrupt", printed
    _wait_until(lambda: not _processes_marked(marker), "every process has ended")
    assert not _answers(port)
