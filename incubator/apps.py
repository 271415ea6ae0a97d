"""The incubator app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncubatorConfig(AppConfig):
    name = "incubator"
    verbose_name = _("Organizations and incubation")

    def ready(self):
        from incubator.imports import (  # noqa: F401 - registers the importers
            organizations,
            residencies,
            spotcheck_results,
        )
        from incubator.selectors import (  # noqa: F401 - registers the metrics
            metrics,
        )
