"""Registers rural revitalization with the Wagtail admin: the snippet group
(pairings, alliances, villages, projects, outcome reports, indicators — coordinators
see only their own pairings' records, `projects.permissions`), the inbox tasks of
reports to approve and returned (`projects.selectors.inbox`), the roll-up menu item, the
我的机构 → 成效报告 menu item of organization users, the admin URLs
(`projects.admin_urls`), the bulk approval of reports and the report log actions.
Registration only: the screens are in `projects.views`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from core.admin_search import HOOK as SEARCH_HOOK
from core.inbox import INBOX_HOOK
from incubator.views.portal_base import PORTAL_MENU_HOOK, PortalMenuItem
from projects import admin_urls
from projects.selectors import inbox, search
from projects.views import RevitalizationGroup
from projects.views.bulk_actions import ApproveReportsBulkAction
from projects.views.rollups import RollupMenuItem

register_snippet(RevitalizationGroup)
hooks.register("register_bulk_action", ApproveReportsBulkAction)
hooks.register(INBOX_HOOK, inbox.tasks)
hooks.register(SEARCH_HOOK, search.projects_section)


@hooks.register("register_admin_menu_item")
def register_rollup_menu_item():
    return RollupMenuItem(
        _("Revitalization figures"),
        reverse("projects_rollup"),
        icon_name="table",
        order=410,
    )


@hooks.register(PORTAL_MENU_HOOK)
def register_portal_reports_menu_item():
    return PortalMenuItem(
        pgettext_lazy("organization portal", "Outcome reports"),
        reverse("projects_portal_reports"),
        name="portal-outcome-reports",
        icon_name="tasks",
        order=400,
    )


@hooks.register("register_admin_urls")
def register_project_urls():
    return admin_urls.urlpatterns


@hooks.register("register_log_actions")
def register_report_actions(actions):
    actions.register_action(
        "projects.report_submit",
        _("Submit outcome report"),
        _("Outcome report submitted"),
    )
    actions.register_action(
        "projects.report_approve",
        _("Approve outcome report"),
        _("Outcome report approved"),
    )
    actions.register_action(
        "projects.report_import_approve",
        _("Approve outcome report on import"),
        _("Outcome report imported as approved (historical figures)"),
    )
    actions.register_action(
        "projects.report_return",
        _("Return outcome report"),
        _("Outcome report returned for revision"),
    )
