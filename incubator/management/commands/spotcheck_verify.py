"""``python manage.py spotcheck_verify <campaign id>``: re-derive a campaign's draw
from its recorded seed, candidate list, risk group and rates, and say 一致
(consistent) or 不一致 (inconsistent). Exit status 0 when consistent, 1 otherwise."""

from django.core.management.base import BaseCommand, CommandError

from incubator.models import SpotCheckCampaign
from incubator.services.spotchecks import spotcheck_verify


class Command(BaseCommand):
    help = "Re-derive a spot-check draw from its record and compare (一致/不一致)."

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="the campaign's id")

    def handle(self, *args, campaign, **options):
        try:
            record = SpotCheckCampaign.objects.get(pk=campaign)
        except SpotCheckCampaign.DoesNotExist:
            raise CommandError(f"没有编号为 {campaign} 的抽查活动") from None
        result = spotcheck_verify(record)
        self.stdout.write(f"抽查活动：{record.name}（编号 {record.pk}）")
        self.stdout.write(f"随机种子：{record.seed}")
        self.stdout.write(
            f"候选名单：{len(record.candidates)} 家，哈希 {record.candidates_hash}"
        )
        self.stdout.write(f"重新推导：{result.expected}")
        self.stdout.write(f"已记录：{result.recorded}")
        if result.consistent:
            self.stdout.write(self.style.SUCCESS("一致"))
            return
        for problem in result.problems:
            self.stdout.write(str(problem))
        self.stdout.write(self.style.ERROR("不一致"))
        raise SystemExit(1)
