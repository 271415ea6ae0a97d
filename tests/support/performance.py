"""A national-shape indicator framework for the performance-evaluation tests and
the permission world: 8 third-level indicators under 决策 / 过程 / 产出 / 效益,
weights adding up to 100."""

from decimal import Decimal

from funding.models.performance import Indicator, IndicatorFramework

# (first level, second level, third level, weight)
NATIONAL_INDICATORS = [
    ("decision", "项目立项", "立项依据充分性", Decimal("10")),
    ("decision", "绩效目标", "绩效目标明确性", Decimal("10")),
    ("process", "资金管理", "资金使用合规性", Decimal("10")),
    ("process", "组织实施", "管理制度健全性", Decimal("10")),
    ("output", "产出数量", "服务人次完成率", Decimal("20")),
    ("output", "产出质量", "服务质量达标率", Decimal("10")),
    ("effect", "社会效益", "服务对象受益情况", Decimal("20")),
    ("effect", "满意度", "服务对象满意度", Decimal("10")),
]


def framework_make(
    department="苏州市民政局", name="政府购买服务绩效评价指标", rows=None
):
    """A saved framework (version 1) with `rows` (default NATIONAL_INDICATORS)."""
    framework = IndicatorFramework.objects.create(department=department, name=name)
    for order, (first, second, third, weight) in enumerate(rows or NATIONAL_INDICATORS):
        Indicator.objects.create(
            framework=framework,
            first_level=first,
            second_level=second,
            name=third,
            weight=weight,
            sort_order=order,
        )
    return framework


def scores_of(framework, values):
    """{indicator pk: value} for the framework's indicators in order."""
    return {
        indicator.pk: value
        for indicator, value in zip(framework.indicators.all(), values, strict=True)
    }
