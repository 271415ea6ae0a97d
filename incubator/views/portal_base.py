"""What every screen of the organization's portal (我的机构) shares.

An organization user (社会组织用户, `core.roles.ORGANIZATION`) reaches only its own
organization's records. Each portal screen inherits `PortalMixin`: a user with no
organization gets the platform's one refusal (403), and each screen looks its
records up *within* `self.organization`, so another organization's id answers 404.
"""

from django.core.exceptions import PermissionDenied
from wagtail.admin.menu import MenuItem

from incubator.permissions import organization_of_request

#: The hook that fills the 我的机构 menu group (registered in
#: `incubator/wagtail_hooks.py`): each portal screen registers its `PortalMenuItem`.
PORTAL_MENU_HOOK = "register_organization_portal_menu_item"
#: The hook that fills the 监督管理 menu group (registration officers' work).
SUPERVISION_MENU_HOOK = "register_supervision_menu_item"


class PortalMixin:
    """For portal views: sets `self.organization` (an `Organization`) before
    dispatch; raises PermissionDenied for a user who belongs to no organization."""

    def dispatch(self, request, *args, **kwargs):
        self.organization = organization_of_request(request)
        if self.organization is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PortalMenuItem(MenuItem):
    """A menu item of the 我的机构 group, shown only to organization users (asked
    once per request for all of them: `organization_of_request`)."""

    def is_shown(self, request):
        return organization_of_request(request) is not None
