"""`manage.py load_villages [--province 43 …] [--county 433127 …]`: load villages
and towns from the shipped division data."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from projects.divisions import PACKAGE
from projects.errors import ProjectsError
from projects.services.villages import villages_load


class Command(BaseCommand):
    help = (
        f"Load villages (村委会、居委会) and their towns from the shipped {PACKAGE} "
        "data, for the given provinces and counties, or the whole country when none "
        "is given. All or nothing; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="append",
            default=[],
            metavar="CODE",
            help="A province's 2-digit code (e.g. 43); may be repeated.",
        )
        parser.add_argument(
            "--county",
            action="append",
            default=[],
            metavar="CODE",
            help="A county's 6-digit code (e.g. 433127); may be repeated.",
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the messages (default: %(default)s).",
        )

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            progress = None
            if options["verbosity"] > 1:
                progress = self._progress
            try:
                load = villages_load(
                    provinces=options["province"],
                    counties=options["county"],
                    progress=progress,
                )
            except ProjectsError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(
                _(
                    "villages: %(created)s created, %(coded)s recorded by hand given "
                    "their code, %(updated)s updated, %(unchanged)s unchanged."
                )
                % {
                    "created": load.created,
                    "coded": load.coded,
                    "updated": load.updated,
                    "unchanged": load.unchanged,
                }
            )
            if load.missing_counties:
                self.stdout.write(
                    _(
                        "%(villages)s villages skipped: their %(count)s counties are "
                        "not in the division table (%(codes)s)."
                    )
                    % {
                        "villages": load.skipped,
                        "count": len(load.missing_counties),
                        "codes": "、".join(sorted(load.missing_counties)),
                    }
                )
            if load.conflicts:
                self.stdout.write(
                    _(
                        "%(count)s villages not loaded: another village of the same "
                        "county, town and name is recorded (%(codes)s)."
                    )
                    % {
                        "count": len(load.conflicts),
                        "codes": "、".join(load.conflicts[:20]),
                    }
                )

    def _progress(self, county_code, load):
        self.stdout.write(
            f"{county_code}: {load.created + load.coded + load.updated + load.unchanged}"
        )
