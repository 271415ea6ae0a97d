"""Public URLs of the app: evidence files marked public, nothing else."""

from django.urls import path

from projects.views.files import PublicEvidenceFileView

urlpatterns = [
    path(
        "evidence/<int:pk>/",
        PublicEvidenceFileView.as_view(),
        name="projects_public_evidence",
    ),
]
