import pytest
from django.core.cache import cache

from core import roles

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_five_failures_lock_the_account_with_a_clear_message(client, make_user):
    make_user("operator1", roles.OPERATOR)
    for _ in range(5):
        response = client.post(LOGIN, {"username": "operator1", "password": "wrong"})
        assert "请稍候" not in response.content.decode()
    response = client.post(
        LOGIN, {"username": "operator1", "password": "test-pass-123"}
    )
    assert response.status_code == 200  # not logged in
    assert "登录失败次数过多，请 15 分钟后再试。" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_correct_login_resets_the_count(client, make_user):
    make_user("operator1", roles.OPERATOR)
    for _ in range(4):
        client.post(LOGIN, {"username": "operator1", "password": "wrong"})
    response = client.post(
        LOGIN, {"username": "operator1", "password": "test-pass-123"}
    )
    assert response.status_code == 302
    client.logout()
    for _ in range(4):
        client.post(LOGIN, {"username": "operator1", "password": "wrong"})
    response = client.post(
        LOGIN, {"username": "operator1", "password": "test-pass-123"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_many_failures_from_one_address_lock_every_account(client, make_user):
    make_user("fund1", roles.FUND_MANAGER)
    for n in range(20):
        client.post(LOGIN, {"username": f"guess{n}", "password": "wrong"})
    response = client.post(LOGIN, {"username": "fund1", "password": "test-pass-123"})
    assert "登录失败次数过多" in response.content.decode()
