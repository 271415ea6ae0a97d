"""`manage.py import_outcomes FILE [--dry-run] [--user NAME] [--approve]`: import
outcome reports, all rows or none; historical figures may be imported as approved."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.import_command import ImportCommand
from core.imports import get_importer
from projects.imports.outcome_reports import APPROVE


class Command(ImportCommand):
    help = (
        "Import outcome reports from an .xlsx or .csv file (项目名称, 年度, 周期类型, "
        "期次, 指标, 实际值 …), one row per project, period and indicator. With "
        "--approve (and --user, someone who may approve reports) the reports of "
        "ended periods are recorded as approved by that user."
    )
    kind = "outcome_reports"
    written_message = gettext_lazy("%(count)s outcome figures imported.")
    checked_message = gettext_lazy(
        "%(count)s outcome reports are valid; nothing was written (dry run)."
    )

    user_option = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--approve",
            action="store_true",
            help="Record the reports as approved by --user (historical figures).",
        )

    def import_user(self, options):
        if options["approve"] and not options.get("user"):
            raise CommandError(
                _("--approve needs --user: the approver is recorded by name.")
            )
        user = super().import_user(options)
        if options["approve"] and not user.has_perm(APPROVE):
            raise CommandError(
                _("%(name)s may not approve outcome reports.")
                % {"name": user.get_username()}
            )
        return user

    def make_importer(self, user, options):
        kind = "outcome_reports_approved" if options["approve"] else self.kind
        return get_importer(kind, user=user)
