"""The demo accounts the funding demo acts as (experts, clerk, finance)."""

from django.contrib.auth import get_user_model

from core import roles
from core.demo import DEMO_PASSWORD


def demo_user(username, first, last, role):
    """The demo account `username` (created with the demo password when new), in
    the group of `role`."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(roles.role_group(role))
    return user


def finance_user():
    """The demo finance account (财务人员)."""
    return demo_user("finance", "财务", "人员", roles.FINANCE)


def clerk_user():
    """The fund manager who records payments; another fund manager approves them
    and finance pays (three people, DESIGN.md separation of duties)."""
    return demo_user("fundclerk", "资金", "经办", roles.FUND_MANAGER)
