"""The database router (core/db.py): statistics read from the replica, everything
else — writes, reads inside a transaction, reads of a request that wrote — from the
primary; with no replica, everything from the primary.

The "replica" alias of the test settings reads the test database itself (TEST
MIRROR), so the numbers computed through it are the real ones; which connection ran
each query is what the tests look at. Transactional tests: the replica's own
connection only sees committed rows."""

from decimal import Decimal

import pytest
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from cms.selectors import figures
from core.db import (
    PIN_COOKIE,
    PrimaryAfterWriteMiddleware,
    StatisticsReplicaRouter,
    statistics_db,
    statistics_reads,
)
from funding.selectors.purchases import purchase_rollup, purchase_summary
from incubator.models import IncubationBase, Organization
from incubator.selectors.board import base_board, department_board
from incubator.selectors.registry import registry_summary
from projects.selectors import rollups

ROUTED = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)


@pytest.fixture
def replica(settings):
    settings.DATABASE_REPLICAS = ["replica"]
    yield "replica"
    # The replica's connection is its own: closed so the test database can go.
    connections["replica"].close()


class Queries:
    """The queries each connection ran inside the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @staticmethod
    def sql(captured):
        return [q["sql"] for q in captured.captured_queries]


@pytest.fixture
def statistics_data(
    make_organization, make_base, make_project, make_report, make_purchase
):
    """A little of everything the statistics count, committed on the primary."""
    make_organization()
    make_organization()
    base = make_base()
    project = make_project(funds=[("湖南省乡村振兴基金", "80000")])
    make_report(project, 2024, 1, {"beneficiaries": "120"})
    make_purchase()
    return base


def _statistics():
    """Every statistics entry point, each computing from the database."""
    bases = IncubationBase.objects.all()
    return {
        "public figures": figures._compute,
        "roll-up by county": lambda: rollups.rollup("county"),
        "roll-up by fund": lambda: rollups.rollup("fund"),
        "revitalization headline": rollups.headline,
        "purchase roll-up": lambda: purchase_rollup("department"),
        "purchase summary": purchase_summary,
        "base board": lambda: base_board(bases),
        "department board": lambda: department_board(bases),
        "registry summary": registry_summary,
    }


@ROUTED
def test_statistics_read_the_replica_and_writes_go_to_the_primary(
    replica, statistics_data, settings
):
    for name, compute in _statistics().items():
        with Queries() as queries:
            compute()
        assert Queries.sql(queries.primary) == [], name
        assert Queries.sql(queries.replica), name

    # The replica's numbers are the primary's rows: 2 organizations made here, the
    # pairing's and the purchase's supplier; 120 people helped; 80,000 yuan by fund.
    values = figures._compute()["figures"]
    assert values["organizations_registered"] == 4
    assert values["people_helped"] == 120
    assert values["projects"] == 1
    by_fund = rollups.rollup("fund")
    assert by_fund.total["money"] == Decimal("80000.00")
    assert registry_summary().total == 4
    assert purchase_summary()["contract_total"] == Decimal("500000.00")

    # A write inside statistics work still goes to the primary.
    with Queries() as queries, statistics_reads():
        Organization.objects.filter(pk=Organization.objects.first().pk).update(
            name="改名的社会组织"
        )
    assert any(s.startswith("UPDATE") for s in Queries.sql(queries.primary))
    assert not any(s.startswith("UPDATE") for s in Queries.sql(queries.replica))

    # Inside a transaction the primary answers: it holds what is being written.
    with Queries() as queries, transaction.atomic():
        figures._compute()
    assert Queries.sql(queries.replica) == []
    assert Queries.sql(queries.primary)

    # No replica configured: everything reads the primary.
    settings.DATABASE_REPLICAS = []
    with Queries() as queries:
        for compute in _statistics().values():
            compute()
    assert Queries.sql(queries.replica) == []
    assert Queries.sql(queries.primary)
    with statistics_reads():
        assert statistics_db() == "default"


def _view(write):
    def view(request):
        if write:
            Organization.objects.update(name="已更新")
        figures._compute()
        return HttpResponse("ok")

    return view


@ROUTED
def test_a_request_that_wrote_reads_its_statistics_from_the_primary(
    replica, statistics_data, settings
):
    settings.DATABASE_REPLICA_PIN_SECONDS = 10
    factory = RequestFactory()

    # Wrote, then computed the figures: all on the primary, and the visitor is
    # pinned to the primary for the next seconds.
    with Queries() as queries:
        response = PrimaryAfterWriteMiddleware(_view(write=True))(factory.post("/"))
    assert Queries.sql(queries.replica) == []
    assert any(s.startswith("UPDATE") for s in Queries.sql(queries.primary))
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 10
    assert cookie["httponly"]

    # The next page (the redirect after the save) reads the primary too.
    pinned = factory.get("/")
    pinned.COOKIES[PIN_COOKIE] = "1"
    with Queries() as queries:
        response = PrimaryAfterWriteMiddleware(_view(write=False))(pinned)
    assert Queries.sql(queries.replica) == []
    assert Queries.sql(queries.primary)
    assert PIN_COOKIE not in response.cookies  # reading does not extend the pin

    # Another visitor, who wrote nothing, reads the replica.
    with Queries() as queries:
        response = PrimaryAfterWriteMiddleware(_view(write=False))(factory.get("/"))
    assert Queries.sql(queries.primary) == []
    assert Queries.sql(queries.replica)
    assert PIN_COOKIE not in response.cookies


def test_the_router_never_migrates_or_writes_a_replica(settings):
    settings.DATABASE_REPLICAS = ["replica"]
    router = StatisticsReplicaRouter()
    assert router.allow_migrate("replica", "incubator") is False
    assert router.allow_migrate("default", "incubator") is None
    assert router.db_for_write(Organization) == "default"
    with statistics_reads():
        assert router.db_for_write(Organization) == "default"
    # Outside statistics work, reads go to the primary.
    assert router.db_for_read(Organization) == "default"


@ROUTED
def test_figures_recomputed_right_after_a_change_read_the_primary(
    replica, statistics_data, make_organization
):
    """A save marks the cached figures stale; a lagging replica must not refill the cache
    with the old numbers for ten minutes, so the first computation after a change
    reads the primary. Once the change has settled, the replica answers again."""
    from django.core.cache import cache

    cache.clear()
    with Queries() as queries:
        figures.headline_figures()
    assert Queries.sql(queries.primary) == []  # nothing changed lately: replica
    assert Queries.sql(queries.replica)

    # The refresh that follows a change (`figures_compute`, what the worker's
    # task runs) is called here itself: whether a reader's request runs it inline
    # or queues it is another test's matter (tests/cms/test_figures_refresh.py).
    make_organization()  # its save marks the cached figures stale
    with Queries() as queries:
        values = figures.figures_compute("all")["values"]["figures"]
    assert Queries.sql(queries.replica) == []
    assert Queries.sql(queries.primary)
    assert values["organizations_registered"] == 5

    cache.delete(figures.CHANGED_KEY)  # the pin has run out
    with Queries() as queries:  # the next refresh reads the replica again
        values = figures.figures_compute("all")["values"]["figures"]
    assert Queries.sql(queries.primary) == []
    assert Queries.sql(queries.replica)
    assert values["organizations_registered"] == 5
