"""Organization accounts: invitations (e-mail, one-time link, refusals),
self-registration (USCC check, rate limit, registry match, approve / reject), the
organization's own record (机构信息) with its bank account masked."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.models import Notification, NotificationKind
from incubator.models import (
    AccountRequest,
    AccountRequestStatus,
    OrganizationInvitation,
    OrganizationMembership,
)
from incubator.services.accounts import (
    REQUESTS_PER_DAY,
    account_request_submit,
    invitation_create,
)
from incubator.services.residencies import residency_admit

GOOD_PASSWORD = "Yiyang-2026-shegong"  # noqa: S105 - test data


def _link(message):
    return re.search(r"https?://\S+(/organizations/invitations/[^/\s]+/)", message.body)


@pytest.fixture
def mailing(django_capture_on_commit_callbacks):
    """with mailing(): … — e-mails leave on commit: run those callbacks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def fund_client(client_for):
    return client_for(roles.FUND_MANAGER, username="fund")


@pytest.fixture
def organization(make_organization):
    return make_organization(name="湖南省益阳社工服务中心")


def _accept(path, username="yiyang_lead", password=GOOD_PASSWORD):
    return Client().post(
        path, {"username": username, "password1": password, "password2": password}
    )


def test_a_fund_manager_invites_and_the_link_creates_a_member(
    fund_client, organization, mailing
):
    with mailing():
        response = fund_client.post(
            reverse("incubator_invite", args=[organization.pk]),
            {"email": "Lead@Example.org", "title": "项目负责人"},
        )
    assert response.status_code == 302
    # the e-mail goes out on commit; the test transaction runs the callbacks here
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lead@example.org"]
    assert "湖南省益阳社工服务中心" in message.subject
    path = _link(message).group(1)
    invitation = OrganizationInvitation.objects.get()
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash  # only the hash is stored
    # valid 7 days
    assert (
        round((invitation.expires_at - invitation.created_at).total_seconds() / 86400)
        == 7
    )

    page = Client().get(path)
    assert page.status_code == 200
    assert "湖南省益阳社工服务中心" in page.content.decode()

    done = _accept(path)
    assert done.status_code == 200
    user = get_user_model().objects.get(username="yiyang_lead")
    assert user.is_active and user.email == "lead@example.org"
    assert user.groups.filter(name="社会组织用户").exists()
    membership = OrganizationMembership.objects.get(user=user)
    assert membership.organization == organization
    assert membership.title == "项目负责人"
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.user == user
    # the new user logs in and reaches 我的机构
    client = Client()
    # through the login form: django-axes refuses Client.login() without a request
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "yiyang_lead", "password": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("incubator_portal_organization")).status_code == 200


def test_a_second_use_is_refused_and_creates_nobody(fund_client, organization, mailing):
    with mailing():
        fund_client.post(
            reverse("incubator_invite", args=[organization.pk]),
            {"email": "lead@example.org"},
        )
    path = _link(mail.outbox[0]).group(1)
    _accept(path)
    second = _accept(path, username="someone_else")
    assert second.status_code == 410
    assert "被使用" in second.content.decode()
    assert not get_user_model().objects.filter(username="someone_else").exists()
    assert Client().get(path).status_code == 410


def test_an_expired_or_unknown_link_is_refused_with_a_chinese_page(organization):
    invitation, token = invitation_create(
        organization=organization, email="a@example.org", user=None
    )
    OrganizationInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    path = reverse("incubator_invitation_accept", args=[token])
    expired = Client().get(path)
    assert expired.status_code == 410
    assert "过期" in expired.content.decode()
    assert _accept(path).status_code == 410
    unknown = Client().get(reverse("incubator_invitation_accept", args=["nope"]))
    assert unknown.status_code == 404
    assert "邀请链接无效" in unknown.content.decode()


def test_a_weak_password_or_taken_username_keeps_the_link_open(organization, make_user):
    make_user("taken")
    _invitation, token = invitation_create(
        organization=organization, email="a@example.org", user=None
    )
    path = reverse("incubator_invitation_accept", args=[token])
    weak = _accept(path, password="12345678")
    assert weak.status_code == 200
    assert "密码" in weak.content.decode()
    taken = _accept(path, username="taken")
    assert "已被占用" in taken.content.decode()
    assert _accept(path).status_code == 200  # still usable
    assert get_user_model().objects.filter(username="yiyang_lead").exists()


def test_an_operator_invites_only_residents_of_their_base(two_bases, make_organization):
    resident = make_organization()
    residency_admit(organization=resident, base=two_bases.base_a, enter=True)
    other = make_organization()
    residency_admit(organization=other, base=two_bases.base_b, enter=True)
    client = two_bases.client_a
    assert client.get(reverse("incubator_invite", args=[resident.pk])).status_code == (
        200
    )
    refused = client.post(
        reverse("incubator_invite", args=[other.pk]), {"email": "x@example.org"}
    )
    assert refused.status_code == 404
    assert not OrganizationInvitation.objects.filter(organization=other).exists()
    assert mail.outbox == []


def test_the_registry_listing_offers_the_invitation_where_it_may_be_sent(
    two_bases, make_organization, fund_client
):
    resident = make_organization(name="益阳市赫山区甲社工中心")
    residency_admit(organization=resident, base=two_bases.base_a, enter=True)
    other = make_organization(name="益阳市赫山区乙社工中心")
    residency_admit(organization=other, base=two_bases.base_b, enter=True)
    listing = reverse("wagtailsnippets_incubator_organization:list")
    resident_link = reverse("incubator_invite", args=[resident.pk])
    other_link = reverse("incubator_invite", args=[other.pk])
    # The operator of base A: only the organization resident in base A.
    page = two_bases.client_a.get(listing, {"q": "赫山区"}).content.decode()
    assert resident_link in page
    assert other_link not in page
    # A fund manager (department) may invite the people of every organization.
    page = fund_client.get(listing, {"q": "赫山区"}).content.decode()
    assert resident_link in page and other_link in page


def _register(client, **fields):
    data = {
        "organization_name": "湖南省益阳社工服务中心",
        "uscc": "",
        "contact_name": "刘洋",
        "phone": "13900000001",
        "email": "liuyang@example.org",
        "username": "liuyang",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **fields,
    }
    return client.post(reverse("incubator_account_register"), data)


def test_registration_checks_the_uscc_and_tells_the_fund_managers(
    organization, fund_client
):
    client = Client()
    bad = _register(client, uscc="51430111MJ0000000X")
    assert bad.status_code == 200
    assert "校验位" in bad.content.decode() or "统一社会信用代码" in (
        bad.content.decode()
    )
    assert not AccountRequest.objects.exists()

    ok = _register(client, uscc=organization.uscc)
    assert ok.status_code == 200
    assert "liuyang@example.org" in ok.content.decode()
    request = AccountRequest.objects.get()
    assert request.status == AccountRequestStatus.PENDING
    assert request.password_hash.startswith(("pbkdf2", "argon2", "md5", "bcrypt"))
    assert GOOD_PASSWORD not in request.password_hash
    # the address is not stored, only its hash
    assert "127.0.0.1" not in request.client_hash and len(request.client_hash) == 64
    # no account before approval
    assert not get_user_model().objects.filter(username="liuyang").exists()
    told = Notification.objects.filter(kind=NotificationKind.ACCOUNT_REQUESTED)
    assert fund_client.user in [n.recipient for n in told]


def test_five_requests_a_day_per_address(organization):
    client = Client(REMOTE_ADDR="10.1.2.3")
    for n in range(REQUESTS_PER_DAY):
        _register(client, uscc=organization.uscc, username=f"user{n}")
    assert AccountRequest.objects.count() == 5
    sixth = _register(client, uscc=organization.uscc, username="user6")
    assert "最多 5 次" in sixth.content.decode()
    assert AccountRequest.objects.count() == 5
    # another address is not affected
    _register(Client(REMOTE_ADDR="10.9.9.9"), uscc=organization.uscc, username="u7")
    assert AccountRequest.objects.count() == 6
    # a day later the first address may send again
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    account_request_submit(
        organization_name="x",
        uscc=organization.uscc,
        contact_name="x",
        phone="1",
        email="x@example.org",
        username="user8",
        password=GOOD_PASSWORD,
        client_address="10.1.2.3",
        now=later,
    )
    assert AccountRequest.objects.count() == 7


def _request(uscc, name, username="liuyang"):
    return account_request_submit(
        organization_name=name,
        uscc=uscc,
        contact_name="刘洋",
        phone="13900000001",
        email=f"{username}@example.org",
        username=username,
        password=GOOD_PASSWORD,
        client_address="10.0.0.1",
    )


def test_the_desk_shows_the_registry_match(organization, fund_client):
    from incubator.uscc import uscc_make

    _request(organization.uscc, "湖南省益阳社工服务中心", "found")
    _request(organization.uscc, "益阳社工中心", "differs")
    _request(uscc_make("2", "430111", 777), "不在名录的中心", "missing")
    page = fund_client.get(reverse("incubator_account_requests")).content.decode()
    text = re.sub(r"\s+", " ", page)
    assert 'data-state="found"' in page and "名录中有此机构" in text
    assert 'data-state="name_differs"' in page and "代码相符，名称不同" in text
    assert 'data-state="missing"' in page and "名录中无此机构" in text


def test_approve_creates_the_member_and_a_second_approve_is_refused(
    organization, fund_client, mailing
):
    request = _request(organization.uscc, organization.name)
    path = reverse("incubator_account_request", args=[request.pk])
    unchecked = fund_client.post(path, {"action": "approve"})
    assert unchecked.status_code == 200  # the check box must be ticked
    assert not get_user_model().objects.filter(username="liuyang").exists()
    with mailing():
        fund_client.post(path, {"action": "approve", "checked": "on"})
    user = get_user_model().objects.get(username="liuyang")
    assert user.is_active
    assert user.organization_membership.organization == organization
    assert user.check_password(GOOD_PASSWORD)
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.APPROVED
    assert any("liuyang" in m.body for m in mail.outbox)
    again = fund_client.post(path, {"action": "approve", "checked": "on"})
    assert again.status_code == 200  # the screen, no second account
    assert get_user_model().objects.filter(username="liuyang").count() == 1


def test_reject_needs_a_reason_and_emails_it(organization, fund_client, mailing):
    request = _request(organization.uscc, organization.name)
    path = reverse("incubator_account_request", args=[request.pk])
    fund_client.post(path, {"action": "reject", "reason": ""})
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.PENDING
    with mailing():
        fund_client.post(path, {"action": "reject", "reason": "名称与登记证书不符"})
    request.refresh_from_db()
    assert request.status == AccountRequestStatus.REJECTED
    assert "名称与登记证书不符" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [request.email]


def test_approving_an_organization_not_in_the_registry_is_refused(fund_client):
    from incubator.uscc import uscc_make

    request = _request(uscc_make("2", "430111", 4242), "不在名录的中心")
    page = fund_client.post(
        reverse("incubator_account_request", args=[request.pk]),
        {"action": "approve", "checked": "on"},
    )
    assert "先将该机构录入名录" in page.content.decode()
    assert not get_user_model().objects.filter(username="liuyang").exists()


def test_organization_details_mask_the_bank_account(organization, make_user):
    organization.bank_name = "中国工商银行益阳分行"
    organization.bank_account = "6222021234561234"
    organization.save()
    user = make_user("lead", roles.ORGANIZATION, first_name="敏", last_name="周")
    OrganizationMembership.objects.create(
        user=user, organization=organization, title="项目负责人"
    )
    client = Client()
    client.force_login(user)
    page = client.get(reverse("incubator_portal_organization")).content.decode()
    assert "6222 **** **** 1234" in page
    assert "6222021234561234" not in page
    assert organization.uscc in page
    assert "周敏" in page and "项目负责人" in page
