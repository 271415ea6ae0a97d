"""Attack on the 公示公告 pages: a 公示 published in the admin with a first day
still to come is not public before that day — neither its page (the approved
list with organizations and amounts) nor a line in the listings — and appears on
its first day."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core import roles
from tests.support.confirm import post_confirmed
from tests.support.html import visible_text

pytestmark = pytest.mark.django_db

LATER_TITLE = "2025年度湖南省福彩公益金资助项目立项公示"


def _publish(client, app, *, title, starts_on, capture):
    with capture(execute=True):
        response = post_confirmed(
            client,
            reverse("wagtailsnippets_funding_publicnotice:add"),
            {
                "call": app.call.pk,
                "title": title,
                "starts_on": starts_on.isoformat(),
                "working_days": "5",
                "objection_contact": "省民政厅 0731-00000000",
            },
        )
    assert response.status_code == 302, visible_text(response)[:2000]


def test_a_notice_is_not_public_before_its_first_day(
    portal,
    approved_application,
    client_for,
    client,
    django_capture_on_commit_callbacks,
):
    from cms.models import AwardNoticePage

    app = approved_application(Decimal("90000"))
    organization = app.organization.name
    manager = client_for(roles.FUND_MANAGER)
    starts_on = timezone.localdate() + datetime.timedelta(days=7)
    _publish(
        manager,
        app,
        title=LATER_TITLE,
        starts_on=starts_on,
        capture=django_capture_on_commit_callbacks,
    )
    page = AwardNoticePage.objects.get(notice__title=LATER_TITLE)

    # The approved list (organization, 90,000 元) is not out before the 公示.
    response = client.get(page.url)
    assert response.status_code == 404
    assert organization not in visible_text(response)
    assert LATER_TITLE not in visible_text(client.get(portal["notices"].url))
    assert LATER_TITLE not in visible_text(client.get(portal["home"].url))


def test_a_notice_is_public_from_its_first_day(
    portal,
    approved_application,
    client_for,
    client,
    django_capture_on_commit_callbacks,
):
    from cms.models import AwardNoticePage

    app = approved_application(Decimal("90000"))
    manager = client_for(roles.FUND_MANAGER)
    _publish(
        manager,
        app,
        title=LATER_TITLE,
        starts_on=timezone.localdate(),
        capture=django_capture_on_commit_callbacks,
    )
    page = AwardNoticePage.objects.get(notice__title=LATER_TITLE)

    response = client.get(page.url)
    assert response.status_code == 200
    assert app.organization.name in visible_text(response)
    assert f"{LATER_TITLE} 公示中" in visible_text(client.get(portal["notices"].url))
    assert f"{LATER_TITLE} 公示中" in visible_text(client.get(portal["home"].url))
