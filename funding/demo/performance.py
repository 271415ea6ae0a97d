"""Demo performance evaluation by indicators: 苏州市民政局's framework in the
national shape and a concluded evaluation of its 2023 purchase 公益创投项目管理服务
by two evaluators (the total feeds the purchase's performance evaluation)."""

import datetime
from decimal import Decimal

from funding.models.performance import Indicator, IndicatorFramework
from funding.models.purchases import ServicePurchase
from funding.services.performance import (
    evaluator_sheet_record,
    indicator_evaluation_conclude,
    indicator_evaluation_start,
)

DEPARTMENT = "苏州市民政局"
NAME = "政府购买服务绩效评价指标体系"
# (first level, second level, third level, weight, guidance)
INDICATORS = [
    ("decision", "项目立项", "立项依据充分性", "6", "符合政策和部门职责"),
    ("decision", "绩效目标", "绩效目标明确性", "6", "目标细化量化"),
    ("decision", "资金投入", "预算编制科学性", "8", ""),
    ("process", "资金管理", "资金使用合规性", "10", "专款专用，无违规支出"),
    ("process", "组织实施", "管理制度健全性", "5", ""),
    ("process", "组织实施", "制度执行有效性", "5", "台账完整"),
    ("output", "产出数量", "服务人次完成率", "15", "实际服务人次/计划人次"),
    ("output", "产出质量", "服务质量达标率", "10", ""),
    ("output", "产出时效", "完成及时性", "5", ""),
    ("effect", "社会效益", "服务对象受益情况", "15", ""),
    ("effect", "可持续影响", "长效机制建设", "5", ""),
    ("effect", "满意度", "服务对象满意度", "10", "问卷调查"),
]
# two evaluators' scores, in the order of INDICATORS: totals 87.5 and 90.5
SCORES = [
    (
        "周评估（苏州市社会组织评估中心）",
        ["5", "6", "7", "9", "4", "4.5", "13", "9", "5", "13", "4", "8"],
    ),
    (
        "吴专家",
        ["6", "5.5", "7.5", "9.5", "4.5", "4.5", "14", "9", "4.5", "13.5", "4", "8"],
    ),
]


def framework_ensure(user):
    framework = (
        IndicatorFramework.objects.filter(department=DEPARTMENT, name=NAME)
        .order_by("version")
        .first()
    )
    if framework is not None:
        return framework
    framework = IndicatorFramework(
        department=DEPARTMENT,
        name=NAME,
        description="参照财政部《项目支出绩效评价管理办法》（财预〔2020〕10号）共性指标框架。",
    )
    framework._history_user = user
    framework.save()
    for order, (first, second, third, weight, guidance) in enumerate(INDICATORS):
        Indicator.objects.create(
            framework=framework,
            first_level=first,
            second_level=second,
            name=third,
            weight=Decimal(weight),
            guidance=guidance,
            sort_order=order,
        )
    return framework


def seed(stdout, manager):
    """The framework and one concluded evaluation (idempotent)."""
    framework = framework_ensure(manager)
    purchase = ServicePurchase.objects.filter(
        purchasing_department=DEPARTMENT,
        title="公益创投项目管理服务",
        signed_on__year=2023,
    ).first()
    if purchase is None or purchase.indicator_evaluations.exists():
        stdout.write(f"funding: indicator framework “{framework.name}”")
        return
    evaluation = indicator_evaluation_start(
        framework=framework,
        purchase=purchase,
        evaluated_on=datetime.date(2024, 1, 20),
        user=manager,
    )
    indicators = list(framework.indicators.all())
    for name, values in SCORES:
        evaluator_sheet_record(
            evaluation,
            evaluator=name,
            scores={i.pk: v for i, v in zip(indicators, values, strict=True)},
            user=manager,
        )
    evaluation = indicator_evaluation_conclude(evaluation, user=manager)
    stdout.write(
        f"funding: indicator evaluation of “{purchase.title}”: "
        f"{evaluation.total} ({evaluation.get_grade_display()})"
    )
