"""Queries per page stay the same when the data grows.

The benchmark data is generated at two tiny scales (every listing then shows
another number of rows); each admin listing, roll-up and the funding line must run
the same number of queries at both. Before the fixes some ran one more query a
row (a region's parents, an award's payments, a base's residents, a line entry)."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.generate import bench_generate, bench_line_call
from funding.selectors.results import call_results
from funding.services.funding_line import funding_line_draw
from projects.selectors.rollups import rollup

LISTINGS = [
    "wagtailsnippets_incubator_organization:list",
    "wagtailsnippets_incubator_incubationbase:list",
    "wagtailsnippets_incubator_residency:list",
    "wagtailsnippets_incubator_serviceactivity:list",
    "wagtailsnippets_incubator_assessment:list",
    "wagtailsnippets_funding_application:list",
    "wagtailsnippets_funding_award:list",
    "wagtailsnippets_funding_servicepurchase:list",
    "wagtailsnippets_funding_call:list",
    "wagtailsnippets_projects_pairing:list",
    "wagtailsnippets_projects_project:list",
    "wagtailsnippets_projects_outcomereport:list",
]


class _Undo(Exception):
    pass


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _measure(scale, client, user):
    """Generate at `scale`, count the queries of every page, roll everything back."""
    counts = {}
    try:
        with transaction.atomic():
            bench_generate(scale, 11, log=lambda _m: None)
            for name in LISTINGS:
                url = reverse(name)
                client.get(url)  # warm caches (content types, sessions …)
                counts[name] = _queries(lambda url=url: client.get(url))
            board = reverse("incubator_board")
            counts["board"] = _queries(lambda: client.get(board))
            for dimension in ("county", "organization", "fund"):
                counts[f"rollup {dimension}"] = _queries(lambda d=dimension: rollup(d))
            line = bench_line_call()
            counts["call results"] = _queries(lambda: call_results(line))
            counts["funding line"] = _queries(
                lambda: funding_line_draw(
                    line, rule="reduce", reason="bench", user=user
                )
            )
            counts["rows"] = line.applications.count()
            raise _Undo
    except _Undo:
        return counts


@pytest.fixture
def admin_client(make_user):
    user = make_user("chief", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    return client, user


def test_queries_do_not_grow_with_the_data(admin_client):
    client, user = admin_client
    small = _measure(0.0005, client, user)
    large = _measure(0.002, client, user)
    assert (small.pop("rows"), large.pop("rows")) == (100, 400)
    # The line's entries are inserted in batches (SQLite takes ~100 rows a batch):
    # a few more queries for 400 applications, not one more per application.
    line_small, line_large = small.pop("funding line"), large.pop("funding line")
    assert line_large <= line_small + 4
    assert large == small
    # the applications with their reviews' scores, and one count of the reviews
    # excluded for a conflict of interest
    assert small["call results"] == 3
