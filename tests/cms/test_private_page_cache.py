"""A page made private is never served from the public page cache: any
change of view restrictions — on the page or an ancestor, made in code or through
the admin's privacy dialog — drops the stored copies at once.
Rule: cms/page_cache.py `view_restriction_changed`, connected in cms/apps.py."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from core import roles

pytestmark = pytest.mark.django_db


def _stored(url):
    """Anonymous readers have a stored copy of the page."""
    Client().get(url)
    response = Client().get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def _sent_to_login(response):
    return (
        response.status_code == 302
        and "login" in response["Location"]
        and "X-Page-Cache" not in response
    )


def test_a_page_restricted_to_logged_in_users_is_not_served_from_the_cache(
    page_cache, cms_site
):
    news = cms_site["news"]
    _stored(news.url)
    PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.LOGIN
    )
    response = Client().get(news.url)
    assert _sent_to_login(response)
    # the other pages were stored again from scratch, and still public
    statistics = Client().get(cms_site["statistics"].url)
    assert statistics.status_code == 200
    assert statistics["X-Page-Cache"] == "miss"


def test_restricting_an_ancestor_closes_every_stored_descendant(page_cache, cms_site):
    statistics = cms_site["statistics"].url
    _stored(statistics)
    PageViewRestriction.objects.create(
        page=cms_site["home"], restriction_type=PageViewRestriction.LOGIN
    )
    assert _sent_to_login(Client().get(statistics))


def test_the_admins_privacy_dialog_drops_the_stored_copy(
    page_cache, cms_site, client_for
):
    news = cms_site["news"]
    _stored(news.url)
    administrator = client_for(roles.ADMINISTRATOR)
    editor_group = roles.role_group(roles.EDITOR)
    response = administrator.post(
        reverse("wagtailadmin_pages:set_privacy", args=[news.pk]),
        {"restriction_type": "groups", "groups": [editor_group.pk], "password": ""},
    )
    assert response.status_code == 200
    assert PageViewRestriction.objects.get(page=news).groups.get() == editor_group
    assert _sent_to_login(Client().get(news.url))
