"""Every resident named on the incubation board opens a page the reader may see: its
residency page (stage timeline, milestones, assessments, and 变更阶段 for the base's
operator), not the stage-move form, which only operators may open (a fund manager
following the link was told 对不起，你没有权限访问)."""

import re

import pytest
from django.urls import reverse

from core import roles
from core.models import Region
from incubator.models import BaseLevel
from incubator.services.residencies import residency_admit

pytestmark = pytest.mark.django_db


@pytest.fixture
def base_with_resident(make_base, make_user, make_organization):
    operator = make_user("hunan_op", roles.OPERATOR)
    base = make_base(
        "湖南省社会组织孵化基地",
        level=BaseLevel.PROVINCE,
        region=Region.objects.get(code="430100"),
        operators=[operator],
    )
    org = make_organization(name="湖南省益阳社工服务中心")
    residency = residency_admit(organization=org, base=base, enter=True)
    return base, operator, residency


def _resident_links(client):
    html = client.get(reverse("incubator_board")).content.decode()
    return re.findall(r'<a href="([^"]+)">湖南省益阳社工服务中心</a>', html)


@pytest.mark.parametrize("role", [roles.FUND_MANAGER, roles.ADMINISTRATOR])
def test_board_reader_opens_each_resident(base_with_resident, client_for, role):
    _, _, residency = base_with_resident
    client = client_for(role)
    links = _resident_links(client)
    assert links == [reverse("incubator_residency_page", args=[residency.pk])]
    response = client.get(links[0])
    assert response.status_code == 200
    assert "湖南省益阳社工服务中心" in response.content.decode()


def test_operator_still_reaches_stage_move_from_the_page(base_with_resident, client):
    _, operator, residency = base_with_resident
    client.force_login(operator)
    [link] = _resident_links(client)
    page = client.get(link).content.decode()
    move = reverse("incubator_residency_move", args=[residency.pk])
    assert f'href="{move}"' in page
    assert client.get(move).status_code == 200
