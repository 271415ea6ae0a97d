"""The permission matrix: every URL of the project × every principal (anonymous, a
user without a role, each role, a superuser), generated from the URL configuration.

- `test_every_url_has_a_row` fails when a URL pattern of our apps (or a snippet
  screen of our models, or a Wagtail screen no rule covers) has no row in
  tests/support/permission_matrix.py: a new view cannot be forgotten.
- `test_get` opens each URL as each principal and compares what it gets (the screen,
  the login page, "no permission", 404…) with the row; a 500 always fails.
- `test_refused_post` sends each write action as each principal the row refuses and
  checks the same refusal and an unchanged database.
- `test_own_object` opens the object-scoped screens on the principal's *own*
  objects, which the matrix (opened on someone else's) shows refused.

The data (tests/support/permission_world.py) is built once per module inside a transaction
that is rolled back at the end; each test runs in a savepoint inside it."""

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.functional import empty

from core import roles
from tests.support import permission_matrix as matrix
from tests.support.permission_world import ANON, PRINCIPALS, SUPERUSER, build_world

PATTERNS = matrix.url_patterns()
NAMED = [p for p in PATTERNS if p.name]
ROWS = {p.name: matrix.row_for(p) for p in NAMED}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from projects.models import _private_storage

    media = tmp_path_factory.mktemp("matrix-media")
    overrides = override_settings(
        MEDIA_ROOT=str(media / "public"),
        PRIVATE_MEDIA_ROOT=str(media / "private"),
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        },
    )
    overrides.enable()
    _private_storage._wrapped = empty
    django_db_blocker.unblock()
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        data = build_world()
        data.clients = {}
        data.urls = {}
        for principal in PRINCIPALS:
            client = Client(raise_request_exception=False)
            if principal != ANON:
                client.force_login(data.users[principal])
            data.clients[principal] = client
        django_db_blocker.restore()
        yield data
        django_db_blocker.unblock()
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        django_db_blocker.restore()
        overrides.disable()
        _private_storage._wrapped = empty


def _url(pattern, row, world):
    """The URL of a pattern on the world's objects (reversed once per module)."""
    if pattern.name not in world.urls:
        values = matrix.url_kwargs(pattern, row, world)
        if isinstance(values, list | tuple):
            url = reverse(pattern.name, args=values)
        else:
            url = reverse(pattern.name, kwargs=values)
        world.urls[pattern.name] = url + row.query
    return world.urls[pattern.name]


# One table count per model (history tables included: every audited write adds a
# row there), in one query: a refused POST must leave all of them as they were.
_SKIP_TABLES = {"django_session", "wagtailusers_userprofile"}


def _fingerprint_sql():
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
        - _SKIP_TABLES
    )
    quote = connection.ops.quote_name
    # table names come from the models, not from input
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    return tables, f"SELECT {counts}"


def _fingerprint():
    tables, sql = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _cases():
    for pattern in NAMED:
        row = ROWS[pattern.name]
        if row is None or row.skip_get:
            continue
        for principal in PRINCIPALS:
            yield pytest.param(pattern, principal, id=f"{principal}×{pattern.name}")


def _post_cases():
    for pattern in NAMED:
        row = ROWS[pattern.name]
        if row is None or row.post is None:
            continue
        for principal in PRINCIPALS:
            if row.expected(principal) != matrix.OK:
                yield pytest.param(pattern, principal, id=f"{principal}×{pattern.name}")


def test_every_url_has_a_row():
    missing = [f"{p.name or p.route} ({p.view})" for p in NAMED if ROWS[p.name] is None]
    assert not missing, (
        "URL patterns without a row in tests/support/permission_matrix.py (say who may use "
        "them): " + ", ".join(missing)
    )
    unnamed_own = [p.route for p in PATTERNS if not p.name and p.is_own]
    assert not unnamed_own, f"name these URL patterns: {unnamed_own}"
    # every snippet model of our apps is in MODELS, and the table has no stale rows
    snippet_models = {matrix.snippet_model(p.name) for p in NAMED} - {None}
    assert snippet_models == set(matrix.MODELS)
    assert set(matrix.OWN) <= set(ROWS)


def test_the_matrix_covers_every_role():
    assert set(roles.GROUP_NAMES) | {ANON, "no_role", SUPERUSER} == set(PRINCIPALS)


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "principal"), list(_cases()))
def test_get(world, pattern, principal):
    row = ROWS[pattern.name]
    response = world.clients[principal].get(_url(pattern, row, world))
    got = matrix.outcome(response)
    assert got == row.expected(principal), (
        f"{principal} × {pattern.name}: expected {row.expected(principal)}, got "
        f"{got} ({response.status_code} {response.get('Location', '')})"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "principal"), list(_post_cases()))
def test_refused_post(world, pattern, principal):
    row = ROWS[pattern.name]
    url = _url(pattern, row, world)
    before = _fingerprint()
    response = world.clients[principal].post(url, row.post)
    got = matrix.outcome(response)
    expected = row.expected(principal)
    assert got == expected, (
        f"POST {principal} × {pattern.name}: expected {expected}, got {got} "
        f"({response.status_code} {response.get('Location', '')})"
    )
    after = _fingerprint()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert not changed, f"POST {principal} × {pattern.name} changed {changed}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "principal", "kwargs", "expected", "hidden"),
    [
        pytest.param(*case, id=f"{case[1]}×{case[0]}[own]")
        for case in matrix.OWN_OBJECTS
    ],
)
def test_own_object(world, name, principal, kwargs, expected, hidden):
    response = world.clients[principal].get(reverse(name, kwargs=kwargs(world)))
    got = matrix.outcome(response)
    assert got == expected, f"{principal} × {name} (own): {expected} ≠ {got}"
    if hidden is not None:
        assert hidden(world) not in response.content.decode()


@pytest.mark.django_db
def test_finance_cannot_approve_and_the_disbursement_stays(world):
    """A refused POST of the other role's step changes nothing."""
    from funding.models.awards import Disbursement

    url = reverse(
        "funding_disbursement_action",
        kwargs={"pk": world.disbursement.pk, "step": "approve"},
    )
    before = _fingerprint()
    response = world.clients[roles.FINANCE].post(url, {})
    assert matrix.outcome(response) == matrix.DENIED
    assert _fingerprint() == before
    disbursement = Disbursement.objects.get(pk=world.disbursement.pk)
    assert disbursement.status == world.disbursement.status
