"""Suite-wide hooks and autouse settings; fixtures live in tests/fixtures/ (plugins)."""

import pytest
from django.utils import translation

pytest_plugins = [
    "tests.fixtures.users",
    "tests.fixtures.incubation",
    "tests.fixtures.funding",
    "tests.fixtures.projects",
    "tests.fixtures.cms",
    "tests.fixtures.supervision",
    "tests.fixtures.demo",
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test lists the requests its pages had not finished (the
    `browser` fixture tracks them): a page that hung on one names it."""
    outcome = yield
    report = outcome.get_result()
    contexts = getattr(item, "browser_contexts", None)
    if report.failed and contexts:
        from tests.support.browser import unfinished

        text = "\n".join(filter(None, map(unfinished, contexts)))
        report.sections.append(
            ("requests not finished at the failure", text or "(none)")
        )


def pytest_collection_modifyitems(items):
    """A transactional test empties every table when it ends, and the migrations' data
    (regions, roles) with it: such tests must restore it with serialized_rollback."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the product's default language."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _content_types_restored_first():
    """A transactional test's serialized rollback reloads the migrations' rows in
    the order Django serialized them, content types among the rest. A row saved
    before them whose post_save handler looks up a content type that the process
    no longer has cached inserts it under a new id, and the serialized row then
    collides with it ("UNIQUE constraint failed: django_content_type…"): the next
    transactional test in that worker failed to set up. Content types depend on
    nothing, so they are restored first."""
    import json

    from django.db.backends.base.creation import BaseDatabaseCreation

    original = BaseDatabaseCreation.deserialize_db_from_string

    def restore(self, data):
        rows = json.loads(data)
        rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
        return original(self, json.dumps(rows))

    BaseDatabaseCreation.deserialize_db_from_string = restore
    yield
    BaseDatabaseCreation.deserialize_db_from_string = original
