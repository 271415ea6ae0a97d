"""The public pages of supervision under /supervision/ (outside /admin/): the year's
annual-inspection results and who was spot-checked (names and results only)."""

from django.urls import path

from incubator.views.supervision_inspections import PublicInspectionsView
from incubator.views.supervision_spotchecks import PublicSpotChecksView

urlpatterns = [
    path(
        "inspections/<int:year>/",
        PublicInspectionsView.as_view(),
        name="incubator_public_inspections",
    ),
    path(
        "spot-checks/<int:pk>/",
        PublicSpotChecksView.as_view(),
        name="incubator_public_spotchecks",
    ),
]
