"""Demo users, one per role (printed by seed_demo)."""

from django.contrib.auth import get_user_model

from core import roles

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - printed demo login, not a secret

DEMO_USERS = [
    ("admin", roles.ADMINISTRATOR, "系统", "管理员"),
    ("operator", roles.OPERATOR, "孵化基地", "运营方"),
    ("operator_suzhou", roles.OPERATOR, "苏州基地", "运营方"),
    ("fund", roles.FUND_MANAGER, "资金", "管理员"),
    ("finance", roles.FINANCE, "财务", "人员"),
    ("reviewer", roles.REVIEWER, "评审", "专家"),
    ("coordinator", roles.COORDINATOR, "乡村振兴", "对接人"),
    ("editor", roles.EDITOR, "宣传", "编辑"),
    ("registrar", roles.REGISTRAR, "登记管理", "机关"),
    # Linked to 湖南省益阳社工服务中心 by incubator.demo.accounts.
    ("org", roles.ORGANIZATION, "益阳社工", "项目负责人"),
    ("org_finance", roles.ORGANIZATION, "益阳社工", "财务联系人"),
]

#: The demo's organization users (社会组织用户), linked to their organization by
#: `incubator.demo.accounts` once the registry is seeded.
ORGANIZATION_USERS = [u for u, role, _l, _f in DEMO_USERS if role == roles.ORGANIZATION]


def seed(stdout):
    User = get_user_model()
    for username, role, last_name, first_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                # Chinese names read family-first: keep the whole name in one field.
                "first_name": f"{last_name}{first_name}",
                "last_name": "",
                "email": f"{username}@example.org",
                "is_superuser": role == roles.ADMINISTRATOR,
                "is_staff": role == roles.ADMINISTRATOR,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(roles.role_group(role))


def logins():
    return [
        (username, DEMO_PASSWORD, roles.ROLE_LABELS[role])
        for username, role, _l, _f in DEMO_USERS
    ]
