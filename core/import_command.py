"""The `manage.py import_<kind> FILE [--dry-run] [--update]` command every import kind shares."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import get_importer, import_plan_write, import_validate


class ImportCommand(BaseCommand):
    """Import one kind from an .xlsx/.csv file, all rows or none, as the upload
    screen does. A subclass sets `kind` (the importer's) and `help`.

    Without ``--update`` a row matching a stored record (by the kind's
    `natural_key`) is refused, as an error of its row; with it, matched rows update
    their records (history names no user: the command runs for nobody).
    ``--dry-run`` prints the preview (new, changed with each column's old → new,
    unchanged, notices) and writes nothing."""

    kind = ""
    written_message = gettext_lazy("%(count)s records imported.")
    """What the command says after writing; ``%(count)s`` is the records created."""

    checked_message = gettext_lazy(
        "%(count)s rows are valid; nothing was written (dry run)."
    )
    """What a dry run says; ``%(count)s`` is the valid records (a kind whose
    records gather several rows says what they are)."""

    user_option = False
    """True: the command takes ``--user NAME``, the user the import runs for (its
    rows limited to what that user may write, the history naming them)."""

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        if self.user_option:
            parser.add_argument(
                "--user",
                help="Username the import runs for: the history names that user, "
                "and the rows are limited to what the user may write.",
            )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and print what would change; write nothing.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Update the stored records the file's rows match (by their key); "
            "without it such a row is an error.",
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the messages (default: %(default)s).",
        )

    def import_user(self, options):
        """The user the import runs for, limits its rows to and records in
        history: the one named by ``--user`` (`user_option`; CommandError for an
        unknown name, and in `handle` for one without the importer's
        `permissions_required`), or None: the command runs for nobody, every record is in
        scope."""
        username = options.get("user")
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No such user: %(name)s") % {"name": username})
        return user

    def make_importer(self, user, options):
        """The importer of this run (a subclass may pick another kind by an
        option, e.g. ``--approve``)."""
        return get_importer(self.kind, user=user)

    def handle(self, *args, **options):
        path = options["file"]
        with translation.override(options["language"]):
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            user = self.import_user(options)
            importer = self.make_importer(user, options)
            if user is not None and not user.has_perms(importer.permissions_required):
                # as on the upload screen: the history names only someone who
                # may import this kind (and a pairing import does not make
                # anyone else a coordinator)
                raise CommandError(
                    _("User %(name)s may not import this kind of record.")
                    % {"name": user.get_username()}
                )
            with path.open("rb") as fileobj:
                result = import_validate(importer, fileobj, path.name)
            plan = None
            if not result.errors:
                plan = importer.plan(result, update=options["update"])
            if result.errors:
                self._errors(result.errors)
            self._preview(importer, plan)
            if options["dry_run"]:
                self.stdout.write(
                    str(self.checked_message % {"count": len(result.records)})
                )
                return
            created, updated = import_plan_write(importer, plan, user=user)
            self.stdout.write(str(self.written_message % {"count": created}))
            if updated:
                self.stdout.write(_("%(count)s records updated.") % {"count": updated})

    def _errors(self, errors):
        shown = settings.IMPORT_MAX_STORED_ERRORS
        for error in errors[:shown]:
            self.stderr.write(str(error))
        if len(errors) > shown:
            self.stderr.write(
                _("%(total)s errors in all; the first %(shown)s are shown.")
                % {"total": len(errors), "shown": shown}
            )
        raise CommandError(
            _("%(count)s error(s); nothing was written.") % {"count": len(errors)}
        )

    def _preview(self, importer, plan):
        self.stdout.write(
            _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged.")
            % {
                "new": len(plan.new),
                "changed": len(plan.changed),
                "unchanged": len(plan.unchanged),
            }
        )
        for notice in plan.notices:
            self.stdout.write(str(notice))
        for planned in plan.changed:
            for change in planned.changes:
                self.stdout.write(
                    _("row %(row)s, %(record)s, %(column)s: %(old)s → %(new)s")
                    % {
                        "row": planned.number or "—",
                        "record": importer.describe(planned.record, planned.instance),
                        "column": change.column,
                        "old": change.old or "—",
                        "new": change.new or "—",
                    }
                )
