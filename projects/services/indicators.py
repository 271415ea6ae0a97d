"""The standard indicator catalogue (指标库) a fresh install starts with."""

from django.db import transaction

from projects.choices import Aggregation, EvidenceKind
from projects.models import Indicator

S, C, R = Aggregation.SUM, Aggregation.CUMULATIVE, Aggregation.RATIO
E = EvidenceKind

# code, name, unit, aggregation, group, evidence, evidence note
INDICATORS = [
    ("money_invested", "投入资金", "元", S, "", E.DOCUMENTS, "拨付凭证或银行流水"),
    ("beneficiaries", "受益人数", "人", C, "", E.NONE, ""),
    (
        "produce_sold",
        "销售农产品金额",
        "元",
        S,
        "消费帮扶",
        E.RECEIPTS,
        "销售票据及收款记录",
    ),
    ("cabins_baby", "宝贝小屋建成数", "间", S, "四个小屋", E.PHOTOS, "挂牌及室内照片"),
    (
        "cabins_reading",
        "阅读小屋建成数",
        "间",
        S,
        "四个小屋",
        E.PHOTOS,
        "挂牌及室内照片",
    ),
    (
        "cabins_livestream",
        "直播小屋建成数",
        "间",
        S,
        "四个小屋",
        E.PHOTOS,
        "挂牌及室内照片",
    ),
    (
        "cabins_doctor",
        "医生小屋建成数",
        "间",
        S,
        "四个小屋",
        E.PHOTOS,
        "挂牌及室内照片",
    ),
    ("jobs", "带动就业岗位", "个", S, "", E.NONE, ""),
    ("trainings", "开展培训场次", "场", S, "", E.SIGN_IN, "签到表"),
    ("poor_household_coverage", "脱贫户覆盖率", "%", R, "", E.NONE, ""),
]


# The four cabin types are added up into one total (cabins built, 间).
CABINS_GROUP = "四个小屋"


@transaction.atomic
def indicator_catalogue_ensure():
    """Create the indicators of INDICATORS that are missing (by code), with their
    name, unit, aggregation, group, required evidence and list position; an
    existing indicator is left as the administrator edited it.

    Returns {code: Indicator} for the whole catalogue. Idempotent: run by
    `setup_platform` on every deployment, by the demo and by the tests (issue item
    "first run without demo data": money invested 元, people helped 人, produce sold
    元, jobs 个, trainings 场, cabins built 间 per cabin type, and their total)."""
    found = {}
    for order, (code, name, unit, agg, group, evidence, note) in enumerate(INDICATORS):
        found[code], _created = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "aggregation": agg,
                "group": group,
                "in_group_total": group == CABINS_GROUP,
                "evidence_kind": evidence,
                "evidence_note": note,
                "sort_order": order * 10,
            },
        )
    return found


# The name the demo, the bench and the tests have always called.
indicators_ensure = indicator_catalogue_ensure
