"""`manage.py import_organizations FILE`: import the registry from Excel/CSV, all rows or none."""

from django.utils.translation import gettext_noop

from core.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import organizations from an .xlsx or .csv file. Every row is checked first; "
        "if any row is bad nothing is written and each error is printed."
    )
    kind = "organizations"
    done_message = gettext_noop("%(count)s organizations imported.")
