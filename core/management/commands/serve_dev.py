"""`make run`: the task worker and the development server together; Ctrl-C stops both."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def run_together(commands, *, grace=10.0, poll=0.2):
    """Run each command (a list of argv lists) until one of them ends or this
    process is asked to stop (SIGINT — Ctrl-C —, SIGTERM or SIGHUP); then stop the
    others and return the exit code: 0 when asked to stop, else the code of the
    command that ended first.

    Each command runs in a process group of its own, so Ctrl-C at the terminal
    reaches only this supervisor, which then sends each group one SIGINT (as
    Ctrl-C would: Django's runserver and its autoreloader, and the task worker,
    stop cleanly on it), waits up to `grace` seconds and kills (SIGKILL) what is
    left. This replaces the shell's `trap 'kill 0' INT TERM EXIT`, whose `kill 0`
    signalled the trapping shell itself, re-entered the trap without end and
    crashed it ("make: *** Segmentation fault")."""
    asked = []
    previous = {
        number: signal.signal(number, lambda number, frame: asked.append(number))
        for number in STOP_SIGNALS
    }
    processes = []
    try:
        for command in commands:
            # The commands are this project's own manage.py, built in handle().
            processes.append(subprocess.Popen(command, start_new_session=True))  # noqa: S603
        while not asked and all(process.poll() is None for process in processes):
            time.sleep(poll)
        ended = next(
            (process for process in processes if process.poll() is not None), None
        )
        code = 0 if asked or ended is None else ended.returncode
    finally:
        _stop(processes, grace)
        for number, handler in previous.items():
            signal.signal(number, handler)
    return code


def _stop(processes, grace):
    """SIGINT to each process group still running, then SIGKILL after `grace` s."""
    for process in processes:
        if process.poll() is None:
            _signal_group(process, signal.SIGINT)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()
        # The autoreloader's child may outlive its parent: the group goes too.
        _signal_group(process, signal.SIGKILL)


def _signal_group(process, number):
    try:
        os.killpg(process.pid, number)
    except (ProcessLookupError, PermissionError):
        pass


class Command(BaseCommand):
    help = (
        "Run the background task worker (db_worker) and the development server "
        "(runserver) together; Ctrl-C stops both."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="host:port to serve"
        )

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        code = run_together(
            [manage + ["db_worker"], manage + ["runserver", addrport]],
        )
        if code:
            raise CommandError(
                f"A process stopped with exit code {code}.", returncode=code
            )
