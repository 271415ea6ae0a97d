"""Which database a query goes to: the one place that decides it.

Everything goes to the primary (``default``) except the read-only statistics work,
which goes to a read replica when replicas are configured (``DATABASE_REPLICAS``,
filled from ``DATABASE_REPLICA_URLS`` by the settings). Statistics work is marked by
running it under `statistics_reads()`, used as a decorator on the functions that
compute the figures:

- the public figures and breakdowns (``cms.selectors.figures._compute``),
- the rural-revitalization roll-ups (``projects.selectors.rollups.rollup``,
  ``headline``),
- the service-purchase roll-ups (``funding.selectors.purchases``),
- the incubation boards (``incubator.selectors.board.base_board``, ``department_board``),
- the registry summary of the admin dashboard (``incubator.selectors.registry``).

Even inside statistics work a read goes to the primary when

- no replica is configured (the fallback: every query on ``default``),
- the primary is inside a transaction (a service that reads what it is writing,
  e.g. the funding line ranks the applications inside its own transaction),
- the current request has written, or wrote within the last
  ``DATABASE_REPLICA_PIN_SECONDS`` (a cookie set by `PrimaryAfterWriteMiddleware`):
  someone who just approved a report sees it counted on the next page, whatever the
  replica's lag.

Writes always go to the primary. The funding results and the funding line
(``funding.selectors.results``, ``funding.services.funding_line``) are decisions, not statistics: they stay on the
primary.
"""

import random
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PIN_COOKIE = "db_primary"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")

# The replica chosen for the statistics work running now ("" outside it).
_statistics_alias: ContextVar[str] = ContextVar("statistics_alias", default="")


@dataclass
class _RequestState:
    pinned: bool = False  # the visitor wrote a few seconds ago (cookie)
    wrote: bool = False  # this request wrote


# Set by the middleware for the duration of a request.
_request: ContextVar[_RequestState | None] = ContextVar("db_request", default=None)


def replicas():
    """The aliases of the read replicas (empty: none configured)."""
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def _primary_required():
    state = _request.get()
    if state is not None and (state.wrote or state.pinned):
        return True
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


def statistics_db():
    """The alias a read goes to right now: inside `statistics_reads()` the chosen
    replica (unless the primary is required), else ``default``.

    For an explicit ``connections[statistics_db()]`` where the router cannot see the
    query (raw SQL); querysets under `statistics_reads()` need nothing."""
    alias = _statistics_alias.get()
    if not alias or alias not in replicas() or _primary_required():
        return DEFAULT_DB_ALIAS
    return alias


@contextmanager
def statistics_reads():
    """Run the enclosed reads on one replica (chosen once, so a computation sees one
    consistent snapshot). Usable as ``with statistics_reads():`` or as a decorator
    ``@statistics_reads()``; nesting keeps the outer replica."""
    if _statistics_alias.get() or not replicas():
        yield
        return
    token = _statistics_alias.set(random.choice(replicas()))  # noqa: S311
    try:
        yield
    finally:
        _statistics_alias.reset(token)


@contextmanager
def primary_reads():
    """Run the enclosed statistics work on the primary even where replicas are
    configured: for figures computed right after a write, which a lagging replica
    would not show yet (see `cms.selectors.figures`)."""
    token = _statistics_alias.set(DEFAULT_DB_ALIAS)
    try:
        yield
    finally:
        _statistics_alias.reset(token)


class StatisticsReplicaRouter:
    """Statistics reads to the chosen replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        return statistics_db()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the same rows as the primary.
        same = {DEFAULT_DB_ALIAS, *replicas()}
        if obj1._state.db in same and obj2._state.db in same:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas follow the primary's schema by replication; never migrate them.
        if db in replicas():
            return False
        return None


def _is_write(sql):
    return sql.lstrip()[:7].upper().startswith(_WRITES)


class PrimaryAfterWriteMiddleware:
    """Notes whether a request wrote to the primary (so its later statistics reads
    stay there) and pins the visitor's next few seconds to the primary with a
    cookie, so the page after a save never shows the replica's older figures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _RequestState(pinned=PIN_COOKIE in request.COOKIES)
        token = _request.set(state)
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(
                self._note_writes(state)
            ):
                response = self.get_response(request)
        finally:
            _request.reset(token)
        if state.wrote and replicas():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 10),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    @staticmethod
    def _note_writes(state):
        def wrapper(execute, sql, params, many, context):
            if not state.wrote and _is_write(sql):
                state.wrote = True
            return execute(sql, params, many, context)

        return wrapper
