"""Running a piece of a test in another thread, with its own database connection."""

import threading

from django.db import connection


def in_thread(target, errors):
    """Start `target` in a thread; an exception it raises is appended to `errors`."""

    def run():
        try:
            target()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread
