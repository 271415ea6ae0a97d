"""The demo's organization users (社会组织用户): `org` and `org_finance` of
湖南省益阳社工服务中心 (core.demo creates the users; this links them)."""

from django.contrib.auth import get_user_model

from core.demo import ORGANIZATION_USERS
from incubator.demo.incubation import demo_organization
from incubator.models import OrganizationMembership

TITLES = {"org": "项目负责人", "org_finance": "财务联系人"}


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


def demo_organization_user():
    """The demo login `org` (after `seed`): the user whose portal the demo fills."""
    return get_user_model().objects.get(username="org")
