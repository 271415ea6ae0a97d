"""The base of every `manage.py import_<kind> FILE [--dry-run]` command.

One behaviour for every import kind, the same as the upload screen: every row is
checked first; any error prints as "row N, column C: reason" and nothing is
written; otherwise all rows are written in one transaction. What the write will
create besides the rows (`ValidationResult.notices`) is printed first.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core.imports import get_importer, import_validate, import_write


class ImportCommand(BaseCommand):
    """Subclasses set `kind` (the registered importer) and `done_message`, a
    gettext-marked text with %(count)s, e.g. "%(count)s organizations imported."
    (translated when printed)."""

    kind = ""
    done_message = ""

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, write nothing."
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the messages (default: %(default)s).",
        )

    def handle(self, *args, **options):
        path = options["file"]
        with translation.override(options["language"]):
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            importer = get_importer(self.kind)
            with path.open("rb") as fileobj:
                result = import_validate(importer, fileobj, path.name)
            if result.errors:
                shown = settings.IMPORT_MAX_STORED_ERRORS
                for error in result.errors[:shown]:
                    self.stderr.write(str(error))
                if len(result.errors) > shown:
                    self.stderr.write(
                        _("%(total)s errors in all; the first %(shown)s are shown.")
                        % {"total": len(result.errors), "shown": shown}
                    )
                raise CommandError(
                    _("%(count)s error(s); nothing was written.")
                    % {"count": len(result.errors)}
                )
            for notice in result.notices:
                self.stdout.write(str(notice))
            if options["dry_run"]:
                self.stdout.write(
                    _("%(count)s rows are valid; nothing was written (dry run).")
                    % {"count": len(result.records)}
                )
                return
            count = import_write(importer, result.records, user=None)
            self.stdout.write(_(self.done_message) % {"count": count})
