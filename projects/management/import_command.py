"""The shared shape of `manage.py import_<kind> FILE [--dry-run]` for the projects
app's import kinds: check every row, print each error, write all rows or none."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core.imports import get_importer, import_validate, import_write


class ImportCommand(BaseCommand):
    """A management command importing one kind (`kind`, a registered importer).

    Subclasses set `kind` and `written` (a lazy message with ``%(count)s``), and
    `checked` when a record is not a row (outcome reports group rows); they
    may add arguments (`add_arguments`, calling super) and choose the user the
    import runs for (`import_user`, None by default: every pairing is in scope).
    Errors go to stderr as ``row N, column C: reason`` and end in CommandError
    (exit status 1); nothing is written then."""

    kind = ""
    written = ""
    checked = ""
    """The dry run's message (``%(count)s`` records); empty: the rows message."""

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

    def import_user(self, options):
        """The user the import runs for and is recorded in history as; None."""
        return None

    def make_importer(self, user, options):
        """The importer for this run."""
        return get_importer(self.kind, user=user)

    def handle(self, *args, **options):
        path = options["file"]
        with translation.override(options["language"]):
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            user = self.import_user(options)
            importer = self.make_importer(user, options)
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
            if options["dry_run"]:
                message = self.checked or _(
                    "%(count)s rows are valid; nothing was written (dry run)."
                )
                self.stdout.write(message % {"count": len(result.records)})
                return
            count = import_write(importer, result.records, user=user)
            self.stdout.write(self.written % {"count": count})
