"""The residency stage machine (incubator.lifecycle, services.residencies): allowed moves, refusals with
reasons, who/when/note of every move, capacity and one active residency."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from incubator.errors import IncubationError
from incubator.lifecycle import TRANSITIONS
from incubator.models import Residency, Stage, StageTransition
from incubator.selectors.residencies import stage_durations
from incubator.services.residencies import (
    residency_admit,
    residency_advance,
    residency_terminate,
    residency_withdraw,
)

D = datetime.date


@pytest.fixture
def base(make_base):
    return make_base("雨花区社会组织孵化基地", capacity=2)


@pytest.fixture
def operator(make_user, base):
    user = make_user("op", "operator")
    base.operators.add(user)
    return user


def _through_to(residency, stage, user, dates):
    path = [Stage.ENTERED, Stage.INCUBATING, Stage.ASSESSING]
    for step, on in zip(path[: path.index(stage) + 1], dates, strict=False):
        residency = residency_advance(residency, step, user=user, on=on)
    return residency


def test_moves_table_reads_as_the_cycle():
    assert TRANSITIONS[Stage.APPLIED] == (Stage.ENTERED, Stage.WITHDRAWN)
    assert Stage.GRADUATED in TRANSITIONS[Stage.ASSESSING]
    for closed in (Stage.GRADUATED, Stage.WITHDRAWN, Stage.TERMINATED):
        assert TRANSITIONS[closed] == ()


def test_admission_records_applied_stage_and_milestones(
    base, operator, make_organization
):
    org = make_organization()
    residency = residency_admit(
        organization=org,
        base=base,
        user=operator,
        applied_on=D(2024, 1, 2),
        planned_entry_on=D(2024, 1, 15),
        planned_graduation_on=D(2025, 1, 15),
        mentors="王老师、刘老师",
        workspace="A-201",
        note="首批入驻",
    )
    assert residency.stage == Stage.APPLIED
    move = residency.transitions.get()
    assert (move.from_stage, move.to_stage, move.user, move.note) == (
        "",
        Stage.APPLIED,
        operator,
        "首批入驻",
    )
    # Milestones from the base templates, due days after the planned entry:
    # 完成登记注册 90 days after 2024-01-15 = 2024-04-14.
    first = residency.milestones.order_by("due_on").first()
    assert (first.title, first.due_on) == ("完成登记注册", D(2024, 4, 14))
    assert residency.milestones.count() == 5


def test_full_cycle_reads_back_in_order(base, operator, make_organization):
    residency = residency_admit(
        organization=make_organization(),
        base=base,
        user=operator,
        applied_on=D(2024, 1, 2),
    )
    residency = _through_to(
        residency,
        Stage.ASSESSING,
        operator,
        [D(2024, 1, 10), D(2024, 2, 1), D(2024, 12, 1)],
    )
    moves = [
        (m.from_stage, m.to_stage, m.moved_on) for m in residency.transitions.all()
    ]
    assert moves == [
        ("", Stage.APPLIED, D(2024, 1, 2)),
        (Stage.APPLIED, Stage.ENTERED, D(2024, 1, 10)),
        (Stage.ENTERED, Stage.INCUBATING, D(2024, 2, 1)),
        (Stage.INCUBATING, Stage.ASSESSING, D(2024, 12, 1)),
    ]
    assert residency.entered_on == D(2024, 1, 10)
    # Days per stage: applied 8, entered 22, incubating 304, assessing to 2024-12-31: 30.
    assert stage_durations(residency, today=D(2024, 12, 31)) == {
        Stage.APPLIED: 8,
        Stage.ENTERED: 22,
        Stage.INCUBATING: 304,
        Stage.ASSESSING: 30,
    }
    # Every move is in Wagtail's action log and in simple-history.
    assert (
        ModelLogEntry.objects.for_instance(residency)
        .filter(action="incubator.stage_move")
        .count()
        == 4
    )
    assert residency.history.count() == 4  # created + 3 moves


def test_skipping_a_stage_is_refused_in_chinese(base, operator, make_organization):
    residency = residency_admit(
        organization=make_organization(), base=base, user=operator
    )
    with pytest.raises(IncubationError) as exc:
        residency_advance(residency, Stage.INCUBATING, user=operator)
    assert exc.value.messages == [
        "入驻记录不能从“已申请”直接转到“孵化中”；从“已申请”只能转到：已入驻、已退出。"
    ]
    residency.refresh_from_db()
    assert residency.stage == Stage.APPLIED
    assert residency.transitions.count() == 1


def test_refusal_in_english(base, operator, make_organization):
    from django.utils import translation

    residency = residency_admit(
        organization=make_organization(), base=base, user=operator
    )
    with translation.override("en"), pytest.raises(IncubationError) as exc:
        residency_advance(residency, Stage.GRADUATED, user=operator)
    assert "cannot move from “Applied” to “Graduated”" in exc.value.messages[0]


def test_graduating_needs_a_passed_assessment(base, operator, make_organization):
    residency = residency_admit(
        organization=make_organization(), base=base, user=operator, enter=True
    )
    residency = residency_advance(residency, Stage.INCUBATING, user=operator)
    residency = residency_advance(residency, Stage.ASSESSING, user=operator)
    with pytest.raises(IncubationError) as exc:
        residency_advance(residency, Stage.GRADUATED, user=operator)
    assert "出壳需要通过出壳评估" in exc.value.messages[0]
    residency.refresh_from_db()
    assert residency.stage == Stage.ASSESSING


def test_side_exit_needs_reason_and_closes(base, operator, make_organization):
    residency = residency_admit(
        organization=make_organization(), base=base, user=operator, enter=True
    )
    with pytest.raises(IncubationError) as exc:
        residency_withdraw(residency, reason="  ", user=operator)
    assert exc.value.messages == ["请填写入驻记录“已退出”的原因。"]
    residency = residency_terminate(
        residency, reason="连续两次未参加年检", user=operator, note="经基地会议决定"
    )
    assert residency.stage == Stage.TERMINATED
    assert residency.exit_reason == "连续两次未参加年检"
    assert residency.transitions.last().note == "连续两次未参加年检\n经基地会议决定"
    with pytest.raises(IncubationError) as exc:
        residency_advance(residency, Stage.INCUBATING, user=operator)
    assert exc.value.messages == ["该入驻记录已结束（已终止），不能再变更阶段。"]


def test_one_active_residency_refusal_says_where(
    make_base, operator, make_organization
):
    first = make_base("天心区社会组织孵化基地")
    second = make_base("芙蓉区社会组织孵化基地")
    org = make_organization(name="长沙市雨花区阳光社工服务中心")
    residency_admit(organization=org, base=first, enter=True)
    with pytest.raises(IncubationError) as exc:
        residency_admit(organization=org, base=second)
    assert exc.value.messages == [
        "长沙市雨花区阳光社工服务中心已在天心区社会组织孵化基地入驻（阶段：已入驻），"
        "一个组织同时只能有一条有效的入驻记录。"
    ]
    assert Residency.objects.filter(organization=org).count() == 1


def test_one_active_residency_is_a_database_constraint(make_base, make_organization):
    base = make_base()
    org = make_organization()
    Residency.objects.create(organization=org, base=base, stage=Stage.INCUBATING)
    # A closed residency does not count …
    Residency.objects.create(organization=org, base=base, stage=Stage.GRADUATED)
    # … but a second open one is refused by the database itself.
    with pytest.raises(IntegrityError), transaction.atomic():
        Residency.objects.create(organization=org, base=base, stage=Stage.APPLIED)


def test_readmission_after_graduation_or_exit_is_allowed(base, make_organization):
    org = make_organization()
    residency = residency_admit(organization=org, base=base, enter=True)
    residency_withdraw(residency, reason="迁往外地")
    again = residency_admit(organization=org, base=base)
    assert again.stage == Stage.APPLIED


def test_capacity_refuses_entry_beyond_it(base, make_organization):
    # capacity 2: two enter, the third may apply but not enter.
    residency_admit(organization=make_organization(), base=base, enter=True)
    residency_admit(organization=make_organization(), base=base, enter=True)
    third = residency_admit(organization=make_organization(), base=base)
    with pytest.raises(IncubationError) as exc:
        residency_advance(third, Stage.ENTERED)
    assert exc.value.messages == ["雨花区社会组织孵化基地已满：2 个名额已占用 2 个。"]
    third.refresh_from_db()
    assert third.stage == Stage.APPLIED
    with pytest.raises(IncubationError):
        residency_admit(organization=make_organization(), base=base, enter=True)
    assert Residency.objects.filter(base=base).count() == 3


def test_dates_out_of_order_are_refused(base, make_organization):
    residency = residency_admit(
        organization=make_organization(), base=base, applied_on=D(2024, 3, 1)
    )
    with pytest.raises(IncubationError) as exc:
        residency_advance(residency, Stage.ENTERED, on=D(2024, 2, 1))
    assert "早于" in exc.value.messages[0]
    with pytest.raises(IncubationError):
        residency_admit(
            organization=make_organization(),
            base=base,
            planned_entry_on=D(2024, 5, 1),
            planned_graduation_on=D(2024, 4, 1),
        )
    assert StageTransition.objects.count() == 1


def test_operator_of_another_base_cannot_move(two_bases, make_organization):
    residency = residency_admit(organization=make_organization(), base=two_bases.base_a)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        residency_advance(residency, Stage.ENTERED, user=two_bases.operator_b)
    with pytest.raises(PermissionDenied):
        residency_admit(
            organization=make_organization(),
            base=two_bases.base_a,
            user=two_bases.operator_b,
        )


def test_a_race_past_the_check_gets_the_same_message(
    base, make_organization, monkeypatch
):
    """If another request admits the organization between the check and the
    insert, the database constraint refuses it and the user still reads where the
    organization resides."""
    from incubator.services import residencies

    org = make_organization(name="雨花区同心社工服务中心")
    residency_admit(organization=org, base=base)
    calls = []
    real = residencies.where_resides

    def first_blind(organization):
        calls.append(organization)
        return None if len(calls) == 1 else real(organization)

    monkeypatch.setattr(residencies, "where_resides", first_blind)
    with pytest.raises(IncubationError) as exc:
        residency_admit(organization=org, base=base)
    assert exc.value.messages[0].startswith(
        "雨花区同心社工服务中心已在雨花区社会组织孵化基地入驻（阶段：已申请）"
    )
    assert Residency.objects.filter(organization=org).count() == 1
