"""Attack on `core.search.serial_plan` (PostgreSQL: `max_parallel_workers_per_gather`
0 for the block, put back as it was when it ends) and its one user,
`CappedCountPaginator.keys` reading a searched listing's fenced keys. The claim:
the setting never outlives the block — in autocommit, inside a caller's atomic
block (a savepoint), inside a caller's own transaction (autocommit turned off),
after an error in the block (Python's, psycopg's, the server's), nested in
itself — and comes back to the session's own value, not the server's default;
nothing happens on SQLite; the listings show the rows of the unfenced search and
leave the connection clean; with a read replica the block's transaction is on
the connection that reads the keys. Found: with autocommit turned off
(`transaction.set_autocommit(False)`, no atomic block) the setting stayed 0 until
the caller committed — Django's atomic block is then a savepoint that ends no
transaction (fixed). Held: everything else here; a NUL in the listing's term is
refused by the search form before any query."""

import csv
import io
import re

import pytest
from django.db import DataError, connection, connections, transaction
from django.db.utils import ProgrammingError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import core.viewsets
from core.db import statistics_reads
from core.search import matching_keys_queryset, serial_plan
from core.viewsets import CappedCountPaginator
from funding.choices import ApplicationStatus
from incubator.choices import OrganizationType, RegistrationLevel
from incubator.models import Organization
from tests.platform.test_replica_routing import ROUTED, replica  # noqa: F401 - fixture
from tests.support.listings import page_without_tokens

ORG_FIELDS = ["name", "uscc", "filing_number", "business_supervisor"]
ORG_LIST = reverse("wagtailsnippets_incubator_organization:list")
APP_LIST = reverse("wagtailsnippets_funding_application:list")
GUC = "max_parallel_workers_per_gather"
on_pg = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel workers are PostgreSQL's"
)


def workers(using="default"):
    with connections[using].cursor() as cursor:
        cursor.execute(f"SHOW {GUC}")
        return cursor.fetchone()[0]


@pytest.fixture
def session_four():
    """The connection's session value set to 4 (the server's default is 2), put
    back to the server's default after the test."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET {GUC} = 4")
    yield
    if connection.connection is not None:
        if connection.in_atomic_block or not connection.get_autocommit():
            return  # the test's transaction: rolled back with it
        with connection.cursor() as cursor:
            cursor.execute(f"RESET {GUC}")


# ------------------------------------------------------------ autocommit

autocommit = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@on_pg
@autocommit
def test_in_autocommit_the_block_is_its_own_transaction_and_leaves_none(
    session_four,
):
    assert connection.get_autocommit() and not connection.in_atomic_block
    with serial_plan("default"):
        assert workers() == "0"
        assert connection.in_atomic_block
    assert workers() == "4"
    assert connection.get_autocommit() and not connection.in_atomic_block
    # a later statement of the session: still its own value
    assert workers() == "4"


@on_pg
@autocommit
def test_in_autocommit_a_python_error_in_the_block(session_four):
    with pytest.raises(ZeroDivisionError), serial_plan("default"):
        assert workers() == "0"
        1 / 0  # noqa: B018
    assert workers() == "4"
    assert connection.get_autocommit() and not connection.in_atomic_block


@on_pg
@autocommit
def test_in_autocommit_a_server_error_in_the_block(session_four):
    with pytest.raises(DataError), serial_plan("default"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")
    assert workers() == "4"
    with pytest.raises(ProgrammingError), serial_plan("default"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM incubator_organization")
    assert workers() == "4"
    assert connection.get_autocommit() and not connection.in_atomic_block


@on_pg
@autocommit
def test_in_autocommit_a_nul_in_the_term_of_the_key_read(session_four):
    fenced = matching_keys_queryset(Organization.objects.all(), "益\x00阳", ORG_FIELDS)
    paginator = CappedCountPaginator(
        Organization.objects.all(), 20, fetch_rows=list, key_queryset=fenced
    )
    with pytest.raises(DataError):
        paginator.keys  # noqa: B018
    assert workers() == "4"
    assert connection.get_autocommit() and not connection.in_atomic_block
    assert Organization.objects.filter(name="x").count() == 0


@on_pg
@autocommit
def test_in_autocommit_nested_in_itself(session_four):
    with serial_plan("default"):
        with serial_plan("default"):
            assert workers() == "0"
        assert workers() == "0"  # still the outer block's
        with pytest.raises(ZeroDivisionError), serial_plan("default"):
            1 / 0  # noqa: B018
        assert workers() == "0"
    assert workers() == "4"


@on_pg
@autocommit
def test_inside_a_callers_own_transaction_autocommit_off(session_four):
    """A caller that turned autocommit off (`transaction.set_autocommit(False)`)
    is in a transaction of its own, not in an atomic block: the block must put
    the setting back when it ends, not when the caller commits."""
    transaction.set_autocommit(False)
    try:
        with serial_plan("default"):
            assert workers() == "0"
        assert workers() == "4"
        transaction.commit()
        assert workers() == "4"
    finally:
        transaction.rollback()
        transaction.set_autocommit(True)


@on_pg
@autocommit
def test_a_session_set_inside_the_outer_block_survives_its_commit():
    """The caller sets a session value in its transaction, then the block runs
    inside it: the caller's SET is kept when its transaction commits."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET {GUC} = 3")
            with serial_plan("default"):
                assert workers() == "0"
            assert workers() == "3"
        assert workers() == "3"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"RESET {GUC}")


# ------------------------------------------------ inside a caller's atomic


@on_pg
@pytest.mark.django_db
def test_inside_an_atomic_block_the_session_value_comes_back(session_four):
    # the test's transaction is the caller's atomic block
    assert connection.in_atomic_block
    with serial_plan("default"):
        assert workers() == "0"
    assert workers() == "4"
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {GUC} = 3")
        with serial_plan("default"):
            assert workers() == "0"
            with serial_plan("default"):
                assert workers() == "0"
            assert workers() == "0"
        assert workers() == "3"
    # SET LOCAL lasts as long as the transaction, not the savepoint
    assert workers() == "3"


@on_pg
@pytest.mark.django_db
def test_inside_an_atomic_block_errors_leave_the_outer_transaction_usable(
    session_four, region
):
    with pytest.raises(DataError), serial_plan("default"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")
    assert workers() == "4"
    with pytest.raises(KeyError), serial_plan("default"):
        raise KeyError("x")
    assert workers() == "4"
    fenced = matching_keys_queryset(Organization.objects.all(), "a\x00b", ORG_FIELDS)
    paginator = CappedCountPaginator(
        Organization.objects.all(), 20, fetch_rows=list, key_queryset=fenced
    )
    with pytest.raises(DataError):
        paginator.keys  # noqa: B018
    assert workers() == "4"
    # the caller's transaction goes on: a write and a read
    Organization.objects.create(
        name="益阳之后写入协会",
        uscc=None,
        org_type=OrganizationType.SOCIAL_SERVICE,
        registration_level=RegistrationLevel.COUNTY,
        region=region,
    )
    assert list(Organization.objects.values_list("name", flat=True)) == [
        "益阳之后写入协会"
    ]


@pytest.mark.django_db
def test_nothing_is_sent_to_another_database():
    """SQLite (and any other vendor): the block runs no statement and opens no
    transaction; on PostgreSQL it sends one statement first."""
    before = connection.in_atomic_block
    with CaptureQueriesContext(connection) as queries, serial_plan("default"):
        inside = connection.in_atomic_block
    sqls = [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert sqls[0].startswith("SAVEPOINT ") and "set_config" in sqls[1]
    else:
        assert (sqls, inside) == ([], before)


# ------------------------------------------------------------- listings


ORG_NAMES = [
    "益阳社工中心",
    "长沙养老协会",
    "益阳养老协会",
    "100%_\\'\"%s 协会",
    "😀笑脸互助社",
    "Straße Verein",
]
APP_ROWS = [
    ("益阳社工中心", "留守儿童关爱"),
    ("长沙养老协会", "益阳市社区养老"),
    ("益阳养老协会", "益阳助老"),
    ("长沙养老协会", "长沙助残"),
    ("100%_\\'\"%s 协会", "50%_折扣'\"%s"),
]


@pytest.fixture
def data(region, make_application, call):
    orgs = {
        name: Organization.objects.create(
            name=name,
            uscc=None,
            org_type=OrganizationType.SOCIAL_SERVICE,
            registration_level=RegistrationLevel.COUNTY,
            region=region,
        )
        for name in ORG_NAMES
    }
    Organization.objects.bulk_create(
        Organization(
            name=f"益阳第{n:02d}协会",
            uscc=None,
            org_type=OrganizationType.SOCIAL_SERVICE,
            registration_level=RegistrationLevel.COUNTY,
            region=region,
        )
        for n in range(53)
    )
    for name, title in APP_ROWS:
        make_application(
            organization=orgs[name],
            title=title,
            call=call,
            status=ApplicationStatus.SUBMITTED,
        )
    return orgs


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return page_without_tokens(response.content.decode())


ORG_QUERIES = [
    {"q": "协会"},
    {"q": "协会", "p": "2"},
    {"q": "益阳", "ordering": "-name"},
    {"q": "益阳", "ordering": "-name", "p": "2"},
    {"q": "%"},
    {"q": "_"},
    {"q": "'"},
    {"q": '"'},
    {"q": "%s"},
    {"q": "😀笑"},
    {"q": "x" * 2000},
    {"q": "协会", "export": "csv"},
]
APP_QUERIES = [
    {"q": "益阳"},
    {"q": "益阳", "ordering": "-title"},
    {"q": "养老", "status": ApplicationStatus.SUBMITTED},
    {"q": "%_"},
    {"q": "'\"%s"},
    {"q": "益阳", "ordering": "title", "export": "csv"},
]


def _names(html):
    """The organization names of a listing page, in the order shown."""
    return [
        name.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
        for name in re.findall(r'_title">([^<]+)</span>', html)
    ]


def _compare(client, url, queries, monkeypatch):
    """Each query's page with the fenced key read and without it: equal, 200,
    and the connection's setting back to 3 (the caller's SET LOCAL) after each."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {GUC} = 3")
    bodies = []
    for query in queries:
        new = client.get(url, query)
        assert new.status_code == 200, query
        assert workers() == "3", query
        with monkeypatch.context() as patch:
            patch.setattr(core.viewsets, "matching_keys_queryset", lambda *a: None)
            old = client.get(url, query)
        assert old.status_code == 200, query
        body = _body(new)
        assert body == _body(old), query
        bodies.append(body)
    return bodies


@pytest.mark.django_db
def test_the_organization_listing_as_administrator(data, client_for, monkeypatch):
    client = client_for("administrator")
    if connection.vendor != "postgresql":
        pytest.skip("the fenced key read and the setting are PostgreSQL's")
    bodies = _compare(client, ORG_LIST, ORG_QUERIES, monkeypatch)
    # 56 organizations hold 协会: 50 on page 1, the other 6 on page 2
    first, second = _names(bodies[0]), _names(bodies[1])
    assert (len(first), len(second)) == (50, 6)
    assert sorted(first + second) == sorted(
        [f"益阳第{n:02d}协会" for n in range(53)]
        + ["100%_\\'\"%s 协会", "益阳养老协会", "长沙养老协会"]
    )
    by_name = _names(bodies[2]) + _names(bodies[3])
    assert by_name == sorted(by_name, reverse=True) and len(by_name) == 55
    assert "100%_" in bodies[4] and "100%_" in bodies[5]
    assert "😀笑脸互助社" in bodies[9]
    rows = list(csv.reader(io.StringIO(bodies[-1])))[1:]
    assert len(rows) == 56
    assert sorted(row[0] for row in rows)[:3] == [
        "100%_\\'\"%s 协会",
        "益阳养老协会",
        "益阳第00协会",
    ]


@pytest.mark.django_db
def test_the_application_listing_as_fund_manager(data, client_for, monkeypatch):
    client = client_for("fund_manager")
    if connection.vendor != "postgresql":
        pytest.skip("the fenced key read and the setting are PostgreSQL's")
    bodies = _compare(client, APP_LIST, APP_QUERIES, monkeypatch)
    assert "益阳市社区养老" in bodies[0] and "长沙助残" not in bodies[0]
    assert bodies[1].index("益阳市社区养老") < bodies[1].index("益阳助老")
    rows = [line.split(",")[2] for line in bodies[-1].splitlines()[1:]]
    assert rows == ["留守儿童关爱", "益阳助老", "益阳市社区养老"]


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["\x00", "a\x00b", "益阳\x00"])
def test_a_nul_in_the_term_is_no_500_and_the_next_request_works(
    data, client_for, term, region
):
    client = client_for("administrator")
    response = client.get(ORG_LIST, {"q": term})
    assert response.status_code == 200
    manager = client_for("fund_manager")
    assert manager.get(APP_LIST, {"q": term}).status_code == 200
    # the same connection goes on: a write, then a search that finds it
    Organization.objects.create(
        name="益阳新写协会",
        uscc=None,
        org_type=OrganizationType.SOCIAL_SERVICE,
        registration_level=RegistrationLevel.COUNTY,
        region=region,
    )
    body = client.get(ORG_LIST, {"q": "新写"}).content.decode()
    assert "益阳新写协会" in body


@on_pg
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_listings_in_autocommit_leave_the_session_value_and_no_transaction(
    client_for, session_four, region
):
    Organization.objects.create(
        name="益阳自动提交协会",
        uscc=None,
        org_type=OrganizationType.SOCIAL_SERVICE,
        registration_level=RegistrationLevel.COUNTY,
        region=region,
    )
    client = client_for("administrator")
    for query in ({"q": "益阳"}, {"q": "a\x00b"}, {"q": "益阳", "export": "csv"}):
        response = client.get(ORG_LIST, query)
        assert response.status_code == 200, query
        _body(response)
        assert workers() == "4", query
        assert connection.get_autocommit() and not connection.in_atomic_block
    assert "益阳自动提交协会" in _body(client.get(ORG_LIST, {"q": "自动提交"}))


# -------------------------------------------------------------- replica


@on_pg
@ROUTED
def test_keys_read_on_the_replica_set_the_replica_only(replica, region):  # noqa: F811
    """Under `statistics_reads()` the key read goes to the replica: the block's
    statement and transaction are the replica's, the primary sees nothing."""
    for n in range(3):
        Organization.objects.create(
            name=f"益阳副本{n}协会",
            uscc=None,
            org_type=OrganizationType.SOCIAL_SERVICE,
            registration_level=RegistrationLevel.COUNTY,
            region=region,
        )
    primary, other = connections["default"], connections[replica]
    with statistics_reads():
        base = Organization.objects.order_by("name")
        fenced = matching_keys_queryset(base, "副本", ORG_FIELDS)
        assert fenced.db == replica
        paginator = CappedCountPaginator(base, 20, fetch_rows=list, key_queryset=fenced)
        with (
            CaptureQueriesContext(primary) as on_primary,
            CaptureQueriesContext(other) as on_replica,
        ):
            keys = paginator.keys
    assert [Organization.objects.get(pk=key).name for key in keys] == [
        "益阳副本0协会",
        "益阳副本1协会",
        "益阳副本2协会",
    ]
    assert on_primary.captured_queries == []
    sqls = [q["sql"] for q in on_replica.captured_queries]
    assert sqls[0] == "BEGIN" and sqls[-1] == "COMMIT"
    assert "set_config" in sqls[1] and " OFFSET 0) " in sqls[2]
    assert other.get_autocommit() and not other.in_atomic_block
    assert primary.get_autocommit() and not primary.in_atomic_block
    assert workers(replica) == workers("default") == "2"

    # the primary inside a transaction: the read and the block are the primary's
    with transaction.atomic(), statistics_reads():
        fenced = matching_keys_queryset(base, "副本", ORG_FIELDS)
        assert fenced.db == "default"
        paginator = CappedCountPaginator(base, 20, fetch_rows=list, key_queryset=fenced)
        with CaptureQueriesContext(other) as on_replica:
            assert len(paginator.keys) == 3
        assert on_replica.captured_queries == []
        assert workers() == "2"
    assert not other.in_atomic_block
