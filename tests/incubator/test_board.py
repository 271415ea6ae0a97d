"""The incubation board: counts per stage, mean days in stage, overdue milestones,
graduations and activities per year; department view by level and region."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core import roles
from core.models import Region
from incubator.models import ActivityKind, BaseLevel, Milestone, ServiceActivity, Stage
from incubator.selectors.board import base_board, by_level, by_region
from incubator.services.assessments import (
    assessment_conclude,
    assessment_create,
    assessment_score,
)
from incubator.services.residencies import residency_admit, residency_advance

D = datetime.date


@pytest.fixture
def hunan_base(make_base, make_user):
    operator = make_user("hunan_op", roles.OPERATOR)
    base = make_base(
        "湖南省社会组织孵化基地",
        capacity=20,
        level=BaseLevel.PROVINCE,
        region=Region.objects.get(code="430100"),
        operators=[operator],
    )
    base.operator_user = operator
    return base


def _activities(base, year, counts):
    for kind, n in counts.items():
        for i in range(n):
            ServiceActivity.objects.create(
                base=base,
                kind=kind,
                held_on=D(year, 1 + i % 12, 10),
                topic=f"{kind}{i}",
                hours=Decimal("2"),
            )


def test_activities_per_year_match_the_hunan_report(hunan_base, client_for):
    # Hunan 2023: 16 trainings, 6 salons, 2 seminars.
    _activities(
        hunan_base,
        2023,
        {ActivityKind.TRAINING: 16, ActivityKind.SALON: 6, ActivityKind.SEMINAR: 2},
    )
    _activities(hunan_base, 2022, {ActivityKind.TRAINING: 3})
    board = base_board([hunan_base])
    rows = dict(board["activities"])
    assert [(k.value, n) for k, n in rows[2023]] == [
        ("training", 16),
        ("salon", 6),
        ("seminar", 2),
        ("consultation", 0),
    ]
    assert dict(rows[2022])[ActivityKind.TRAINING] == 3
    # The admin listing filters per base, kind and year the same way.
    client = client_for(roles.ADMINISTRATOR)
    listing = reverse("wagtailsnippets_incubator_serviceactivity:list")
    response = client.get(listing, {"kind": "training", "year": "2023"})
    assert response.context["page_obj"].paginator.count == 16


def _resident(base, org, moves, applied_on):
    residency = residency_admit(organization=org, base=base, applied_on=applied_on)
    for stage, on in moves:
        residency = residency_advance(residency, stage, on=on)
    return residency


def test_stage_counts_days_in_stage_and_graduations(
    hunan_base, make_organization, make_user
):
    today = D(2024, 12, 31)
    # A: applied 01-01, entered 01-11 (10 days applied), incubating 02-10 (30 days
    #    entered), still incubating.
    a = _resident(
        hunan_base,
        make_organization(),
        [(Stage.ENTERED, D(2024, 1, 11)), (Stage.INCUBATING, D(2024, 2, 10))],
        D(2024, 1, 1),
    )
    # B: applied 03-01, entered 03-21 (20 days applied), still entered.
    _resident(
        hunan_base,
        make_organization(),
        [(Stage.ENTERED, D(2024, 3, 21))],
        D(2024, 3, 1),
    )
    # C: graduates in 2023 after a passed assessment.
    c = _resident(
        hunan_base,
        make_organization(),
        [
            (Stage.ENTERED, D(2022, 1, 5)),
            (Stage.INCUBATING, D(2022, 1, 5)),
            (Stage.ASSESSING, D(2022, 12, 1)),
        ],
        D(2022, 1, 1),
    )
    assessor = make_user("expert")
    assessment = assessment_create(
        residency=c, assessors=[assessor], held_on=D(2022, 12, 10)
    )
    assessment_score(
        assessment,
        assessor=assessor,
        scores={cr.pk: 90 for cr in hunan_base.criteria.all()},
    )
    assessment_conclude(assessment)
    residency_advance(c, Stage.GRADUATED, on=D(2023, 1, 10))

    board = base_board([hunan_base], today=today)
    counts = {stage.value: n for stage, n in board["stage_counts"]}
    assert counts["entered"] == 1
    assert counts["incubating"] == 1
    assert counts["graduated"] == 1
    days = {stage.value: mean for stage, mean, _n in board["days_in_stage"]}
    # Applied: A 10, B 20, C 4 → mean 34/3 = 11.3.
    assert days["applied"] == 11.3
    # Entered: A 30, B 2024-03-21..12-31 = 285, C 0 → 315/3 = 105.0.
    assert days["entered"] == 105.0
    # Incubating: A 2024-02-10..12-31 = 325, C 2022-01-05..12-01 = 330 → 327.5.
    assert days["incubating"] == 327.5
    # Assessing: C 2022-12-01..2023-01-10 = 40.
    assert days["assessing"] == 40.0
    assert board["graduations"] == [(2023, 1)]

    # Overdue milestones: A's first template milestone (完成登记注册) was due 90 days
    # after applying (2024-01-01 + 90 = 2024-03-31); mark A's others done.
    Milestone.objects.filter(residency=a).exclude(title="完成登记注册").update(
        done_on=D(2024, 6, 1)
    )
    overdue = [
        m for m in base_board([hunan_base], today=today)["overdue"] if m.residency == a
    ]
    assert [(m.title, m.due_on, m.days_late) for m in overdue] == [
        ("完成登记注册", D(2024, 3, 31), 275)
    ]
    a.refresh_from_db()
    assert a.milestone_progress() == 80  # 4 of 5 done


def test_department_rollup_by_level_and_region(make_base, make_organization):
    suzhou = Region.objects.get(code="320500")
    gusu = Region.objects.get(code="320508")
    city = make_base(
        "苏州市社会组织培育发展中心", level=BaseLevel.CITY, region=suzhou, capacity=30
    )
    district = make_base(
        "姑苏区社会组织孵化基地", level=BaseLevel.COUNTY, region=gusu, capacity=15
    )
    street = make_base(
        "双塔街道社会组织服务中心", level=BaseLevel.STREET, region=gusu, capacity=8
    )
    residency_admit(organization=make_organization(), base=city, enter=True)
    residency_admit(organization=make_organization(), base=district, enter=True)
    residency_admit(organization=make_organization(), base=street)
    from incubator.models import IncubationBase

    bases = IncubationBase.objects.filter(pk__in=[city.pk, district.pk, street.pk])
    levels = {row["label"]: row for row in by_level(bases)}
    assert levels["市级"]["capacity"] == 30
    assert levels["街道（镇）级"]["applied"] == 1
    assert levels["街道（镇）级"]["occupying"] == 0
    regions = by_region(bases)
    assert len(regions) == 1  # all three roll up to 苏州市
    assert regions[0]["bases"] == 3
    assert regions[0]["capacity"] == 53
    assert regions[0]["occupying"] == 2


def test_board_page_for_department_and_operator(
    hunan_base, make_organization, client_for
):
    residency_admit(
        organization=make_organization(name="湖南省阳光公益服务中心"),
        base=hunan_base,
        enter=True,
    )
    client = client_for(roles.FUND_MANAGER)
    response = client.get(reverse("incubator_board"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="by-level"' in content
    assert "湖南省阳光公益服务中心" in content
    assert "core/js/echarts.min.js" in content
    assert 'id="board-data"' in content
    response = client.get(reverse("incubator_board"), {"level": "province"})
    assert response.context["department"]["levels"][0]["occupying"] == 1
