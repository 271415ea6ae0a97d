"""The projects app's configuration; registers the importers (pairings, projects,
outcome reports)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Rural revitalization")

    def ready(self):
        from projects.imports import (  # noqa: F401 - registers the importers
            outcome_reports,
            pairings,
            projects,
        )
