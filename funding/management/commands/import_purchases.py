"""`manage.py import_purchases FILE [--dry-run]`: import government service purchases from Excel/CSV, all rows or none."""

from django.utils.translation import gettext_lazy

from core.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import government service purchases (contracts and their performance "
        "evaluation scores) from an .xlsx or .csv file. Every row is checked "
        "first; if any row is bad nothing is written."
    )
    kind = "purchases"
    written_message = gettext_lazy("%(count)s service purchases imported.")
