"""The public figures after a change of the data: readers are served the previous
figures while the worker recomputes them (stale-while-revalidate), so no reader waits
for the computation that reads every line — except the first, when nothing is stored.

The worker is replaced by django-tasks' DummyBackend, which keeps the queued tasks
without running them; a test runs a queued refresh itself, as `db_worker` would."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks import default_task_backend

from cms.selectors import figures
from funding.models import Fund
from tests.cms.test_figures_by_year import _awards_made

QUEUED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

pytestmark = pytest.mark.django_db


def _registered():
    values = {r.figure.key: r.value for r in figures.headline_figures()}
    return values["organizations_registered"]


def _queued():
    """The slots of the refreshes queued so far."""
    return [
        r.args[0]
        for r in default_task_backend.results
        if r.task.name == "figures_refresh"
    ]


def _money(year=None):
    values = {r.figure.key: r.value for r in figures.headline_figures(year)}
    return values["money_awarded"]


def _run_queued():
    """Run every queued refresh, as the worker would; their results (True: it
    recomputed)."""
    done = [figures.figures_refresh.call(slot) for slot in _queued()]
    default_task_backend.clear()
    return done


@override_settings(TASKS=QUEUED)
def test_after_a_change_readers_get_the_previous_figures_until_the_worker_refreshes(
    make_organization, django_assert_num_queries
):
    make_organization()
    make_organization()
    assert _registered() == 2  # nothing stored: the first reader computes them

    make_organization()  # a change of the data
    with django_assert_num_queries(0):  # served from the cache, stale
        assert _registered() == 2
    assert _queued() == ["all"]
    # a thousand readers more queue nothing more
    for _ in range(3):
        assert _registered() == 2
    assert _queued() == ["all"]

    assert _run_queued() == [True]
    assert _registered() == 3
    assert _queued() == []


@override_settings(TASKS=QUEUED)
def test_the_pages_stored_with_the_previous_figures_go_with_the_refresh(
    page_cache, cms_site, client, make_organization
):
    """The home page stored while the figures were stale is dropped when they are
    recomputed; the tree facts (the site, the private sections) are kept."""
    home = cms_site["home"].url
    make_organization()
    fresh = client.get(home)
    assert fresh["X-Page-Cache"] == "miss"
    make_organization()  # the stored pages are dropped, the figures stale
    stale = client.get(home)
    assert stale["X-Page-Cache"] == "miss"
    assert stale.content == fresh.content  # the previous figures
    assert client.get(home)["X-Page-Cache"] == "hit"

    assert _run_queued() == [True]
    with CaptureQueriesContext(connection) as queries:
        new = client.get(home)
    assert new["X-Page-Cache"] == "miss"
    assert new.content != fresh.content
    assert not [q for q in queries if "wagtailcore_site" in q["sql"]]
    assert client.get(home)["X-Page-Cache"] == "hit"


@override_settings(TASKS=QUEUED)
def test_a_refresh_queued_twice_for_one_change_computes_once(make_organization):
    make_organization()
    assert _registered() == 1
    make_organization()
    assert _registered() == 1
    # the first task is already running (its mark deleted) when a reader queues again
    cache.delete(figures.QUEUED_KEY % "all")
    assert _registered() == 1
    assert _queued() == ["all", "all"]
    assert _run_queued() == [True, False]
    assert _registered() == 2


@override_settings(TASKS=QUEUED)
def test_a_change_while_the_figures_are_computed_leaves_them_stale(
    make_organization, monkeypatch
):
    make_organization()
    assert _registered() == 1
    compute = figures._compute

    def compute_while_a_change_lands(year=None):
        values = compute(year)
        make_organization()  # written after the counts were read
        return values

    make_organization()
    monkeypatch.setattr(figures, "_compute", compute_while_a_change_lands)
    assert _registered() == 1
    assert _run_queued() == [True]
    monkeypatch.setattr(figures, "_compute", compute)
    # 2 were counted, 3 exist: the stored figures are stale, the next reader queues
    assert _registered() == 2
    assert _queued() == ["all"]
    assert _run_queued() == [True]
    assert _registered() == 3


@override_settings(TASKS=QUEUED)
def test_figures_are_refreshed_after_ten_minutes_without_a_change(make_organization):
    """A rating runs out or the year turns without any save: the figures are
    refreshed when older than FRESH_SECONDS."""
    make_organization()
    assert _registered() == 1
    assert _queued() == []
    entry = cache.get(f"{figures.CACHE_KEY}:all")
    entry["computed_at"] = time.time() - figures.FRESH_SECONDS - 1
    cache.set(f"{figures.CACHE_KEY}:all", entry, None)
    assert _registered() == 1
    assert _queued() == ["all"]


@override_settings(TASKS=QUEUED)
def test_a_lost_refresh_is_queued_again_once_its_mark_expires(make_organization):
    make_organization()
    assert _registered() == 1
    make_organization()
    assert _registered() == 1
    default_task_backend.clear()  # the worker lost it
    assert _registered() == 1
    assert _queued() == []
    cache.delete(figures.QUEUED_KEY % "all")  # QUEUED_SECONDS later
    assert _registered() == 1
    assert _queued() == ["all"]
    assert _run_queued() == [True]
    assert _registered() == 2


@override_settings(TASKS=QUEUED)
def test_each_year_is_refreshed_on_its_own(
    make_call, approved_application, manager, fund
):
    """2023: one award of 3,000,000 元 = 300 万元, then one of 2,000,000 more; 2024:
    100,000 元 = 10 万元."""
    fund_2024 = Fund.objects.create(
        name=fund.name, source=fund.source, year=2024, budget=Decimal("8000000")
    )
    _awards_made(make_call, approved_application, manager, fund, ["3000000"])
    _awards_made(make_call, approved_application, manager, fund_2024, ["100000"])
    assert _money(2023) == 300
    assert _money(2024) == 10
    assert _queued() == []

    _awards_made(make_call, approved_application, manager, fund, ["2000000"])
    assert _money(2023) == 300  # the previous figure, while …
    assert _money(2024) == 10
    assert sorted(_queued()) == ["2023", "2024"]  # … each year is recomputed
    assert _run_queued() == [True, True]
    assert _money(2023) == 500
    assert _money(2024) == 10
    assert _money() == 510


def test_a_commit_marks_the_figures_stale_again(
    make_organization, django_capture_on_commit_callbacks
):
    """A refresh that read the data before the writing transaction committed (on
    another connection) must not be taken for fresh: the version changes again at
    the commit."""
    make_organization()
    assert _registered() == 1
    with django_capture_on_commit_callbacks(execute=True):
        make_organization()
        entry = figures.figures_compute("all")  # a refresh in the meantime
        assert not figures._stale(entry, figures.data_version())
    assert figures._stale(entry, figures.data_version())


def test_with_the_immediate_backend_the_reader_after_a_change_sees_it(
    make_organization,
):
    """Without a worker of its own (the test settings, a one-process deployment),
    the refresh runs in the request that queued it, and that reader gets the new
    figures."""
    make_organization()
    assert _registered() == 1
    make_organization()
    assert _registered() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_a_shared_cache_the_web_process_refreshes_in_a_thread(
    settings, make_organization
):
    """Without Redis (`make run`, a one-host deployment) each process keeps the
    figures in its own memory, where a `db_worker` could not put them: the reader
    who finds them stale starts a thread of its own process, and is not kept
    waiting for it."""
    settings.FIGURES_REFRESH = "thread"
    make_organization()
    assert _registered() == 1
    make_organization()
    started = threading.active_count()
    assert _registered() == 1  # the previous figures, at once
    refreshing = [t for t in threading.enumerate() if t.name == "figures-all"]
    assert len(refreshing) == 1
    assert _registered() == 1  # a second reader starts no second thread
    assert threading.active_count() <= started + 1
    refreshing[0].join(timeout=30)
    assert _registered() == 2
