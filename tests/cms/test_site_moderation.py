"""Publishing goes through moderation: an editor (宣传编辑) adds pages and submits
them; the moderator (系统管理员) approves, which publishes. Tested through the
Wagtail admin URLs, per role."""

import pytest
from django.urls import reverse
from wagtail.models import Page, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms import moderation
from cms.models import NewsPage
from core import roles


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


def _add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("cms", "newspage", parent.pk))


def test_the_workflow_covers_the_site_and_the_moderators_approve(cms_site):
    workflow = cms_site["news"].get_workflow()
    assert workflow is not None and workflow.name == moderation.WORKFLOW_NAME
    task = workflow.tasks.get().specific
    assert task.name == moderation.TASK_NAME
    assert set(task.groups.values_list("name", flat=True)) == {
        roles.GROUP_NAMES[roles.ADMINISTRATOR]
    }
    assert Workflow.objects.filter(name=moderation.WORKFLOW_NAME).count() == 1


def test_moderation_setup_is_idempotent(cms_site):
    from django.apps import apps
    from wagtail.models import GroupPagePermission

    before = GroupPagePermission.objects.count()
    moderation.moderation_setup(apps)
    assert GroupPagePermission.objects.count() == before
    assert Workflow.objects.filter(name=moderation.WORKFLOW_NAME).count() == 1


def test_editor_submits_and_moderator_approves(cms_site, client_for, client):
    editor = client_for(roles.EDITOR)
    response = editor.post(
        _add_url(cms_site["news"]), _news_form("乡村振兴观察", "village", "submit")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsPage.objects.get(slug="village")
    assert not page.live
    state = WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(page.pk)
    )
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == editor.user
    # Not public while in moderation.
    assert client.get("/news/village/").status_code == 404

    moderator = client_for(roles.ADMINISTRATOR, username="moderator")
    # The moderator sees the page waiting for review on the dashboard.
    assert (
        "乡村振兴观察" in moderator.get(reverse("wagtailadmin_home")).content.decode()
    )
    task_state = page.current_workflow_task_state
    response = moderator.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, "approve", task_state.pk),
        )
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert client.get("/news/village/").status_code == 200


def test_editor_cannot_publish_directly(cms_site, client_for):
    editor = client_for(roles.EDITOR)
    response = editor.post(
        _add_url(cms_site["news"]), _news_form("直接发布", "direct", "publish")
    )
    page = NewsPage.objects.get(slug="direct")
    assert response.status_code in (302, 403)
    assert not page.live
    # Nor approve their own submission.
    editor.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        _news_form("直接发布", "direct", "submit"),
    )
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    assert task_state is not None
    response = editor.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, "approve", task_state.pk),
        )
    )
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live


def test_moderator_rejects_with_a_comment(cms_site, client_for):
    editor = client_for(roles.EDITOR)
    editor.post(_add_url(cms_site["news"]), _news_form("待修改", "redo", "submit"))
    page = NewsPage.objects.get(slug="redo")
    moderator = client_for(roles.ADMINISTRATOR, username="moderator")
    moderator.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, "reject", page.current_workflow_task_state.pk),
        ),
        {"comment": "请核实数据来源"},
    )
    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES


@pytest.mark.parametrize(
    "role", [roles.OPERATOR, roles.FUND_MANAGER, roles.REVIEWER, roles.COORDINATOR]
)
def test_other_roles_cannot_add_pages(cms_site, client_for, role):
    response = client_for(role).post(
        _add_url(cms_site["news"]), _news_form("越权", "other", "submit")
    )
    assert response.status_code in (302, 403)
    assert not Page.objects.filter(slug="other").exists()


def test_editor_can_open_the_showcase_form_and_choose_an_organization(
    cms_site, client_for, make_organization
):
    org = make_organization(name="可选择的社会组织")
    editor = client_for(roles.EDITOR)
    url = reverse(
        "wagtailadmin_pages:add",
        args=("cms", "organizationshowcasepage", cms_site["showcase"].pk),
    )
    assert editor.get(url).status_code == 200
    chooser = editor.get(
        reverse("wagtailsnippetchoosers_incubator_organization:choose")
    )
    assert chooser.status_code == 200
    assert org.name in chooser.json()["html"]
