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
from incubator.views.supervision_inspections import (
    CampaignCloseView,
    CampaignPageView,
    DormantDocumentView,
    DormantListView,
    DormantStepView,
)
from incubator.views.supervision_spotchecks import (
    CampaignView,
    CreditPublicationView,
    DrawView,
    ResultView,
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
    # supervision: annual inspections and dormant organizations
    path(
        "supervision/inspections/import/",
        ImportView.as_view(kind="inspections"),
        name="incubator_inspection_import",
    ),
    path(
        "supervision/inspections/<int:pk>/",
        CampaignPageView.as_view(),
        name="incubator_inspection_campaign",
    ),
    path(
        "supervision/inspections/<int:pk>/close/",
        CampaignCloseView.as_view(),
        name="incubator_inspection_close",
    ),
    path(
        "supervision/dormant/<int:pk>/list/",
        DormantListView.as_view(),
        name="incubator_dormant_list",
    ),
    path(
        "supervision/dormant/cases/<int:pk>/step/",
        DormantStepView.as_view(),
        name="incubator_dormant_step",
    ),
    path(
        "supervision/dormant/steps/<int:pk>/document/",
        DormantDocumentView.as_view(),
        name="incubator_dormant_document",
    ),
    # spot checks (双随机、一公开) and credit publication (双公示)
    path(
        "supervision/spot-checks/<int:pk>/",
        CampaignView.as_view(),
        name="incubator_spotcheck_campaign",
    ),
    path(
        "supervision/spot-checks/<int:pk>/draw/",
        DrawView.as_view(),
        name="incubator_spotcheck_draw",
    ),
    path(
        "supervision/spot-checks/checks/<int:pk>/result/",
        ResultView.as_view(),
        name="incubator_spotcheck_result",
    ),
    path(
        "supervision/spot-checks/results/import/",
        ImportView.as_view(kind="spotcheck_results"),
        name="incubator_spotcheck_result_import",
    ),
    path(
        "supervision/credit-publication/",
        CreditPublicationView.as_view(),
        name="incubator_credit_publication",
    ),
]
