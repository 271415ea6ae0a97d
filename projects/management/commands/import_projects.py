"""`manage.py import_projects FILE [--dry-run] [--update] [--user NAME]`: import
revitalization projects, all rows or none; with --update, stored projects are
updated."""

from django.utils.translation import gettext_lazy as _

from core.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import revitalization projects from an .xlsx or .csv file (项目名称, "
        "统一社会信用代码, 帮扶地区代码, 类别, 开始日期, 结束日期, 预算（元）, 资金来源). "
        "Every row is checked first; if any row is bad nothing is written and each "
        "error is printed."
    )
    user_option = True
    kind = "projects"
    written_message = _("%(count)s projects imported.")
