"""Self-registration approval against the registry: when the request's name is
not the registry's (or its code is not in the registry), the tick box "checked
against the registry" is not enough — the fund manager names the registry
organization and gives a reason, both kept in the request's history; a request
that matches the registry is approved as before. The daily limit of requests per
address holds when two requests race for the last place."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from core import roles
from incubator.errors import IncubationError
from incubator.models import AccountRequest, AccountRequestStatus
from incubator.services.accounts import account_request_approve, account_request_submit
from incubator.uscc import uscc_make

GOOD_PASSWORD = "Yiyang-2026-shegong"  # noqa: S105 - test data


@pytest.fixture
def registry(make_organization):
    return make_organization(name="湖南省益阳社工服务中心")


@pytest.fixture
def fund(make_user):
    return make_user("fund_a", roles.FUND_MANAGER)


def _request(uscc, name, username="liuyang", address="10.0.0.1"):
    return account_request_submit(
        organization_name=name,
        uscc=uscc,
        contact_name="刘洋",
        phone="13900000001",
        email=f"{username}@example.org",
        username=username,
        password=GOOD_PASSWORD,
        client_address=address,
    )


def _no_account():
    return not get_user_model().objects.filter(username="liuyang").exists()


def test_a_name_that_differs_needs_the_organization_and_a_reason(registry, fund):
    request = _request(registry.uscc, "益阳社工中心")
    with translation.override("zh-hans"), pytest.raises(IncubationError) as refused:
        account_request_approve(account_request=request, user=fund)
    assert refused.value.message_dict == {
        "organization": ["请指明申请人所属的名录机构：申请中的名称或代码与名录不符。"],
        "reason": ["请填写申请与名录不符仍予批准的理由（记入历史记录）。"],
    }
    # a reason alone, or the organization alone, is not enough either
    with pytest.raises(IncubationError):
        account_request_approve(account_request=request, user=fund, reason="简称")
    with pytest.raises(IncubationError):
        account_request_approve(
            account_request=request, user=fund, organization=registry, reason="  "
        )
    assert _no_account()
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.PENDING


def test_named_and_reasoned_the_approval_is_kept_in_the_history(registry, fund):
    request = _request(registry.uscc, "益阳社工中心")
    member = account_request_approve(
        account_request=request,
        user=fund,
        organization=registry,
        reason="“益阳社工中心”是登记证书上名称的简称，电话核实",
    )
    assert member.organization_membership.organization == registry
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.APPROVED
    assert request.organization == registry
    assert request.reason == "“益阳社工中心”是登记证书上名称的简称，电话核实"
    last = request.history.latest()
    assert last.status == AccountRequestStatus.APPROVED
    assert last.organization_id == registry.pk
    assert last.reason.startswith("“益阳社工中心”是")
    assert last.history_user == fund


def test_a_code_not_in_the_registry_needs_the_organization_too(registry, fund):
    request = _request(uscc_make("2", "430111", 4242), "湖南省益阳社工服务中心")
    with translation.override("zh-hans"), pytest.raises(IncubationError) as refused:
        account_request_approve(account_request=request, user=fund)
    assert "先将该机构录入名录" in refused.value.messages[0]
    assert _no_account()
    member = account_request_approve(
        account_request=request,
        user=fund,
        organization=registry,
        reason="申请人把代码第 17 位填错，已与登记证书核对",
    )
    assert member.organization_membership.organization == registry
    request.refresh_from_db()
    assert request.organization == registry


def test_a_request_that_matches_the_registry_needs_nothing_more(registry, fund):
    request = _request(registry.uscc, "湖南省益阳社工服务中心")
    member = account_request_approve(account_request=request, user=fund)
    assert member.organization_membership.organization == registry
    request.refresh_from_db()
    assert request.organization == registry and request.reason == ""


def test_the_desk_asks_for_the_organization_and_the_reason(registry, client_for):
    client = client_for(roles.FUND_MANAGER, username="fund_desk", language="zh-hans")
    request = _request(registry.uscc, "益阳社工中心")
    path = reverse("incubator_account_request", args=[request.pk])
    page = client.post(path, {"action": "approve", "checked": "on"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "请指明申请人所属的名录机构" in text
    assert "请填写申请与名录不符仍予批准的理由" in text
    assert _no_account()
    done = client.post(
        path,
        {
            "action": "approve",
            "checked": "on",
            "organization": registry.pk,
            "approval_reason": "简称，电话核实",
        },
    )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.APPROVED
    assert (request.organization, request.reason) == (registry, "简称，电话核实")
    assert AccountRequest.objects.get().user.username == "liuyang"


def test_two_requests_racing_for_the_last_place_of_the_day_store_one(registry):
    for n in range(4):  # REQUESTS_PER_DAY - 1 from this address today
        _request(registry.uscc, registry.name, username=f"early{n}")
    # both racing requests read the four of the day before either stored its own
    stale = mock.patch(
        "core.limits.used_slots", side_effect=lambda taken, field: [1, 2, 3, 4]
    )
    with stale:
        _request(registry.uscc, registry.name, username="racer_a")
        with translation.override("zh-hans"), pytest.raises(IncubationError) as late:
            _request(registry.uscc, registry.name, username="racer_b")
    assert late.value.messages == [
        "今天来自您网络的申请过多（每天最多 5 次），请明天再试。"
    ]
    stored = AccountRequest.objects.order_by("day_slot")
    assert [r.day_slot for r in stored] == [1, 2, 3, 4, 5]
    assert stored.last().username == "racer_a"
    # another address still has its five places
    assert _request(registry.uscc, registry.name, "other", "10.0.0.2").day_slot == 1
