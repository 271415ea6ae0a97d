"""The admin in mainland China without the outside internet: avatars drawn from the
person's name, one time zone (Beijing time) and no "localtime" that the browser
refuses, no link to Wagtail's guide site on the dashboard or in the help menu."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core import roles
from core.avatars import avatar_data_url, avatar_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("last", "first", "username", "shown"),
    [
        ("周", "敏", "zhou_min", "周敏"),
        ("王", "小明", "wang", "小明"),
        ("欧阳", "娜娜", "ouyang", "娜娜"),
        ("", "系统管理员", "admin", "系"),
        ("Lee", "Ann", "ann", "AL"),
        ("", "", "finance", "F"),
    ],
)
def test_avatar_shows_the_name_as_chinese_office_software_does(
    last, first, username, shown
):
    user = get_user_model()(username=username, last_name=last, first_name=first)
    assert avatar_text(user) == shown


def test_every_avatar_on_the_dashboard_is_drawn_here(client_for):
    client = client_for(roles.ADMINISTRATOR)
    client.user.last_name, client.user.first_name = "周", "敏"
    client.user.save()
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert avatar_data_url(client.user, 50) in page
    assert "gravatar" not in page.lower()
    assert "default-user-avatar" not in page


def test_account_page_offers_no_time_zone_the_browser_refuses(client_for):
    client = client_for(roles.OPERATOR)
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    # Every zone of the system's tz database was offered, "localtime" among them,
    # and the browser threw "Invalid time zone specified: localtime".
    assert 'value="localtime"' not in page
    assert "current_time_zone" not in page


def test_dashboard_and_help_menu_link_nowhere_outside(client_for):
    client = client_for(roles.ADMINISTRATOR)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "wagtail.org" not in page
