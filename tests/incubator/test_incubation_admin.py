"""The incubation admin screens render, and their forms refuse bad input with a
clear message while leaving the database unchanged."""

import pytest
from django.urls import reverse

from core import roles
from incubator.models import ServiceActivity, Stage
from incubator.services.assessments import assessment_create
from incubator.services.residencies import residency_admit, residency_advance
from tests.support.confirm import post_confirmed


@pytest.fixture
def setup(two_bases, make_organization, make_user):
    residency = residency_admit(
        organization=make_organization(name="雨花区阳光社工服务中心"),
        base=two_bases.base_a,
        enter=True,
    )
    residency = residency_advance(residency, Stage.INCUBATING)
    residency = residency_advance(residency, Stage.ASSESSING)
    two_bases.residency = residency
    two_bases.assessment = assessment_create(
        residency=residency, assessors=[two_bases.operator_a]
    )
    return two_bases


@pytest.mark.parametrize(
    "model", ["incubationbase", "residency", "serviceactivity", "assessment"]
)
def test_listing_add_and_edit_pages_render(setup, client_for, model):
    client = client_for(roles.ADMINISTRATOR)
    prefix = f"wagtailsnippets_incubator_{model}"
    objects = {
        "incubationbase": setup.base_a,
        "residency": setup.residency,
        "assessment": setup.assessment,
    }
    assert client.get(reverse(f"{prefix}:list")).status_code == 200
    assert client.get(reverse(f"{prefix}:add")).status_code == 200
    if model in objects:
        pk = objects[model].pk
        assert client.get(reverse(f"{prefix}:edit", args=[pk])).status_code == 200
        assert client.get(reverse(f"{prefix}:history", args=[pk])).status_code == 200


def test_residency_history_shows_stage_moves(setup):
    response = setup.client_a.get(
        reverse(
            "wagtailsnippets_incubator_residency:history", args=[setup.residency.pk]
        )
    )
    content = response.content.decode()
    assert "阶段变更：已入驻 → 孵化中" in content


def test_board_move_score_and_import_pages_render(setup):
    client = setup.client_a
    assert client.get(reverse("incubator_board")).status_code == 200
    move = reverse("incubator_residency_move", args=[setup.residency.pk])
    assert client.get(move).status_code == 200
    score = reverse("incubator_assessment_score", args=[setup.assessment.pk])
    assert client.get(score).status_code == 200
    assert client.get(reverse("incubator_residency_import")).status_code == 200


def _base_post(base, weights):
    data = {
        "name": base.name,
        "level": base.level,
        "region": base.region_id,
        "capacity": base.capacity,
        "pass_mark": "60",
        "funding_sources": "福彩公益金",
        "address": "",
        "criteria-TOTAL_FORMS": str(len(weights)),
        "criteria-INITIAL_FORMS": str(len(weights)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "milestone_templates-TOTAL_FORMS": "0",
        "milestone_templates-INITIAL_FORMS": "0",
        "milestone_templates-MIN_NUM_FORMS": "0",
        "milestone_templates-MAX_NUM_FORMS": "1000",
    }
    for i, (criterion, weight) in enumerate(
        zip(base.criteria.all(), weights, strict=True)
    ):
        data.update(
            {
                f"criteria-{i}-id": criterion.pk,
                f"criteria-{i}-kind": criterion.kind,
                f"criteria-{i}-weight": weight,
                f"criteria-{i}-max_score": criterion.max_score,
                f"criteria-{i}-ORDER": i + 1,
                f"criteria-{i}-DELETE": "",
            }
        )
    return data


def test_rubric_weights_must_sum_to_100(setup, client_for):
    client = client_for(roles.ADMINISTRATOR)
    base = setup.base_a
    edit = reverse("wagtailsnippets_incubator_incubationbase:edit", args=[base.pk])
    response = client.post(edit, _base_post(base, [30, 20, 20, 15, 10, 15]))
    assert response.status_code == 200
    assert "各项指标权重合计为 110，必须合计为 100。" in response.content.decode()
    assert sorted(base.criteria.values_list("weight", flat=True)) == [
        10,
        15,
        15,
        20,
        20,
        20,
    ]
    response = client.post(edit, _base_post(base, [25, 15, 20, 15, 10, 15]))
    assert response.status_code == 302
    assert base.criteria.get(kind="governance").weight == 25


def test_activity_participants_must_be_residents_of_the_base(setup, client_for):
    client = client_for(roles.ADMINISTRATOR)
    response = client.post(
        reverse("wagtailsnippets_incubator_serviceactivity:add"),
        {
            "base": setup.base_b.pk,
            "kind": "training",
            "held_on": "2023-04-08",
            "hours": "3",
            "topic": "社会组织财务管理实务培训",
            "speaker": "",
            "participants": [setup.residency.pk],
        },
    )
    assert response.status_code == 200
    assert "以下入驻组织不在岳麓区社会组织孵化基地" in response.content.decode()
    assert not ServiceActivity.objects.exists()


def test_scoring_through_the_admin(setup):
    score = reverse("incubator_assessment_score", args=[setup.assessment.pk])
    criteria = list(setup.base_a.criteria.all())
    data = {f"score_{c.pk}": "80" for c in criteria}
    data[f"score_{criteria[0].pk}"] = "101"
    response = setup.client_a.post(score, data)
    assert "“内部治理”的得分为 101，必须在 0 到 100 之间。" in response.content.decode()
    data[f"score_{criteria[0].pk}"] = "90"
    setup.client_a.post(score, data)
    response = post_confirmed(setup.client_a, score, {"conclude": "1"}, follow=True)
    setup.assessment.refresh_from_db()
    # 20×.9 + 20×.8 + 20×.8 + 15×.8 + 10×.8 + 15×.8 = 18+16+16+12+8+12 = 82.00
    assert str(setup.assessment.result) == "82.00"
    assert setup.assessment.passed is True
    assert "82.00" in response.content.decode()


def test_milestone_done_through_the_edit_screen_is_in_history(setup):
    residency = setup.residency
    milestones = list(residency.milestones.all())
    data = {
        "applied_on": residency.applied_on.isoformat(),
        "planned_entry_on": "",
        "planned_graduation_on": "",
        "mentors": "王老师",
        "workspace": "A-201",
        "notes": "",
        "milestones-TOTAL_FORMS": str(len(milestones)),
        "milestones-INITIAL_FORMS": str(len(milestones)),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(milestones):
        data.update(
            {
                f"milestones-{i}-id": m.pk,
                f"milestones-{i}-title": m.title,
                f"milestones-{i}-due_on": m.due_on.isoformat(),
                f"milestones-{i}-done_on": m.due_on.isoformat() if i == 0 else "",
                f"milestones-{i}-note": "",
                f"milestones-{i}-ORDER": i + 1,
                f"milestones-{i}-DELETE": "",
            }
        )
    # The first milestone is due 90 days after today's application: a done date in
    # the future is refused.
    edit = reverse("wagtailsnippets_incubator_residency:edit", args=[residency.pk])
    response = setup.client_a.post(edit, data)
    assert "完成日期不能晚于今天。" in response.content.decode()
    assert not residency.milestones.filter(done_on__isnull=False).exists()
    data["milestones-0-done_on"] = residency.applied_on.isoformat()
    response = setup.client_a.post(edit, data)
    assert response.status_code == 302
    residency.refresh_from_db()
    assert residency.workspace == "A-201"
    assert residency.stage == Stage.ASSESSING  # the edit screen cannot move stages
    assert residency.milestone_progress() == 20  # 1 of 5
    history = setup.client_a.get(
        reverse("wagtailsnippets_incubator_residency:history", args=[residency.pk])
    ).content.decode()
    assert "完成日期" in history
    assert "A-201" in history
