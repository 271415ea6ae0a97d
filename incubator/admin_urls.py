"""The incubator's admin URLs (under /admin/), included by `wagtail_hooks.py`."""

from django.urls import path

from core.views import ImportView
from incubator.views.screens import (
    AssessmentScoreView,
    BoardView,
    ResidencyPageView,
    StageMoveView,
)
from incubator.views.supervision_spotchecks import (
    CampaignView,
    CreditPublicationView,
    DrawView,
    ResultView,
)

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
