"""The incubator's admin URLs (under /admin/), included by `wagtail_hooks.py`."""

from django.urls import path

from core.views import ImportView
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
]
