"""Attacks on notifications: names with HTML or quotes reach the plain-text e-mail
as typed (not as HTML entities), and the admin list escapes them; a replayed
mark-read keeps the first reading time."""

import pytest
from django.core import mail
from django.urls import reverse

from core import roles
from core.models import Notification, NotificationKind
from core.notifications import notify

pytestmark = pytest.mark.django_db

TITLE = "新的评审任务：张&李<社工>服务中心 “O'Neil” <script>alert(1)</script>"


@pytest.fixture
def reviewer(make_user):
    return make_user("zhoumin", roles.REVIEWER, last_name="周&", first_name="<敏>")


def test_the_email_says_the_names_as_typed(
    reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            NotificationKind.REVIEW_ASSIGNED,
            [reviewer],
            title=TITLE,
            link="/admin/funding/my-reviews/7/?a=1&b=2",
        )
    message = mail.outbox[0]
    assert message.subject == f"[社会组织孵化与资金项目管理平台] {TITLE}"
    assert TITLE in message.body
    assert "周&<敏>，您好：" in message.body
    assert "http://127.0.0.1:8000/admin/funding/my-reviews/7/?a=1&b=2" in message.body
    assert "&amp;" not in message.body and "&lt;" not in message.body
    assert "&#x27;" not in message.subject


def test_the_admin_list_escapes_the_title_and_mark_read_twice_keeps_the_first_time(
    client, reviewer
):
    notify(NotificationKind.REVIEW_ASSIGNED, [reviewer], title=TITLE)
    client.force_login(reviewer)
    html = client.get(reverse("core_notifications")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    row = Notification.objects.get()
    url = reverse("core_notification_open", args=[row.pk])
    client.post(url)
    first = Notification.objects.get().read_at
    client.post(url)
    assert Notification.objects.get().read_at == first is not None
