"""Login lockout (django-axes, core/login_lock.py).

Five failed logins lock the account for 15 minutes, whatever spaces surround the
name; failures are counted per account and per (account, address), never per
address alone; a successful login clears the count; an administrator can unlock.
"""

import datetime
import io

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from core import roles
from tests.fixtures.users import PASSWORD

LOGIN = "/admin/login/"
LOCKED = "登录失败次数过多，请 15 分钟后再试。"
OFFICE = "10.20.30.40"  # one address shared by a whole government office


def _post(client, username, password, address="127.0.0.1", **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def _fail(client, username, times, address="127.0.0.1"):
    for _ in range(times):
        _post(client, username, "wrong-password", address)


def _logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator", roles.COORDINATOR)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["coordinator", " coordinator", "coordinator "])
def test_five_failures_lock_the_account_however_the_name_is_spaced(
    client, coordinator, typed
):
    _fail(client, "coordinator", 5)
    response = _post(client, typed, PASSWORD)
    assert not _logged_in(client)
    assert response.status_code == 429
    page = response.content.decode()
    # The login page again, with the message in Chinese, not a bare English text.
    assert LOCKED in page
    assert 'name="password"' in page
    assert "Account locked" not in page


@pytest.mark.django_db
def test_failures_typed_with_spaces_count_against_the_account(client, coordinator):
    for typed in [" coordinator", "coordinator ", "  coordinator", "coordinator\t"]:
        _fail(client, typed, 1)
    response = _post(client, " coordinator ", "wrong-password")
    assert LOCKED in response.content.decode()
    response = _post(client, "coordinator", PASSWORD)
    assert not _logged_in(client)
    assert LOCKED in response.content.decode()
    assert AccessAttempt.objects.get().username == "coordinator"


@pytest.mark.django_db
def test_four_failures_do_not_lock_and_say_only_the_password_is_wrong(
    client, coordinator
):
    _fail(client, "coordinator", 3)
    response = _post(client, "coordinator", "wrong-password")
    assert response.status_code == 200
    assert LOCKED not in response.content.decode()
    response = _post(client, " coordinator", PASSWORD)
    assert response.status_code == 302
    assert _logged_in(client)


@pytest.mark.django_db
def test_twenty_failures_from_one_address_do_not_lock_out_the_office(client, make_user):
    make_user("fund1", roles.FUND_MANAGER)
    for n in range(20):
        _fail(client, f"guess{n}", 1, address=OFFICE)
    response = _post(client, "fund1", PASSWORD, address=OFFICE)
    assert response.status_code == 302
    assert _logged_in(client)


@pytest.mark.django_db
def test_counted_per_account_across_addresses_and_per_account_and_address(
    client, coordinator, make_user
):
    make_user("operator1", roles.OPERATOR)
    _fail(client, "coordinator", 3, address=OFFICE)
    _fail(client, "coordinator", 2, address="198.51.100.9")
    # The database holds the failures per (account, address).
    rows = {
        (a.username, a.ip_address): a.failures_since_start
        for a in AccessAttempt.objects.all()
    }
    assert rows == {("coordinator", OFFICE): 3, ("coordinator", "198.51.100.9"): 2}
    # Five for the account in all: locked, from a third address too.
    response = _post(client, "coordinator", PASSWORD, address="203.0.113.7")
    assert LOCKED in response.content.decode()
    assert not _logged_in(client)
    # Another account at the same office address is not touched.
    response = _post(client, "operator1", PASSWORD, address=OFFICE)
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_correct_login_clears_the_count(client, coordinator):
    _fail(client, "coordinator", 4)
    assert _post(client, "coordinator", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    _fail(client, "coordinator", 4)
    assert _post(client, "coordinator", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_lock_lasts_fifteen_minutes_from_the_fifth_failure(client, coordinator):
    _fail(client, "coordinator", 5)
    # Tries while locked are refused and do not restart the fifteen minutes.
    _post(client, "coordinator", PASSWORD)
    _fail(client, "coordinator", 2)
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 5
    AccessAttempt.objects.update(
        attempt_time=attempt.attempt_time - datetime.timedelta(minutes=14)
    )
    assert LOCKED in _post(client, "coordinator", PASSWORD).content.decode()
    AccessAttempt.objects.update(
        attempt_time=attempt.attempt_time - datetime.timedelta(minutes=16)
    )
    assert _post(client, "coordinator", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_every_login_path_is_refused_while_locked(client, coordinator):
    """Not only the admin's form: anything that calls authenticate()."""
    _fail(client, "coordinator", 5)
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="203.0.113.7")
    assert authenticate(request, username="coordinator", password=PASSWORD) is None
    assert authenticate(request, username=" coordinator", password=PASSWORD) is None


@pytest.mark.django_db
def test_an_administrator_unlocks_the_account(client, coordinator):
    _fail(client, "coordinator", 5)
    call_command("axes_reset_username", "coordinator", stdout=io.StringIO())
    assert _post(client, "coordinator", PASSWORD).status_code == 302


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_HOPS=1)
def test_behind_the_proxy_the_client_address_is_counted(client, coordinator):
    _post(
        client,
        "coordinator",
        "wrong-password",
        address="127.0.0.1",
        HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7",
    )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
