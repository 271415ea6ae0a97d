"""The demo's organization users (社会组织用户): `org` and `org_finance` of
湖南省益阳社工服务中心 (core.demo creates the users; this links them), and the
account work waiting for staff: one self-registration for the fund manager, one
open invitation, one milestone the organization marked done for the operator."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core.demo import ORGANIZATION_USERS
from incubator.demo.incubation import demo_organization
from incubator.models import (
    AccountRequest,
    MilestoneClaim,
    OrganizationInvitation,
    OrganizationMembership,
    Residency,
)

TITLES = {"org": "项目负责人", "org_finance": "财务联系人"}

#: The demo's open invitation: /organizations/invitations/<DEMO_INVITATION_TOKEN>/
#: (demo data only; real tokens are random and stored hashed).
DEMO_INVITATION_TOKEN = "demo-yiyang-invitation-2026"  # noqa: S105 - demo link
DEMO_INVITED_EMAIL = "volunteer@yiyang-shegong.example.org"
DEMO_REQUEST_USERNAME = "chunhui_contact"


def seed(stdout):
    organization = demo_organization()
    for username in ORGANIZATION_USERS:
        user = get_user_model().objects.get(username=username)
        OrganizationMembership.objects.get_or_create(
            user=user,
            defaults={"organization": organization, "title": TITLES.get(username, "")},
        )
    stdout.write(
        f"Organization users of {organization.name}: {len(ORGANIZATION_USERS)}"
    )
    _seed_invitation(organization)
    _seed_account_request()
    _seed_claim(organization)
    stdout.write(
        "Organization accounts: 1 open invitation, 1 pending account request, "
        "1 milestone waiting for confirmation"
    )


def _seed_invitation(organization):
    from incubator.services.accounts import token_hash

    if OrganizationInvitation.objects.filter(
        token_hash=token_hash(DEMO_INVITATION_TOKEN)
    ).exists():
        return
    OrganizationInvitation.objects.create(
        organization=organization,
        email=DEMO_INVITED_EMAIL,
        title="志愿者协调员",
        invited_by=get_user_model().objects.filter(username="fund").first(),
        token_hash=token_hash(DEMO_INVITATION_TOKEN),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )


def _seed_account_request():
    """A person of 湖南省春晖助残服务中心 (in the registry) asks for an account."""
    from incubator.models import Organization

    if AccountRequest.objects.filter(username=DEMO_REQUEST_USERNAME).exists():
        return
    registered = Organization.objects.filter(name="湖南省春晖助残服务中心").first()
    if registered is None or not registered.uscc:
        return
    AccountRequest.objects.create(
        organization_name=registered.name,
        uscc=registered.uscc,
        contact_name="陈晓雯",
        phone="13807370001",
        email="chenxiaowen@chunhui.example.org",
        username=DEMO_REQUEST_USERNAME,
        password_hash=make_password(None),  # unusable until approved and reset
        client_hash="0" * 64,
    )


def _seed_claim(organization):
    """The demo organization marks its first open milestone done."""
    residency = Residency.objects.active().filter(organization=organization).first()
    if residency is None:
        return
    if MilestoneClaim.objects.filter(milestone__residency=residency).exists():
        return
    milestone = residency.milestones.filter(done_on__isnull=True).first()
    if milestone is None:
        return
    MilestoneClaim.objects.create(
        milestone=milestone,
        done_on=timezone.localdate(),
        note="已取得民政部门颁发的登记证书，证书复印件已交基地存档。",
        claimed_by=get_user_model().objects.get(username="org"),
    )


def demo_organization_user():
    """The demo login `org` (after `seed`): the user whose portal the demo fills."""
    return get_user_model().objects.get(username="org")
