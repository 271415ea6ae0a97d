"""Attack on `bench_generate`: it drops and rebuilds indexes and
constraints and adds bench users with one known password, so it must refuse any
database that is not the bench's (settings.BENCH false) and write nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from incubator.models import Organization

pytestmark = pytest.mark.django_db


def test_bench_generate_refuses_a_database_outside_the_bench_settings(settings):
    settings.BENCH = False  # as on a production server
    with pytest.raises(CommandError, match="config.settings.bench"):
        call_command("bench_generate", scale=0.002, seed=7)
    assert Organization.objects.count() == 0
    assert get_user_model().objects.filter(username__startswith="bench-").count() == 0
