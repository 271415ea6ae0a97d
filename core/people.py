"""People as the product shows them: a full name in the reader's order (`display_name`)."""

import re

from django.contrib.auth import get_user_model

# CJK ideographs (with extension A and the compatibility block): a name holding one
# is written family name first, without a space.
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def full_name(first_name, last_name):
    """The full name from its two parts: "周敏" from first "敏", last "周" (CJK:
    family name first, no space); "Anna Smith" from "Anna", "Smith" (Western
    order). A full name kept whole in either field ("周敏", "") stays as it is.
    Empty when both parts are empty."""
    first = (first_name or "").strip()
    last = (last_name or "").strip()
    if _CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def display_name(user):
    """How a person is shown everywhere but the user admin: the full name
    (`full_name`), or the login when the account has no name; "" for no user.
    周敏, never "敏 周" nor the login "fund"."""
    if user is None:
        return ""
    name = full_name(getattr(user, "first_name", ""), getattr(user, "last_name", ""))
    if name:
        return name
    get_username = getattr(user, "get_username", None)
    return get_username() if get_username else str(user)


def _get_full_name(self):
    return full_name(self.first_name, self.last_name)


def install():
    """Make the user model's `get_full_name` give `full_name` (Chinese order for
    CJK names). Wagtail draws every person — history "by 周敏", the account menu,
    workflow and lock notices, user listings — through `get_full_name`
    (`wagtail.admin.utils.get_user_display_name`), and the user model is Django's
    own, which cannot be swapped after the first migration: this one method is the
    one place where the order is set for Django, Wagtail and this product alike."""
    get_user_model().get_full_name = _get_full_name
    _install_sidebar_name()


def _install_sidebar_name():
    """The sidebar's account menu names the person by `user.first_name` alone
    (Wagtail's `MainMenuModule`): "敏" for 周敏. It names her in full here."""
    from wagtail.admin.ui import sidebar

    if getattr(sidebar.MainMenuModule, "names_in_full", False):
        return

    class MainMenuModule(sidebar.MainMenuModule):
        names_in_full = True

        def js_args(self):
            args = super().js_args()
            args[2]["name"] = display_name(self.user)
            return args

    sidebar.MainMenuModule = MainMenuModule


def people_in_roles(*role_names):
    """The active users of the given roles (`core.roles` names, e.g.
    `roles.REVIEWER`), by login: the people a picker for those roles offers."""
    from core import roles

    return (
        get_user_model()
        .objects.filter(
            groups__name__in=[roles.GROUP_NAMES[r] for r in role_names],
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def label_by_name(field):
    """Make a user choice field (single or multiple) label each person by
    `display_name` instead of the login; returns the field."""
    field.label_from_instance = display_name
    return field
