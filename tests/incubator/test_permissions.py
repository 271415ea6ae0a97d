"""Operators see and change only their own base's residents — listing, edit,
history, delete, stage moves, assessments and the board — through the admin
URLs; department users see every base."""

import pytest
from django.urls import reverse

from core import roles
from incubator.models import Residency, ServiceActivity, Stage
from incubator.services.assessments import assessment_create
from incubator.services.residencies import residency_admit, residency_advance


@pytest.fixture
def residents(two_bases, make_organization):
    a = residency_admit(
        organization=make_organization(name="雨花区阳光社工服务中心"),
        base=two_bases.base_a,
        enter=True,
    )
    b = residency_admit(
        organization=make_organization(name="岳麓区夕阳红养老服务中心"),
        base=two_bases.base_b,
        enter=True,
    )
    return a, b


def url(name, *args):
    return reverse(f"wagtailsnippets_incubator_residency:{name}", args=args)


def test_listing_shows_only_own_residents(two_bases, residents):
    response = two_bases.client_a.get(url("list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "雨花区阳光社工服务中心" in content
    assert "岳麓区夕阳红养老服务中心" not in content


def test_export_shows_only_own_residents(two_bases, residents):
    response = two_bases.client_a.get(url("list") + "?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    assert "雨花区阳光社工服务中心" in content
    assert "岳麓区夕阳红养老服务中心" not in content
    assert "入驻日期" in content  # Chinese headings


@pytest.mark.parametrize("view", ["edit", "history", "usage"])
def test_object_views_of_another_base_are_refused(two_bases, residents, view):
    own, other = residents
    assert two_bases.client_a.get(url(view, own.pk)).status_code == 200
    assert two_bases.client_a.get(url(view, other.pk)).status_code in (403, 404)


def test_edit_post_to_another_base_changes_nothing(two_bases, residents):
    _own, other = residents
    response = two_bases.client_a.post(
        url("edit", other.pk), {"workspace": "被篡改", "mentors": "x"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.workspace == ""


def test_delete_is_refused_to_operators(two_bases, residents):
    own, other = residents
    for residency in (own, other):
        response = two_bases.client_a.post(url("delete", residency.pk))
        assert response.status_code in (302, 403, 404)
    assert Residency.objects.count() == 2


def test_stage_move_of_another_base_is_refused(two_bases, residents):
    own, other = residents
    move = reverse("incubator_residency_move", args=[other.pk])
    assert two_bases.client_a.get(move).status_code == 404
    response = two_bases.client_a.post(move, {"to_stage": Stage.INCUBATING})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.stage == Stage.ENTERED


def test_stage_move_through_the_admin(two_bases, residents):
    own, _other = residents
    move = reverse("incubator_residency_move", args=[own.pk])
    response = two_bases.client_a.post(
        move, {"to_stage": Stage.INCUBATING, "note": "开始孵化"}, follow=True
    )
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.stage == Stage.INCUBATING
    last = own.transitions.last()
    assert (last.user, last.note) == (two_bases.operator_a, "开始孵化")
    assert "开始孵化" in response.content.decode()  # the stage history table


def test_illegal_move_in_the_admin_shows_the_reason(two_bases, residents):
    own, _other = residents
    move = reverse("incubator_residency_move", args=[own.pk])
    response = two_bases.client_a.post(move, {"to_stage": Stage.WITHDRAWN})
    assert response.status_code == 200
    assert "请填写入驻记录“已退出”的原因。" in response.content.decode()
    own.refresh_from_db()
    assert own.stage == Stage.ENTERED


def test_admission_through_the_admin(two_bases, make_organization):
    org = make_organization(name="雨花区心晴社工服务中心")
    response = two_bases.client_a.post(
        url("add"),
        {
            "organization": org.pk,
            "base": two_bases.base_a.pk,
            "applied_on": "2024-03-01",
            "planned_entry_on": "2024-03-15",
            "planned_graduation_on": "2025-03-15",
            "mentors": "王老师",
            "workspace": "B-12",
            "notes": "",
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "0",
            "milestones-MIN_NUM_FORMS": "0",
            "milestones-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    residency = Residency.objects.get(organization=org)
    assert residency.stage == Stage.APPLIED
    assert residency.milestones.count() == 5
    assert residency.transitions.get().user == two_bases.operator_a


def test_admission_into_another_base_is_refused(two_bases, make_organization):
    org = make_organization()
    response = two_bases.client_a.post(
        url("add"),
        {
            "organization": org.pk,
            "base": two_bases.base_b.pk,
            "applied_on": "2024-03-01",
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "0",
            "milestones-MIN_NUM_FORMS": "0",
            "milestones-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert not Residency.objects.filter(organization=org).exists()


def test_second_admission_says_where_it_resides(two_bases, residents):
    _own, other = residents
    response = two_bases.client_a.post(
        url("add"),
        {
            "organization": other.organization.pk,
            "base": two_bases.base_a.pk,
            "applied_on": "2024-03-01",
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "0",
            "milestones-MIN_NUM_FORMS": "0",
            "milestones-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert (
        "岳麓区夕阳红养老服务中心已在岳麓区社会组织孵化基地入驻"
        in response.content.decode()
    )
    assert Residency.objects.filter(organization=other.organization).count() == 1


def test_activities_and_bases_are_scoped(two_bases, residents):
    ServiceActivity.objects.create(
        base=two_bases.base_b,
        kind="training",
        held_on="2023-05-01",
        topic="财务规范培训",
        hours=3,
    )
    listing = reverse("wagtailsnippets_incubator_serviceactivity:list")
    assert "财务规范培训" not in two_bases.client_a.get(listing).content.decode()
    assert "财务规范培训" in two_bases.client_b.get(listing).content.decode()
    base_edit = reverse(
        "wagtailsnippets_incubator_incubationbase:edit", args=[two_bases.base_b.pk]
    )
    assert two_bases.client_a.get(base_edit).status_code == 404
    assert two_bases.client_b.get(base_edit).status_code == 200


def test_assessment_views_are_scoped(two_bases, residents):
    _own, other = residents
    other = residency_advance(other, Stage.INCUBATING)
    other = residency_advance(other, Stage.ASSESSING)
    assessment = assessment_create(residency=other, assessors=[two_bases.operator_b])
    scores = reverse("incubator_assessment_score", args=[assessment.pk])
    assert two_bases.client_a.get(scores).status_code == 404
    assert two_bases.client_b.get(scores).status_code == 200
    edit = reverse("wagtailsnippets_incubator_assessment:edit", args=[assessment.pk])
    assert two_bases.client_a.get(edit).status_code == 404


def test_department_user_sees_every_base(two_bases, residents, client_for):
    client = client_for(roles.FUND_MANAGER)
    content = client.get(url("list")).content.decode()
    assert "雨花区阳光社工服务中心" in content
    assert "岳麓区夕阳红养老服务中心" in content
    # … but only looks: no stage moves.
    own, _other = residents
    move = reverse("incubator_residency_move", args=[own.pk])
    assert client.get(move).status_code in (302, 403)


@pytest.mark.parametrize("role", [roles.REVIEWER, roles.EDITOR, roles.COORDINATOR])
def test_other_roles_do_not_see_residents(residents, client_for, role):
    client = client_for(role)
    assert client.get(url("list")).status_code in (302, 403)
    assert client.get(reverse("incubator_board")).status_code in (302, 403)


def test_board_is_scoped(two_bases, residents):
    board = reverse("incubator_board")
    content = two_bases.client_a.get(board).content.decode()
    assert "雨花区阳光社工服务中心" in content
    assert "岳麓区夕阳红养老服务中心" not in content
    other = two_bases.client_a.get(board + f"?base={two_bases.base_b.pk}")
    assert other.status_code == 404


def test_bulk_delete_action_is_refused_to_operators(two_bases, residents):
    own, other = residents
    bulk = reverse("wagtail_bulk_action", args=["incubator", "residency", "delete"])
    for residency in (own, other):
        two_bases.client_a.post(f"{bulk}?id={residency.pk}")
    assert Residency.objects.count() == 2


def test_board_menu_item_only_for_those_who_see_a_base(two_bases, client_for):
    board = reverse("incubator_board")
    assert (
        board in two_bases.client_a.get(reverse("wagtailadmin_home")).content.decode()
    )
    editor = client_for(roles.EDITOR)
    assert board not in editor.get(reverse("wagtailadmin_home")).content.decode()
