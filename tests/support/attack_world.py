"""The permission matrix's world (two of everything) for the attack tests of issue
14's reorganisation, with files on disk: built once per test module and rolled
back at its end (tests/support/shared_data.py); `attack_world` gives each test its
own copy of it inside the test's savepoint, and `as_user(world, who)` a logged-in
test client."""

import pytest
from django.test import Client

from tests.support.permission_world import build_world
from tests.support.shared_data import files_on_disk, fresh_copy, rolled_back


@pytest.fixture(scope="module")
def _attack_world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        files_on_disk(tmp_path_factory.mktemp("attack-media")),
        rolled_back(django_db_blocker, build_world) as world,
    ):
        yield world


@pytest.fixture(name="attack_world")
def attack_world_fixture(_attack_world_once, db):
    """The world for one test: what the test writes is rolled back after it, and
    the objects are the test's own copies."""
    return fresh_copy(_attack_world_once)


def as_user(world, who):
    """A client logged in as `who`: a role name (the world's user of that role) or
    a user object (the world's second operator, reviewer, coordinator…)."""
    user = world.users.get(who) if isinstance(who, str) else who
    client = Client()
    client.force_login(user)
    return client
