"""Registers the incubator with Wagtail: menus, admin URLs, dashboard, inbox, log actions.

Registration only: the viewsets and screens are in `incubator/views/`, the URLs in
`incubator/admin_urls.py`, the dashboard panel in `incubator/panels.py`.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.snippets.models import register_snippet

from core.admin_search import HOOK as SEARCH_HOOK
from core.inbox import INBOX_HOOK
from incubator import admin_urls
from incubator.panels import RegistrySummaryPanel
from incubator.selectors import inbox, search, supervision_inbox
from incubator.services.assessments import LOG_ACTION as ASSESSMENT_LOG_ACTION
from incubator.services.residencies import LOG_ACTION as STAGE_LOG_ACTION
from incubator.services.spotchecks import LOG_ACTION as SPOTCHECK_LOG_ACTION
from incubator.views.incubation import IncubationGroup
from incubator.views.log_formatters import (
    AssessmentConcludedFormatter,
    SpotCheckDrawFormatter,
    StageMoveFormatter,
)
from incubator.views.organizations import RegistryGroup
from incubator.views.portal_accounts import AccountRequestsMenuItem
from incubator.views.portal_base import (
    PORTAL_MENU_HOOK,
    SUPERVISION_MENU_HOOK,
    PortalMenuItem,
)
from incubator.views.screens import BoardMenuItem
from incubator.views.supervision_inspections import (
    DormantCampaignViewSet,
    DormantCaseViewSet,
    InspectionCampaignViewSet,
    InspectionViewSet,
)
from incubator.views.supervision_spotchecks import (
    CreditDecisionViewSet,
    InspectorViewSet,
    PermissionMenuItem,
    SpotCheckCampaignViewSet,
)
from incubator.views.supervision_targets import TargetsMenuItem, TargetViewSet

register_snippet(RegistryGroup)
register_snippet(IncubationGroup)
register_snippet(TargetViewSet)
register_snippet(SpotCheckCampaignViewSet)
register_snippet(InspectorViewSet)
register_snippet(CreditDecisionViewSet)
hooks.register(INBOX_HOOK, inbox.tasks)
# supervision: annual inspections and dormant organizations (menu 监督管理)
register_snippet(InspectionCampaignViewSet)
register_snippet(InspectionViewSet)
register_snippet(DormantCampaignViewSet)
register_snippet(DormantCaseViewSet)
hooks.register(INBOX_HOOK, supervision_inbox.tasks)
hooks.register(SEARCH_HOOK, search.organizations_section)
hooks.register(SEARCH_HOOK, search.bases_section)
hooks.register(SEARCH_HOOK, search.residencies_section)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return admin_urls.urlpatterns


@hooks.register("construct_homepage_panels")
def add_registry_summary(request, panels):
    if request.user.has_perm("incubator.view_organization"):
        panels.append(RegistrySummaryPanel())


@hooks.register("register_admin_menu_item")
def register_board_menu_item():
    return BoardMenuItem(
        _("Incubation board"),
        reverse("incubator_board"),
        icon_name="view",
        order=211,
    )


@hooks.register("register_log_actions")
def register_incubation_log_actions(actions):
    actions.register_action(STAGE_LOG_ACTION)(StageMoveFormatter)
    actions.register_action(ASSESSMENT_LOG_ACTION)(AssessmentConcludedFormatter)
    actions.register_action(SPOTCHECK_LOG_ACTION)(SpotCheckDrawFormatter)


@hooks.register("register_admin_menu_item")
def register_portal_menu():
    """我的机构: the organization user's screens (each registers itself with
    PORTAL_MENU_HOOK); shown only when one of them is."""
    return SubmenuMenuItem(
        _("My organization"),
        Menu(register_hook_name=PORTAL_MENU_HOOK),
        icon_name="group",
        order=50,
    )


@hooks.register("register_admin_menu_item")
def register_supervision_menu():
    """监督管理: annual inspections, spot checks, dormant organizations, credit
    decisions and targets (each registers itself with SUPERVISION_MENU_HOOK)."""
    return SubmenuMenuItem(
        _("Supervision"),
        Menu(register_hook_name=SUPERVISION_MENU_HOOK),
        icon_name="clipboard-list",
        order=260,
    )


@hooks.register(SUPERVISION_MENU_HOOK)
def register_targets_menu_item():
    return TargetsMenuItem(
        _("Targets"),
        reverse("incubator_targets_board"),
        icon_name="crosshairs",
        order=75,
    )


@hooks.register(PORTAL_MENU_HOOK)
def register_portal_organization_item():
    return PortalMenuItem(
        _("Organization details"),
        reverse("incubator_portal_organization"),
        icon_name="group",
        order=10,
    )


@hooks.register(PORTAL_MENU_HOOK)
def register_portal_incubation_item():
    return PortalMenuItem(
        _("My incubation"),
        reverse("incubator_portal_incubation"),
        icon_name="home",
        order=50,
    )


@hooks.register("register_admin_menu_item")
def register_account_requests_item():
    return AccountRequestsMenuItem(
        _("Organization account requests"),
        reverse("incubator_account_requests"),
        icon_name="user",
        order=205,
    )


# --- credit publication (双公示), in 监督管理 (the viewsets register their own) ----


@hooks.register(SUPERVISION_MENU_HOOK)
def register_credit_publication_menu_item():
    return PermissionMenuItem(
        _("Credit publication"),
        reverse("incubator_credit_publication"),
        icon_name="download",
        order=55,
        permission="incubator.view_creditdecision",
    )
