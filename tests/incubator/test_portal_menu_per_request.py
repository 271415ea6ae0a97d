"""The 我的机构 menu and the portal screens ask an organization user's membership
once per request (`incubator.permissions.organization_of_request`), never keep
it across requests: a user who becomes an organization's user in one request
sees the portal menu on the next."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import roles
from incubator.models import OrganizationMembership

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/admin/snippets/incubator/organization/"


def _membership_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    # organization_of(user): the membership of the user, by user
    asked = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "incubator_organizationmembership"' in q["sql"]
        and 'WHERE "incubator_organizationmembership"."user_id" =' in q["sql"]
    ]
    return response.content.decode(), len(asked)


def test_a_staff_page_asks_the_membership_once(client_for, make_organization):
    make_organization(name="湖南省益阳社工服务中心")
    for role in (roles.ADMINISTRATOR, roles.FUND_MANAGER, roles.REGISTRAR):
        client = client_for(role)
        html, asked = _membership_queries(client, ORGANIZATIONS)
        assert "湖南省益阳社工服务中心" in html
        assert reverse("incubator_portal_organization") not in html
        assert asked == 1, role
        _html, asked = _membership_queries(client, reverse("wagtailadmin_home"))
        assert asked == 1, role


def test_a_portal_page_asks_the_membership_once(make_organization, make_user):
    org = make_organization(name="湖南省益阳社工服务中心")
    lead = make_user("lead", roles.ORGANIZATION)
    OrganizationMembership.objects.create(user=lead, organization=org)
    client = Client()
    client.force_login(lead)

    html, asked = _membership_queries(client, reverse("incubator_portal_organization"))

    assert "湖南省益阳社工服务中心" in html
    # the menu's 我的机构 items
    assert f'"url": "{reverse("incubator_portal_incubation")}"' in html
    assert asked == 1


def test_a_user_made_an_organizations_user_sees_the_portal_on_the_next_request(
    make_organization, make_user
):
    org = make_organization(name="湖南省益阳社工服务中心")
    lead = make_user("lead", roles.ORGANIZATION)
    client = Client()
    client.force_login(lead)
    portal = reverse("incubator_portal_organization")

    before = client.get(reverse("wagtailadmin_home")).content.decode()
    refused = client.get(portal)
    OrganizationMembership.objects.create(user=lead, organization=org)
    after = client.get(reverse("wagtailadmin_home")).content.decode()

    assert f'"url": "{portal}"' not in before
    # Wagtail's refusal: back to the dashboard with a message
    assert (refused.status_code, refused.url) == (302, "/admin/")
    assert f'"url": "{portal}"' in after
    assert client.get(portal).status_code == 200

    OrganizationMembership.objects.filter(user=lead).delete()
    assert (
        f'"url": "{portal}"'
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    assert client.get(portal).status_code == 302


def test_the_answer_is_asked_again_for_another_user_of_the_same_request(
    make_organization, make_user, rf
):
    from incubator.permissions import organization_of_request

    org = make_organization(name="湖南省益阳社工服务中心")
    lead = make_user("lead", roles.ORGANIZATION)
    other = make_user("other", roles.ORGANIZATION)
    OrganizationMembership.objects.create(user=lead, organization=org)
    request = rf.get("/admin/")
    request.user = lead
    with CaptureQueriesContext(connection) as captured:
        assert organization_of_request(request) == org
        assert organization_of_request(request) == org
    assert len(captured.captured_queries) == 1
    request.user = other
    assert organization_of_request(request) is None
