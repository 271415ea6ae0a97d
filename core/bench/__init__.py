"""Province-scale benchmark data (issue 9): `bench_generate` fills a database with
50,000 organizations, 200,000 applications, 1,000,000 outcome lines … at scale 1.0.

The call whose funding line is timed is found with `bench_line_call()`.
"""

LINE_CALL_PREFIX = "BENCH-LINE"


def bench_line_call():
    """The call with exactly 2,000 reviewed applications (fewer below scale 0.01)."""
    from funding.models import Call

    return Call.objects.filter(name__startswith=LINE_CALL_PREFIX).order_by("pk").first()
