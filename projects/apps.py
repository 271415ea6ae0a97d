"""The projects app's configuration; registers the importers (pairings, projects,
outcome reports)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Rural revitalization")

    def ready(self):
        # Every deletion of a report (the admin's delete, bulk delete, a cascade)
        # rewrites its project's stored totals in the deleting transaction.
        from django.db.models.signals import post_delete

        from projects.imports import (  # noqa: F401 - registers the importers
            outcome_reports,
            pairings,
            projects,
        )
        from projects.services.rollup_totals import rollup_totals_report_deleted

        post_delete.connect(
            rollup_totals_report_deleted,
            sender="projects.OutcomeReport",
            dispatch_uid="projects-rollup-totals-report-deleted",
        )
