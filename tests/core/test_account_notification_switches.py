"""Wagtail's account page (/admin/account/) shows no notification switch that sends
nothing: page submitted/approved/rejected e-mails are the platform's (`cms.notifications`,
chosen under 通知设置), so Wagtail's three switches are gone; the comment switch,
which Wagtail still acts on, stays for the people who edit pages."""

import re

import pytest
from django.test import Client
from wagtail.users.models import UserProfile

from core import roles

pytestmark = pytest.mark.django_db

REPLACED = [
    "notifications-submitted_notifications",
    "notifications-approved_notifications",
    "notifications-rejected_notifications",
]
COMMENTS = "notifications-updated_comments_notifications"


def _account(user):
    client = Client()
    client.force_login(user)
    response = client.get("/admin/account/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return client, response.content.decode()


@pytest.mark.parametrize("role", [roles.ADMINISTRATOR, roles.EDITOR])
def test_page_people_see_only_the_comment_switch(make_user, role):
    # The administrator moderates (Wagtail would offer 提交/批准/拒绝), the editor
    # submits (Wagtail would offer 批准/拒绝): neither sees them now.
    _, html = _account(make_user("pages", role))
    for name in REPLACED:
        assert f'name="{name}"' not in html
    assert f'name="{COMMENTS}"' in html
    assert "其他通知（评审、拨付、页面审核等）请在“更多动作 → 通知设置”中选择。" in html
    assert 'href="/admin/notifications/settings/"' in html


def test_superuser_sees_no_moderation_switch(make_user):
    _, html = _account(make_user("root", is_superuser=True, is_staff=True))
    for name in REPLACED:
        assert f'name="{name}"' not in html
    assert f'name="{COMMENTS}"' in html


@pytest.mark.parametrize("role", [roles.FINANCE, roles.REVIEWER])
def test_people_without_pages_have_no_notification_panel(make_user, role):
    _, html = _account(make_user("someone", role))
    assert not re.search(r'name="notifications-', html)
    # the platform's own notification settings stay reachable from the page
    assert 'href="/admin/notifications/settings/"' in html
    assert "通知设置" in html


def test_saving_the_account_keeps_the_switches_and_saves_the_rest(make_user):
    editor = make_user("pages", roles.EDITOR, first_name="敏", last_name="周")
    client, _ = _account(editor)
    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": "敏",
            "name_email-last_name": "周",
            "name_email-email": "zhoumin@example.org",
            COMMENTS: "",
            "locale-preferred_language": "zh-hans",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 302
    profile = UserProfile.get_for_user(editor)
    profile.refresh_from_db()
    editor.refresh_from_db()
    assert editor.email == "zhoumin@example.org"
    assert profile.updated_comments_notifications is False
    # untouched (not switched off by a form that no longer shows them)
    assert profile.approved_notifications is True
    assert profile.rejected_notifications is True
