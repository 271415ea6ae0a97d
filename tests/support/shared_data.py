"""Data built once for a whole test module and rolled back at its end: the expensive
worlds (the permission matrix's, the demo) shared the way Django's TestCase shares
`setUpTestData`, each test running in a savepoint on top (README, "Requirements")."""

import copy
from contextlib import contextmanager

from django.db import transaction
from django.test import override_settings
from django.utils.functional import empty


@contextmanager
def rolled_back(django_db_blocker, build):
    """Runs `build()` (-> any data) inside a transaction on the default database and
    yields its result; the transaction is rolled back when the block ends, so other
    modules never see the data. The database stays blocked in between: each test
    that uses the data still asks for it (`db`), and runs in a savepoint inside this
    transaction that pytest-django rolls back after the test."""
    django_db_blocker.unblock()
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        data = build()
        django_db_blocker.restore()
        yield data
        django_db_blocker.unblock()
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        django_db_blocker.restore()


@contextmanager
def files_on_disk(folder, *, public=True):
    """Stored files go under `folder` (private ones always, public ones unless
    `public` is false) for the length of the block; the private storage is
    rebuilt at both ends so it reads the setting."""
    from projects.models import _private_storage

    overrides = {"PRIVATE_MEDIA_ROOT": str(folder / "private")}
    if public:
        overrides.update(
            MEDIA_ROOT=str(folder / "public"),
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {
                    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                },
            },
        )
    with override_settings(**overrides):
        _private_storage._wrapped = empty
        try:
            yield
        finally:
            _private_storage._wrapped = empty


def fresh_copy(data):
    """A deep copy of shared data for one test (model instances included), as
    Django's TestCase gives each test its own copy of `setUpTestData`'s objects: a
    test that refreshes or changes an object leaves the next test's copy alone."""
    return copy.deepcopy(data)
