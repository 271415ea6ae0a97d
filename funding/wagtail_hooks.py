"""Wagtail registration of the funding app, and nothing else: the snippets
(`funding.views.viewsets.FundingGroup`), the menu items of the desk, the payments desk, the reviewer's
list and the purchase figures, the admin URLs (`funding/admin_urls.py`) and the
named actions of Wagtail's log."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from core.admin_search import HOOK as SEARCH_HOOK
from core.inbox import INBOX_HOOK
from funding import admin_urls
from funding.permissions import MANAGE, SCORE, VIEW_PURCHASES
from funding.selectors import inbox, search
from funding.views.base import PermissionMenuItem
from funding.views.finance import DeskMenuItem
from funding.views.logs import StatusFormatter
from funding.views.viewsets import FundingGroup
from incubator.views.portal_base import PORTAL_MENU_HOOK, PortalMenuItem

register_snippet(FundingGroup)
hooks.register(INBOX_HOOK, inbox.tasks)
hooks.register(SEARCH_HOOK, search.applications_section)
hooks.register(SEARCH_HOOK, search.awards_section)


@hooks.register("register_admin_menu_item")
def register_desk_menu_item():
    return PermissionMenuItem(
        _("Review and awards"),
        reverse("funding_calls"),
        icon_name="tasks",
        order=310,
        permission=MANAGE,
    )


@hooks.register("register_admin_menu_item")
def register_my_reviews_menu_item():
    return PermissionMenuItem(
        _("My reviews"),
        reverse("funding_my_reviews"),
        icon_name="edit",
        order=100,
        permission=SCORE,
    )


@hooks.register("register_admin_menu_item")
def register_finance_desk_menu_item():
    return DeskMenuItem(
        _("Payments desk"),
        reverse("funding_finance_desk"),
        icon_name="doc-full",
        order=305,
    )


@hooks.register("register_admin_menu_item")
def register_purchase_rollup_menu_item():
    return PermissionMenuItem(
        _("Service purchase figures"),
        reverse("funding_purchase_rollup"),
        icon_name="table",
        order=320,
        permission=VIEW_PURCHASES,
    )


@hooks.register(PORTAL_MENU_HOOK)
def register_portal_applications_menu_item():
    return PortalMenuItem(
        _("My applications"),
        reverse("funding_portal_applications"),
        icon_name="form",
        order=10,
    )


@hooks.register(PORTAL_MENU_HOOK)
def register_portal_awards_menu_item():
    """我的机构 → 我的资助: the organization's own awards."""
    return PortalMenuItem(
        _("My awards"),
        reverse("funding_portal_awards"),
        icon_name="doc-full",
        order=300,
    )


@hooks.register("register_admin_urls")
def register_funding_urls():
    return admin_urls.urlpatterns


@hooks.register("register_log_actions")
def register_funding_log_actions(actions):
    actions.register_action("funding.status")(StatusFormatter)
    actions.register_action(
        "funding.review_assigned", _("Assign reviewer"), _("Reviewer assigned")
    )
    actions.register_action(
        "funding.review_submitted", _("Submit review"), _("Review submitted")
    )
    actions.register_action(
        "funding.review_conflict", _("Declare conflict"), _("Conflict declared")
    )
    actions.register_action(
        "funding.review_withdrawn", _("Withdraw review"), _("Review withdrawn")
    )
    actions.register_action(
        "funding.review_excluded",
        _("Exclude review (conflict of interest)"),
        _("Review excluded for a conflict of interest"),
    )
    actions.register_action(
        "funding.review_closed", _("Close review"), _("Review closed")
    )
    actions.register_action(
        "funding.line_drawn", _("Draw funding line"), _("Funding line drawn")
    )
    actions.register_action(
        "funding.award_recorded",
        _("Record past award"),
        _("Past award recorded by import"),
    )
    actions.register_action("funding.approved", _("Approve"), _("Approved"))
    actions.register_action(
        "funding.submitted_online",
        _("Submit online"),
        _("Submitted online by the organization"),
    )
    actions.register_action("funding.rejected", _("Reject"), _("Rejected"))
    for action, label, message in [
        ("notice_published", _("Publish notice"), _("Public notice published")),
        ("notice_closed", _("Close notice"), _("Public notice closed")),
        ("objection", _("Record objection"), _("Objection recorded")),
        ("objection_resolved", _("Resolve objection"), _("Objection resolved")),
        ("report_approved", _("Approve report"), _("Report approved")),
        ("report_returned", _("Return report"), _("Report returned")),
        (
            "report_submitted",
            _("Submit report (organization)"),
            _("Report submitted by the organization"),
        ),
        ("disbursement_recorded", _("Record disbursement"), _("Disbursement recorded")),
        (
            "disbursement_approved",
            _("Approve disbursement"),
            _("Disbursement approved by the fund manager"),
        ),
        ("disbursement_paid", _("Pay disbursement"), _("Disbursement paid")),
        ("disbursement_rejected", _("Reject disbursement"), _("Disbursement rejected")),
        ("purchase_recorded", _("Record payment"), _("Purchase payment recorded")),
        (
            "purchase_approved",
            _("Approve purchase payment"),
            _("Purchase payment approved by the fund manager"),
        ),
        ("purchase_paid", _("Pay purchase payment"), _("Purchase payment paid")),
        (
            "purchase_rejected",
            _("Reject purchase payment"),
            _("Purchase payment rejected"),
        ),
        ("evaluated", _("Record evaluation"), _("Performance evaluation recorded")),
        ("indicators_scored", _("Score indicators"), _("Indicator scores recorded")),
        (
            "indicators_concluded",
            _("Conclude evaluation"),
            _("Evaluation by indicators concluded"),
        ),
    ]:
        actions.register_action(f"funding.{action}", label, message)
