"""People by full name in Chinese order (周敏), never reversed ("敏 周") nor by
login ("fund"), and pickers that offer only the people of the right role."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name

from core import roles
from core.people import display_name, full_name
from incubator.errors import IncubationError
from incubator.models import Residency, Stage
from incubator.services.assessments import assessment_create

pytestmark = pytest.mark.django_db


def test_full_name_order():
    assert full_name("敏", "周") == "周敏"
    assert full_name("周敏", "") == "周敏"  # kept whole in one field (the demo's way)
    assert full_name("Anna", "Smith") == "Anna Smith"
    assert full_name("", "") == ""


def test_a_person_without_a_name_is_shown_by_login(make_user):
    assert display_name(make_user("fund")) == "fund"
    assert display_name(None) == ""


def test_wagtail_shows_people_in_chinese_order(make_user):
    """Wagtail draws history ("by …"), the account menu, locks and workflows through
    `get_user_display_name`."""
    zhou = make_user("fund", first_name="敏", last_name="周")
    assert zhou.get_full_name() == "周敏"
    assert get_user_display_name(zhou) == "周敏"


def test_the_account_menu_names_the_person_in_full(make_user):
    zhou = make_user("fund", roles.FUND_MANAGER, first_name="敏", last_name="周")
    client = Client()
    client.force_login(zhou)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = html[html.index('id="wagtail-sidebar-props"') :]
    assert '"name": "\\u5468\\u654f"' in props  # 周敏, JSON-escaped
    assert '"name": "\\u654f"' not in props  # not 敏 alone


def test_the_history_screen_names_the_person(make_user, make_organization):
    zhou = make_user("fund", roles.FUND_MANAGER, first_name="敏", last_name="周")
    org = make_organization(name="湖南省益阳社工服务中心")
    org.history.update(history_user=zhou)
    admin = make_user("root", is_superuser=True)
    client = Client()
    client.force_login(admin)

    html = client.get(
        reverse("wagtailsnippets_incubator_organization:history", args=[org.pk])
    ).content.decode()
    assert "<td>周敏</td>" in html
    assert "敏 周" not in html
    assert "<td>fund</td>" not in html


@pytest.fixture
def assessing(two_bases, make_organization):
    org = make_organization(name="湖南省益阳社工服务中心")
    return Residency.objects.create(
        organization=org, base=two_bases.base_a, stage=Stage.ASSESSING
    )


@pytest.fixture
def people(two_bases, make_user):
    """Who exists besides the two operators (operator_a, operator_b)."""
    two_bases.operator_a.first_name, two_bases.operator_a.last_name = "敏", "周"
    two_bases.operator_a.save()
    return {
        "expert": make_user("expert1", roles.REVIEWER, first_name="丽", last_name="王"),
        "finance": make_user("fund", roles.FINANCE, first_name="多多", last_name="钱"),
        "editor": make_user("editor", roles.EDITOR, first_name="明", last_name="孙"),
        "idle": make_user("former", roles.REVIEWER, is_active=False),
    }


def test_assessor_picker_offers_the_base_staff_and_the_experts_by_name(
    two_bases, people, assessing
):
    html = two_bases.client_a.get(
        reverse("wagtailsnippets_incubator_assessment:add")
    ).content.decode()
    field = html[html.index('name="assessors"') :]
    field = field[: field.index("</select>")]
    assert ">周敏</option>" in field  # operator of base A: its staff
    assert ">王丽</option>" in field  # the expert pool
    assert "钱多多" not in field and "fund" not in field  # finance
    assert "孙明" not in field  # an editor
    assert "operator_b" not in field  # another base's staff
    assert "former" not in field  # an inactive expert
    assert "敏 周" not in field


def test_an_assessor_outside_the_staff_and_the_experts_is_refused(
    two_bases, people, assessing
):
    with pytest.raises(IncubationError) as refused:
        assessment_create(
            residency=assessing,
            assessors=[people["expert"], people["finance"]],
            user=two_bases.operator_a,
        )
    assert refused.value.messages == [
        "钱多多 不能在长沙市雨花区社会组织孵化基地担任评估人："
        "评估人须为本基地工作人员或专家库中的评审专家。"
    ]

    assessment = assessment_create(
        residency=assessing,
        assessors=[people["expert"], two_bases.operator_a],
        user=two_bases.operator_a,
    )
    assert {display_name(u) for u in assessment.assessors.all()} == {"王丽", "周敏"}


def test_reviewer_profile_picker_offers_only_reviewers_by_name(people, client_for):
    html = (
        client_for(roles.FUND_MANAGER, username="manager")
        .get(reverse("wagtailsnippets_funding_reviewerprofile:add"))
        .content.decode()
    )
    field = html[html.index('name="user"') :]
    field = field[: field.index("</select>")]
    assert ">王丽（expert1）</option>" in field
    assert "钱多多" not in field and "孙明" not in field  # finance, editor
    assert "manager" not in field and "former" not in field
