"""Demo targets: Inner Mongolia's three targets to 2025 (《内蒙古自治区"十四五"
社会组织发展规划》 as the seed report quotes it) and party-organization coverage
(Anhui's 55%, set here for Hunan's organizations)."""

import datetime

from core.models import Region
from incubator.models import Target

# name, department, metric, threshold (%), region code, source
TARGETS = [
    (
        "3A及以上社会组织占已评估社会组织比例",
        "内蒙古自治区民政厅",
        "rated_3a",
        "80",
        "150000",
        "内蒙古自治区“十四五”社会组织发展规划：到2025年达到80%以上",
    ),
    (
        "新增政府购买服务中向社会组织购买的比例",
        "内蒙古自治区民政厅",
        "purchases_social",
        "30",
        "150000",
        "内蒙古自治区“十四五”社会组织发展规划：到2025年不低于30%",
    ),
    (
        "法人治理结构健全、无不良信用记录的社会组织比例",
        "内蒙古自治区民政厅",
        "sound_governance",
        "90",
        "150000",
        "内蒙古自治区“十四五”社会组织发展规划：到2025年达到90%以上",
    ),
    (
        "社会组织党组织覆盖率",
        "湖南省民政厅",
        "party_coverage",
        "55",
        "430000",
        "参照安徽省社会组织党组织覆盖率55%",
    ),
]


def seed(stdout):
    """Create the demo targets (idempotent, by name and department)."""
    made = 0
    for name, department, metric, threshold, code, source in TARGETS:
        _target, created = Target.objects.get_or_create(
            name=name,
            department=department,
            defaults={
                "metric": metric,
                "threshold": threshold,
                "region": Region.objects.filter(code=code).first(),
                "deadline": datetime.date(2025, 12, 31),
                "from_year": 2021,
                "source": source,
            },
        )
        made += created
    stdout.write(f"incubator: {Target.objects.count()} targets ({made} new)")
