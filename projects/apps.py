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
        from django.db.models.signals import (
            post_delete,
            post_save,
            pre_delete,
            pre_save,
        )

        from projects.imports import (  # noqa: F401 - registers the importers
            outcome_reports,
            pairings,
            projects,
        )
        from projects.services.rollup_totals import (
            rollup_keys_join,
            rollup_keys_leave,
            rollup_totals_report_deleted,
        )

        post_delete.connect(
            rollup_totals_report_deleted,
            sender="projects.OutcomeReport",
            dispatch_uid="projects-rollup-totals-report-deleted",
        )
        from projects.services.pairings import (
            pairings_provinces_follow,
            pairings_provinces_follow_region,
        )

        # An organization moved to another region: its pairings' cross-province
        # flags follow, in the same transaction.
        post_save.connect(
            pairings_provinces_follow,
            sender="incubator.Organization",
            dispatch_uid="projects-pairings-provinces",
        )
        # A division's code corrected: the pairings in it or of organizations
        # registered in it follow.
        post_save.connect(
            pairings_provinces_follow_region,
            sender="core.Region",
            dispatch_uid="projects-pairings-provinces-region",
        )
        # A change of a project's roll-up keys moves its contribution in the
        # per-dimension totals, in the writing transaction.
        for model in ("Project", "Pairing", "FundingLink", "Alliance"):
            sender = f"projects.{model}"
            uid = f"projects-rollup-keys-{model}"
            pre_save.connect(rollup_keys_leave, sender=sender, dispatch_uid=uid + "-ps")
            post_save.connect(rollup_keys_join, sender=sender, dispatch_uid=uid + "-s")
            pre_delete.connect(
                rollup_keys_leave, sender=sender, dispatch_uid=uid + "-pd"
            )
            post_delete.connect(
                rollup_keys_join, sender=sender, dispatch_uid=uid + "-d"
            )
