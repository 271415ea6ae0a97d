"""`manage.py import_awards FILE [--dry-run]`: record past awards from Excel/CSV, all rows or none."""

from django.utils.translation import gettext_lazy

from core.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Record past lottery-fund awards (with their payments) from an .xlsx or "
        ".csv file; funds and calls named in the file are created when missing. "
        "Every row is checked first; if any row is bad nothing is written."
    )
    kind = "awards"
    written_message = gettext_lazy("%(count)s past awards recorded.")
