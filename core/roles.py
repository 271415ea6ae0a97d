"""The roles of the platform as Wagtail groups, and what each may do.

`ROLE_PERMISSIONS` is the one table of role → permissions. Groups are created by a
data migration (core 0003) and their permissions are brought in line with this table
after every `migrate`, so an app that adds models adds its permissions here.
Object-level rules (own base, own assignments, own pairings) live in each app.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

ADMINISTRATOR = "administrator"
OPERATOR = "operator"
FUND_MANAGER = "fund_manager"
REVIEWER = "reviewer"
COORDINATOR = "coordinator"
EDITOR = "editor"
FINANCE = "finance"
# 登记管理机关: the registration officers who supervise organizations (annual
# inspections, spot checks, dormant organizations, credit lists).
REGISTRAR = "registrar"
# 社会组织用户: a person of one organization (incubator.OrganizationMembership);
# reaches only that organization's records (incubator.permissions).
ORGANIZATION = "organization"

# Group names are data shown in the admin; they are Chinese, as the users call them.
GROUP_NAMES = {
    ADMINISTRATOR: "系统管理员",
    OPERATOR: "孵化基地运营方",
    FUND_MANAGER: "资金管理员",
    REVIEWER: "评审专家",
    COORDINATOR: "乡村振兴对接人",
    EDITOR: "宣传编辑",
    FINANCE: "财务人员",
    REGISTRAR: "登记管理机关",
    ORGANIZATION: "社会组织用户",
}

ROLE_LABELS = {
    ADMINISTRATOR: _("Administrator"),
    OPERATOR: _("Incubation-base operator"),
    FUND_MANAGER: _("Fund manager"),
    REVIEWER: _("Grant reviewer"),
    COORDINATOR: _("Rural-revitalization coordinator"),
    EDITOR: _("Editor"),
    FINANCE: _("Finance officer"),
    REGISTRAR: _("Registration officer"),
    ORGANIZATION: _("Organization user"),
}

ALL = "__all__"

_view_registry = [
    "incubator.view_organization",
    "incubator.view_servicefield",
    "core.view_region",
]

# Incubation: operators manage the residents of their own bases (object-level rule in
# incubator.permissions); department users oversee every base.
_operate_bases = [
    "incubator.view_incubationbase",
    "incubator.change_incubationbase",
    "incubator.view_residency",
    "incubator.add_residency",
    "incubator.change_residency",
    "incubator.view_serviceactivity",
    "incubator.add_serviceactivity",
    "incubator.change_serviceactivity",
    "incubator.view_assessment",
    "incubator.add_assessment",
    "incubator.change_assessment",
]
_oversee_bases = [
    "incubator.view_all_bases",
    "incubator.view_incubationbase",
    "incubator.view_residency",
    "incubator.view_serviceactivity",
    "incubator.view_assessment",
]

_view_projects = [
    f"projects.view_{model}"
    for model in [
        "pairing",
        "alliance",
        "village",
        "project",
        "indicator",
        "outcomereport",
    ]
]
# Coordinators see only the pairings they coordinate (enforced in projects/).
_coordinate_projects = [
    *_view_projects,
    *(
        f"projects.{action}_{model}"
        for action in ("add", "change")
        for model in ["pairing", "alliance", "village", "project", "outcomereport"]
    ),
    "projects.approve_outcomereport",
    "core.add_importjob",
    "core.view_importjob",
]

# Awards: fund managers run awards, disbursements (first approval) and
# government service purchases; finance gives the second approval (FINANCE below).
_manage_awards = [
    *(
        f"funding.{verb}_{model}"
        for model in ("publicnotice", "servicepurchase", "performanceevaluation")
        for verb in ("add", "change", "view")
    ),
    # awards are made by the public notice; money and reports go through the
    # award's desk (services), so these are read-only in the generic screens
    "funding.change_award",
    "funding.view_award",
    "funding.view_objection",
    "funding.view_awardreport",
    "funding.view_disbursement",
    "funding.approve_disbursement",
    "funding.add_purchasepayment",
    "funding.approve_purchasepayment",
    "funding.view_purchasepayment",
]

# Organization accounts (社会组织用户): fund managers invite and decide
# self-registrations; operators invite the people of their own residents
# (object rule: incubator.permissions.organizations_invitable_by).
_invite_organization_users = [
    "incubator.add_organizationinvitation",
    "incubator.view_organizationinvitation",
    "incubator.view_organizationmembership",
]
_manage_organization_accounts = [
    *_invite_organization_users,
    "incubator.add_organizationmembership",
    "incubator.view_accountrequest",
    "incubator.change_accountrequest",
]

ROLE_PERMISSIONS = {
    ADMINISTRATOR: ALL,
    OPERATOR: [
        *_view_registry,
        "incubator.add_organization",
        "incubator.change_organization",
        "core.add_importjob",
        "core.view_importjob",
        *_operate_bases,
        *_invite_organization_users,
    ],
    FUND_MANAGER: [
        *_view_registry,
        *_oversee_bases,
        *_view_projects,
        "projects.view_all_pairings",
        *(
            f"funding.{verb}_{model}"
            for model in ("fund", "call", "application", "reviewerprofile")
            for verb in ("add", "change", "view")
        ),
        "funding.add_declaredconflict",
        "funding.change_declaredconflict",
        "funding.view_declaredconflict",
        "funding.delete_declaredconflict",
        "funding.view_review",
        "funding.view_fundingline",
        *_manage_awards,
        # targets: fund managers read them; performance evaluation by indicators
        # (frameworks and evaluations) they manage
        "incubator.view_target",
        *(
            f"funding.{verb}_{model}"
            for model in ("indicatorframework", "indicatorevaluation")
            for verb in ("add", "change", "view")
        ),
        # end targets and performance
        *_manage_organization_accounts,
        # on 内部文件 only (DOCUMENT_COLLECTIONS): applications' attachments,
        # agreements and reports
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    REVIEWER: ["funding.score_review"],
    # Finance approves (pays) disbursements the fund manager approved; reads the rest.
    FINANCE: [
        "funding.view_award",
        "funding.view_disbursement",
        "funding.pay_disbursement",
        "funding.view_servicepurchase",
        "funding.view_purchasepayment",
        "funding.pay_purchasepayment",
    ],
    COORDINATOR: [*_view_registry, *_coordinate_projects],
    # Supervision (inspections, spot checks, credit lists) adds its permissions here.
    REGISTRAR: [
        *_view_registry,
        # targets: registration officers set them (incubator.Target)
        "incubator.add_target",
        "incubator.change_target",
        "incubator.view_target",
        # end targets
        # --- annual inspections and dormant organizations (年检, 僵尸型社会组织) ---
        "incubator.view_inspectioncampaign",
        "incubator.add_inspectioncampaign",
        "incubator.change_inspectioncampaign",
        "incubator.view_inspection",
        "incubator.change_inspection",
        "incubator.view_dormantcampaign",
        "incubator.add_dormantcampaign",
        "incubator.change_dormantcampaign",
        "incubator.view_dormantcase",
        "incubator.change_dormantcase",
        # --- end of annual inspections and dormant organizations ---
        # random spot checks (双随机、一公开) and credit decisions (双公示)
        *(
            f"incubator.{action}_{model}"
            for model in (
                "inspector",
                "spotcheckcampaign",
                "spotcheck",
                "creditdecision",
            )
            for action in ("view", "add", "change")
        ),
    ],
    # Everything an organization user sees is its own organization's, through the
    # portal's screens (object rule: incubator.permissions.organization_of); no
    # generic model permission opens another organization's record.
    ORGANIZATION: [],
    EDITOR: [
        *_view_registry,
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        # on 公开文件 only (DOCUMENT_COLLECTIONS): never the internal documents
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
}

# Every role may log in to the admin.
COMMON_PERMISSIONS = ["wagtailadmin.access_admin"]


def _permission_objects(permission_model, codes):
    found = []
    for code in codes:
        app_label, codename = code.split(".", 1)
        perm = permission_model.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is not None:
            found.append(perm)
    return found


def sync_roles(group_model, permission_model, collections=False):
    """Create the role groups and set their permissions to exactly the table's
    (with `collections`, also their image/document/collection permissions)."""
    for role, name in GROUP_NAMES.items():
        group, _created = group_model.objects.get_or_create(name=name)
        wanted = ROLE_PERMISSIONS[role]
        if wanted == ALL:
            perms = list(permission_model.objects.select_related("content_type"))
        else:
            perms = _permission_objects(
                permission_model, [*COMMON_PERMISSIONS, *wanted]
            )
        group.permissions.set(perms)
        if collections:
            _sync_collection_permissions(group, perms, role)
    if collections:
        _strip_other_groups_internal_documents(group_model)


def _strip_other_groups_internal_documents(group_model):
    """Groups outside the role table — Wagtail's sample "Editors" and "Moderators"
    ship with document permissions on the root collection — lose every document
    permission on a collection that covers 内部文件 (the root and 内部文件 itself),
    so adding a person to such a group never opens internal documents. Their other
    grants are left as the administrator set them."""
    from wagtail.models import GroupCollectionPermission

    collections = _collections()
    if collections is None:
        return
    internal = collections[INTERNAL]
    covering = [internal.pk, *internal.get_ancestors().values_list("pk", flat=True)]
    GroupCollectionPermission.objects.filter(
        collection_id__in=covering,
        permission__content_type__app_label="wagtaildocs",
    ).exclude(group__name__in=GROUP_NAMES.values()).delete()


# Wagtail grants images, documents and collections per collection
# (GroupCollectionPermission), not through the group's permissions: each role gets
# its table's permissions on these models, images and collections on the root
# collection and documents on the collection of DOCUMENT_COLLECTIONS, and no others.
COLLECTION_MODELS = [
    ("wagtailimages", "image"),
    ("wagtaildocs", "document"),
    ("wagtailcore", "collection"),
]

# Where each role's document permissions apply. A grant on the
# root covers every collection below it, 内部文件 included: only the administrator
# has it. The fund manager works on 内部文件 (attachments, agreements, reports), the
# editor on 公开文件 (the public site's documents); see core/documents.py for who
# needs internal documents and why.
ROOT = "root"
INTERNAL = "internal"
PUBLIC = "public"
DOCUMENT_COLLECTIONS = {
    ADMINISTRATOR: ROOT,
    FUND_MANAGER: INTERNAL,
    EDITOR: PUBLIC,
}


# The two document collections (core/documents.py says who needs which and why).
INTERNAL_COLLECTION = "内部文件"
PUBLIC_COLLECTION = "公开文件"
INTERNAL_ROLES = (ADMINISTRATOR, FUND_MANAGER, FINANCE)


def internal_collection():
    """The restricted collection, created (with its restriction) on first use."""
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, CollectionViewRestriction

    with transaction.atomic():
        collection = Collection.objects.filter(name=INTERNAL_COLLECTION).first()
        if collection is None:
            collection = Collection.get_first_root_node().add_child(
                name=INTERNAL_COLLECTION
            )
        restriction = CollectionViewRestriction.objects.filter(
            collection=collection
        ).first()
        if restriction is None:
            restriction = CollectionViewRestriction.objects.create(
                collection=collection,
                restriction_type=CollectionViewRestriction.GROUPS,
            )
        restriction.groups.set(
            Group.objects.filter(name__in=[GROUP_NAMES[r] for r in INTERNAL_ROLES])
        )
    return collection


def public_collection():
    """The editor's collection of documents for the public site (created on first
    use, under the root, without a restriction)."""
    from wagtail.models import Collection

    with transaction.atomic():
        collection = Collection.objects.filter(name=PUBLIC_COLLECTION).first()
        if collection is None:
            collection = Collection.get_first_root_node().add_child(
                name=PUBLIC_COLLECTION
            )
    return collection


def _collections():
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    if root is None:
        return None
    return {
        ROOT: root,
        INTERNAL: internal_collection(),
        PUBLIC: public_collection(),
    }


def _sync_collection_permissions(group, perms, role):
    from wagtail.models import GroupCollectionPermission

    collections = _collections()
    if collections is None:
        return
    wanted = set()
    for perm in perms:
        model = (perm.content_type.app_label, perm.content_type.model)
        if model not in COLLECTION_MODELS:
            continue
        if model == ("wagtaildocs", "document"):
            where = DOCUMENT_COLLECTIONS.get(role)
            if where is None:
                continue  # a document permission with no collection: none
            wanted.add((collections[where].pk, perm.pk))
        else:
            wanted.add((collections[ROOT].pk, perm.pk))
    held = GroupCollectionPermission.objects.filter(
        group=group,
        permission__content_type__app_label__in=[a for a, _m in COLLECTION_MODELS],
        permission__content_type__model__in=[m for _a, m in COLLECTION_MODELS],
    )
    for grant in held:
        if (grant.collection_id, grant.permission_id) not in wanted:
            grant.delete()
    for collection_id, permission_id in wanted:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection_id=collection_id, permission_id=permission_id
        )


def roles_ensure(using="default"):
    """Create every app's permissions, then the role groups with exactly the
    table's permissions and collection grants (`sync_roles`). Idempotent: run
    after every migrate and by `setup_platform`."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # core's post_migrate runs before the later apps' permissions are created on a
    # fresh database: create them all first so that every role gets its table.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles(Group, Permission, collections=True)


def sync_roles_after_migrate(sender, using="default", **kwargs):
    roles_ensure(using=using)


def role_group(role):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=GROUP_NAMES[role])
