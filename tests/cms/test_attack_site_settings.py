"""Attack on 设置 › 公开网站: only the administrator opens or changes whether
notice and call pages are published at once or moderated (DESIGN.md: publishing
goes through Wagtail moderation; the editor must not switch it off)."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from core import roles

pytestmark = pytest.mark.django_db


def _url():
    site = Site.objects.get(is_default_site=True)
    return reverse("wagtailsettings:edit", args=["cms", "publicsitesettings", site.pk])


@pytest.mark.parametrize(
    "role",
    [
        roles.OPERATOR,
        roles.FUND_MANAGER,
        roles.REVIEWER,
        roles.COORDINATOR,
        roles.EDITOR,
        roles.FINANCE,
    ],
)
def test_no_role_but_the_administrator_reaches_the_site_settings(
    cms_site, client_for, role
):
    from cms.models import AnnouncementPublishing, PublicSiteSettings

    site = Site.objects.get(is_default_site=True)
    settings = PublicSiteSettings.for_site(site)
    settings.announcement_publishing = AnnouncementPublishing.MODERATION
    settings.save()
    client = client_for(role)

    opened = client.get(_url())
    assert opened.status_code in (302, 403)
    assert "公示公告" not in opened.content.decode()
    client.post(_url(), {"announcement_publishing": AnnouncementPublishing.DIRECT})
    settings.refresh_from_db()
    assert settings.announcement_publishing == AnnouncementPublishing.MODERATION


def test_the_administrator_changes_the_site_settings(cms_site, client_for):
    from cms.models import AnnouncementPublishing, PublicSiteSettings

    client = client_for(roles.ADMINISTRATOR)
    assert client.get(_url()).status_code == 200
    response = client.post(
        _url(), {"announcement_publishing": AnnouncementPublishing.MODERATION}
    )
    assert response.status_code == 302
    site = Site.objects.get(is_default_site=True)
    assert (
        PublicSiteSettings.for_site(site).announcement_publishing
        == AnnouncementPublishing.MODERATION
    )
