"""Admin URLs of rural revitalization beyond the snippet viewsets (included under
/admin/ by `projects.wagtail_hooks`)."""

from django.urls import path

from core.views import ImportView
from projects.views.files import EvidenceFileView, PrivateFileView
from projects.views.portal_reports import (
    PortalEvidenceFileView,
    PortalReportCreateView,
    PortalReportIndexView,
    PortalReportView,
)
from projects.views.reports import OutcomeReportImportView, ReportReviewView
from projects.views.rollups import RollupView

urlpatterns = [
    path("projects/figures/", RollupView.as_view(), name="projects_rollup"),
    path(
        "projects/reports/<int:pk>/review/",
        ReportReviewView.as_view(),
        name="projects_report_review",
    ),
    path(
        "projects/evidence/<int:pk>/",
        EvidenceFileView.as_view(),
        name="projects_evidence_file",
    ),
    path(
        "projects/files/<path:name>",
        PrivateFileView.as_view(),
        name="projects_private_file",
    ),
    path(
        "projects/reports/import/",
        OutcomeReportImportView.as_view(),
        name="projects_report_import",
    ),
    path(
        "projects/pairings/import/",
        ImportView.as_view(kind="pairings"),
        name="projects_pairing_import",
    ),
    path(
        "projects/projects/import/",
        ImportView.as_view(kind="projects"),
        name="projects_project_import",
    ),
    # 我的机构 → 成效报告: the organization's own reports
    path(
        "portal/outcome-reports/",
        PortalReportIndexView.as_view(),
        name="projects_portal_reports",
    ),
    path(
        "portal/outcome-reports/projects/<int:pk>/new/",
        PortalReportCreateView.as_view(),
        name="projects_portal_report_create",
    ),
    path(
        "portal/outcome-reports/<int:pk>/",
        PortalReportView.as_view(),
        name="projects_portal_report",
    ),
    path(
        "portal/outcome-reports/evidence/<int:pk>/",
        PortalEvidenceFileView.as_view(),
        name="projects_portal_evidence",
    ),
]
