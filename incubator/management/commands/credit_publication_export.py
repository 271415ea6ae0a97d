"""``python manage.py credit_publication_export --date YYYY-MM-DD [--output FILE]``:
write the day's credit decisions as the .xlsx file the provincial credit platform
takes (双公示; columns 名称, 统一社会信用代码, 决定类型, 事由, 决定日期, 决定机关).
The file is named ``双公示-YYYY-MM-DD.xlsx`` in the current directory unless
``--output`` says otherwise. Writing the file publishes nothing, but it is recorded
as an export of the day: a decision recorded later for that day is a 补报 on a later
day's file (`incubator.services.credit`)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from incubator.models import CreditPublicationExport
from incubator.selectors.credit import day_decisions
from incubator.services.credit import (
    credit_publication_export,
    credit_publication_filename,
)


class Command(BaseCommand):
    help = "Export one day's credit decisions for the provincial credit platform."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", help="the file to write")

    def handle(self, *args, date, output=None, **options):
        try:
            day = datetime.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"日期“{date}”不是 YYYY-MM-DD 格式") from None
        path = Path(output or credit_publication_filename(day))
        path.write_bytes(
            credit_publication_export(
                day=day, user=None, via=CreditPublicationExport.Via.COMMAND
            )
        )
        count = day_decisions(day).count()
        self.stdout.write(f"{path}：{count} 条决定")
