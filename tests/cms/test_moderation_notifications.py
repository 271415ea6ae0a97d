"""Moderation notifications: a page submitted tells the moderators (not the editor),
approved or returned tells the editor who submitted it — each once: Wagtail's own
moderation mails are replaced, not doubled."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.models import NewsPage
from core import roles
from core.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def _news_form(title, slug, action):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2026-03-01",
            "summary": "全省社会组织参与乡村振兴",
            "source": "省民政厅",
            "body": streamfield([]),
            "comments": inline_formset([]),
            f"action-{action}": "1",
        }
    )


def _told(kind):
    return [
        (n.recipient.username, n.title)
        for n in Notification.objects.filter(kind=kind).order_by("pk")
    ]


@pytest.fixture
def submitted(cms_site, client_for, make_user, django_capture_on_commit_callbacks):
    editor = client_for(roles.EDITOR)
    moderator = client_for(roles.ADMINISTRATOR, username="moderator")
    make_user("root", is_superuser=True)  # Wagtail would have mailed superusers too
    make_user("finance1", roles.FINANCE)
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            reverse(
                "wagtailadmin_pages:add", args=("cms", "newspage", cms_site["news"].pk)
            ),
            _news_form("乡村振兴观察", "village", "submit"),
        )
    return editor, moderator, NewsPage.objects.get(slug="village")


def test_a_submitted_page_tells_the_moderators_once(submitted):
    _editor, _moderator, page = submitted
    assert _told(NotificationKind.PAGE_SUBMITTED) == [
        ("moderator", "页面待审核：乡村振兴观察（内容审核）")
    ]
    assert Notification.objects.get().link == reverse(
        "wagtailadmin_pages:edit", args=[page.pk]
    )
    # one mail, ours, in Chinese: Wagtail's own submission mails are not sent
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["moderator@example.org"],
            "[社会组织孵化与资金项目管理平台] 页面待审核：乡村振兴观察（内容审核）",
        )
    ]


def test_approval_tells_the_editor_once(submitted, django_capture_on_commit_callbacks):
    editor, moderator, page = submitted
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=(page.pk, "approve", page.current_workflow_task_state.pk),
            )
        )
    page.refresh_from_db()
    assert page.live
    assert _told(NotificationKind.PAGE_DECIDED) == [
        ("editor", "页面已审核通过并发布：乡村振兴观察")
    ]
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]


def test_a_return_tells_the_editor_with_the_comment(
    submitted, django_capture_on_commit_callbacks
):
    editor, moderator, page = submitted
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=(page.pk, "reject", page.current_workflow_task_state.pk),
            ),
            {"comment": "请核实数据来源"},
        )
    assert _told(NotificationKind.PAGE_DECIDED) == [
        ("editor", "页面被退回修改：乡村振兴观察。请核实数据来源")
    ]
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
