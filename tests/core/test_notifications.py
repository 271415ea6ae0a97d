"""Notifications in core: `notify` keeps each person's choices, never tells the actor,
e-mails through the worker only after commit; the list, unread count, mark read
(one / all, POST only, own only) and the settings screen as a user sees them."""

import json
import re

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from core import roles
from core.models import Notification, NotificationKind, NotificationPreference
from core.notifications import notify, permission_holders

pytestmark = pytest.mark.django_db

LIST = "core_notifications"


@pytest.fixture
def reviewer(make_user):
    return make_user("zhoumin", roles.REVIEWER, last_name="周", first_name="敏")


def _tell(people, actor=None, **kw):
    return notify(
        NotificationKind.REVIEW_ASSIGNED,
        people,
        title=kw.pop("title", "新的评审任务：留守儿童关爱服务项目"),
        link=kw.pop("link", "/admin/funding/my-reviews/7/"),
        actor=actor,
        **kw,
    )


def test_notify_stores_and_mails_after_commit_in_chinese(
    reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _tell([reviewer])
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    row = Notification.objects.get()
    assert (row.recipient, row.title, row.read_at) == (
        reviewer,
        "新的评审任务：留守儿童关爱服务项目",
        None,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhoumin@example.org"]
    assert message.subject == (
        "[社会组织孵化与资金项目管理平台] 新的评审任务：留守儿童关爱服务项目"
    )
    assert "周敏，您好：" in message.body
    assert "办理链接：http://127.0.0.1:8000/admin/funding/my-reviews/7/" in message.body
    assert "通知类型：分配给我的评审" in message.body
    assert "/admin/notifications/settings/" in message.body


def test_a_rolled_back_action_tells_no_one(
    reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _tell([reviewer])
                raise RuntimeError("the action failed")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_actor_is_never_told_of_their_own_action(
    reviewer, make_user, django_capture_on_commit_callbacks
):
    other = make_user("wangli", roles.REVIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        _tell([reviewer, other, None, reviewer], actor=reviewer)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == [
        "wangli"
    ]
    assert [m.to for m in mail.outbox] == [["wangli@example.org"]]


def test_kinds_turned_off_are_not_sent(
    reviewer, make_user, django_capture_on_commit_callbacks
):
    mail_only = make_user("mailonly", roles.REVIEWER)
    admin_only = make_user("adminonly", roles.REVIEWER)
    NotificationPreference.objects.create(
        user=reviewer,
        kind=NotificationKind.REVIEW_ASSIGNED,
        email=False,
        in_admin=False,
    )
    NotificationPreference.objects.create(
        user=mail_only, kind=NotificationKind.REVIEW_ASSIGNED, in_admin=False
    )
    NotificationPreference.objects.create(
        user=admin_only, kind=NotificationKind.REVIEW_ASSIGNED, email=False
    )
    # another kind turned off changes nothing for this one
    NotificationPreference.objects.create(
        user=admin_only, kind=NotificationKind.IMPORT_FINISHED, in_admin=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        _tell([reviewer, mail_only, admin_only])
    shown = Notification.objects.filter(in_admin=True)
    assert list(shown.values_list("recipient__username", flat=True)) == ["adminonly"]
    assert not Notification.objects.filter(recipient=reviewer).exists()
    assert [m.to for m in mail.outbox] == [["mailonly@example.org"]]


def test_a_key_tells_each_person_once(reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert len(_tell([reviewer], key="review_deadline:7:2023-06-30")) == 1
        assert _tell([reviewer], key="review_deadline:7:2023-06-30") == []
        assert len(_tell([reviewer], key="review_deadline:7:2023-07-05")) == 1
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_permission_holders_are_the_roles_doing_the_work(make_user):
    manager = make_user("fm", roles.FUND_MANAGER)
    make_user("fin", roles.FINANCE)
    make_user("gone", roles.FUND_MANAGER, is_active=False)
    admin = make_user("sysadmin", roles.ADMINISTRATOR)
    holders = set(permission_holders("funding.approve_disbursement"))
    assert holders == {manager, admin}


def test_list_newest_first_unread_bold_and_count(client, reviewer, make_user):
    client.force_login(reviewer)
    other = make_user("wangli", roles.REVIEWER)
    first = _tell([reviewer], title="评审将于 2023-06-30 截止：项目甲")[0]
    _tell([reviewer], title="新的评审任务：项目乙")
    _tell([other], title="别人的通知")
    first.read_at = first.created_at
    first.save()

    page = client.get(reverse(LIST)).content.decode()
    assert "1 条未读" in page
    assert page.index("新的评审任务：项目乙") < page.index("评审将于 2023-06-30")
    assert "<strong>新的评审任务：项目乙</strong>" in page
    assert "<strong>评审将于" not in page
    assert "别人的通知" not in page
    # the sidebar's menu item carries the unread count
    assert "通知（1 条未读）" in _menu_labels(client)


def _menu_labels(client):
    """The labels of the admin sidebar's menu, read from its JSON."""
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    props = page.split('id="wagtail-sidebar-props"', 1)[1].split(">", 1)[1]
    data = json.loads(props.split("</script>", 1)[0])
    labels = []

    def walk(node):
        if isinstance(node, dict):
            labels.extend(v for k, v in node.items() if k == "label")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return labels


def test_opening_marks_read_and_goes_to_the_work(client, reviewer):
    client.force_login(reviewer)
    row = _tell([reviewer])[0]
    url = reverse("core_notification_open", args=[row.pk])
    assert client.get(url).status_code == 405  # a change needs a POST
    response = client.post(url, {"go": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/funding/my-reviews/7/"
    row.refresh_from_db()
    assert row.read_at is not None
    assert "0 条未读" in client.get(reverse(LIST)).content.decode()


def test_another_users_notification_answers_404(client, reviewer, make_user):
    other = make_user("wangli", roles.REVIEWER)
    theirs = _tell([other])[0]
    client.force_login(reviewer)
    response = client.post(reverse("core_notification_open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_the_csrf_token(reviewer):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reviewer)
    row = _tell([reviewer])[0]
    response = browser.post(reverse("core_notification_open", args=[row.pk]))
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read(client, reviewer, make_user):
    other = make_user("wangli", roles.REVIEWER)
    _tell([reviewer])
    _tell([reviewer])
    theirs = _tell([other])[0]
    client.force_login(reviewer)
    response = client.post(reverse("core_notifications_read_all"), follow=True)
    page = response.content.decode()
    assert "已将 2 条通知标为已读。" in page
    assert "0 条未读" in page
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_settings_screen_turns_a_kind_off(
    client, reviewer, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    url = reverse("core_notification_preferences")
    page = client.get(url).content.decode()
    assert "分配给我的评审" in page and "邮件通知" in page and "站内通知" in page
    # only the kinds of a reviewer's work are offered
    assert "评审截止临近" in page
    assert "待我审批或支付的款项" not in page and "页面提交审核" not in page
    data = {
        "review_assigned__in_admin": "on",
        "review_deadline__in_admin": "on",
        "review_deadline__email": "on",
    }
    response = client.post(url, data, follow=True)
    assert "通知设置已保存。" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _tell([reviewer])
    assert Notification.objects.filter(recipient=reviewer, in_admin=True).count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (roles.FUND_MANAGER, {"待我审批或支付的款项", "收到异议"}),
        (roles.FINANCE, {"待我审批或支付的款项"}),
        (roles.COORDINATOR, {"成效报告通过或退回", "导入结束"}),
        (roles.EDITOR, {"页面提交审核", "页面审核通过或退回"}),
    ],
)
def test_each_role_is_offered_the_kinds_of_its_work(client_for, role, offered):
    page = client_for(role).get(reverse("core_notification_preferences"))
    legends = set(
        re.findall(r'<legend class="w-h4">([^<]+)</legend>', page.content.decode())
    )
    assert offered <= legends
    assert "分配给我的评审" not in legends


def test_settings_reachable_from_the_list_and_the_account_page(client, reviewer):
    client.force_login(reviewer)
    settings_url = reverse("core_notification_preferences")
    assert settings_url in client.get(reverse(LIST)).content.decode()
    assert settings_url in client.get(reverse("wagtailadmin_account")).content.decode()
