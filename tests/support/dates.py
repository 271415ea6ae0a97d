"""Dates for tests, read when the test runs.

A module-level ``TODAY = timezone.localdate()`` is read once, at collection; a run that
crosses midnight in the project's time zone (Asia/Shanghai, 16:00 UTC) then builds its
data with yesterday's date while the server counts from today's.
"""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    """Today's date in the project's time zone (``settings.TIME_ZONE``), read now."""
    return timezone.localdate()
