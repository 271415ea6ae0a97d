"""Moderation of the public site: editors submit, moderators approve.

Set up by the data migration `cms/0002_moderation` (and kept by `moderation_setup`,
which is idempotent and takes the models to use, so the migration and tests share it;
`setup_platform` runs it again through `moderation_ensure`):

- the editor role (宣传编辑, `core.roles.EDITOR`) may add and edit pages anywhere in
  the site, but not publish: its only way to publication is "submit for moderation";
- the administrator role (系统管理员, `core.roles.ADMINISTRATOR`) is the moderator:
  it may publish, lock and unlock pages, and it is the group of the approval task;
- one workflow, 公开网站审核发布, with one group-approval task, 内容审核, covers the
  whole tree (it is attached to the root page, replacing Wagtail's default workflow
  there).

A separate moderator role can be added later by adding its group to the task and
giving it the moderator's page permissions (`MODERATOR_PAGE_PERMISSIONS`).
"""

from core import roles

WORKFLOW_NAME = "公开网站审核发布"
TASK_NAME = "内容审核"
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
MODERATOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
    "bulk_delete_page",
]
MODERATOR_ROLES = [roles.ADMINISTRATOR]


def moderation_setup(apps):
    """Create (or bring back) the page permissions and the workflow."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    page_ct, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="page"
    )

    def grant(group, codenames):
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=page_ct,
                codename=codename,
                defaults={"name": f"Can {codename.replace('_', ' ')}"},
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission
            )

    editor, _ = Group.objects.get_or_create(name=roles.GROUP_NAMES[roles.EDITOR])
    grant(editor, EDITOR_PAGE_PERMISSIONS)
    moderators = []
    for role in MODERATOR_ROLES:
        group, _ = Group.objects.get_or_create(name=roles.GROUP_NAMES[role])
        grant(group, MODERATOR_PAGE_PERMISSIONS)
        moderators.append(group)

    task_ct, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_ct, active=True
        )
    task.groups.add(*moderators)
    workflow, _ = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def moderation_ensure():
    """`moderation_setup` on the current models: brings back the editor's and the
    moderator's page permissions and the workflow on the root page if they were
    removed. Idempotent; run by `setup_platform` after the site skeleton exists."""
    from django.apps import apps

    moderation_setup(apps)
