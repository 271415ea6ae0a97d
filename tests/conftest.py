"""Suite-wide hooks and autouse settings; fixtures live in tests/fixtures/ (plugins)."""

import pytest
from django.utils import translation

pytest_plugins = [
    "tests.fixtures.users",
    "tests.fixtures.incubation",
    "tests.fixtures.funding",
    "tests.fixtures.projects",
    "tests.fixtures.cms",
]


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
