"""`manage.py import_organizations FILE [--dry-run] [--update]`: the registry from Excel/CSV, all rows or none."""

from django.utils.translation import gettext_lazy

from core.import_command import ImportCommand


class Command(ImportCommand):
    kind = "organizations"
    written_message = gettext_lazy("%(count)s organizations imported.")
    help = (
        "Import organizations from an .xlsx or .csv file. Every row is checked first; "
        "if any row is bad nothing is written and each error is printed. A row whose "
        "code is registered is refused, or with --update updates that organization."
    )
