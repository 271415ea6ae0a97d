"""The incubator's admin URLs (under /admin/), included by `wagtail_hooks.py`."""

from django.urls import path

from core.views import ImportView
from incubator.views.portal_accounts import (
    AccountRequestListView,
    AccountRequestView,
    InviteView,
)
from incubator.views.portal_incubation import (
    MilestoneClaimDecideView,
    MilestoneClaimView,
    PortalIncubationView,
    PortalOrganizationView,
)
from incubator.views.screens import (
    AssessmentScoreView,
    BoardView,
    ResidencyPageView,
    StageMoveView,
)
from incubator.views.supervision_targets import TargetsBoardView

urlpatterns = [
    path(
        "organizations/import/",
        ImportView.as_view(kind="organizations"),
        name="incubator_organization_import",
    ),
    path(
        "incubation/residencies/import/",
        ImportView.as_view(kind="residencies"),
        name="incubator_residency_import",
    ),
    path(
        "incubation/residencies/<int:pk>/page/",
        ResidencyPageView.as_view(),
        name="incubator_residency_page",
    ),
    path(
        "incubation/residencies/<int:pk>/move/",
        StageMoveView.as_view(),
        name="incubator_residency_move",
    ),
    path(
        "incubation/assessments/<int:pk>/scores/",
        AssessmentScoreView.as_view(),
        name="incubator_assessment_score",
    ),
    path("incubation/board/", BoardView.as_view(), name="incubator_board"),
    path(
        "supervision/targets/",
        TargetsBoardView.as_view(),
        name="incubator_targets_board",
    ),
    # organization accounts and the organization's portal (我的机构)
    path(
        "organizations/<int:pk>/invite/",
        InviteView.as_view(),
        name="incubator_invite",
    ),
    path(
        "organizations/account-requests/",
        AccountRequestListView.as_view(),
        name="incubator_account_requests",
    ),
    path(
        "organizations/account-requests/<int:pk>/",
        AccountRequestView.as_view(),
        name="incubator_account_request",
    ),
    path(
        "incubation/milestone-claims/<int:pk>/",
        MilestoneClaimDecideView.as_view(),
        name="incubator_milestone_claim_decide",
    ),
    path(
        "my-organization/",
        PortalOrganizationView.as_view(),
        name="incubator_portal_organization",
    ),
    path(
        "my-organization/incubation/",
        PortalIncubationView.as_view(),
        name="incubator_portal_incubation",
    ),
    path(
        "my-organization/milestones/<int:pk>/claim/",
        MilestoneClaimView.as_view(),
        name="incubator_portal_milestone_claim",
    ),
]
