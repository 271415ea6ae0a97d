"""`manage.py import_pairings FILE [--dry-run] [--update] [--user NAME]`: import
pairings, all rows or none; with --update, stored pairings are updated."""

from django.utils.translation import gettext_lazy as _

from core.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import pairings from an .xlsx or .csv file (统一社会信用代码, 结对地区代码, "
        "合力团, 开始日期). Every row is checked first; if any row is bad nothing is "
        "written and each error is printed."
    )
    user_option = True
    kind = "pairings"
    written_message = _("%(count)s pairings imported.")
