"""The permission matrix's world (two of everything) for the attack tests of issue
14's reorganisation: `attack_world` builds it per test, with files on disk, and
`as_user(world, who)` gives a logged-in test client."""

import pytest
from django.test import Client
from django.utils.functional import empty

from tests.support.permission_world import build_world


@pytest.fixture(name="attack_world")
def attack_world_fixture(settings, tmp_path):
    from projects.models import _private_storage

    settings.MEDIA_ROOT = str(tmp_path / "public")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    _private_storage._wrapped = empty
    yield build_world()
    _private_storage._wrapped = empty


def as_user(world, who):
    """A client logged in as `who`: a role name (the world's user of that role) or
    a user object (the world's second operator, reviewer, coordinator…)."""
    user = world.users.get(who) if isinstance(who, str) else who
    client = Client()
    client.force_login(user)
    return client
