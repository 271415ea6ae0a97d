"""The residency page: the stage timeline 申请 → 入驻 → 孵化 →
评估 → 出壳 with the dates of the recorded moves, the milestones as a progress bar
(done/total, overdue in red), the assessments with the link to score them for the
assessors named on them; reached from the residency list, the board, the
organization list and the inbox; another base's residency answers 404."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core import roles
from incubator.models import Milestone
from incubator.services.assessments import assessment_create
from incubator.services.residencies import residency_admit, residency_advance

D = datetime.date


@pytest.fixture
def resident(two_bases, make_organization, make_user):
    """A residency of base A: applied 2024-03-01, entered 2024-03-10, incubating
    from 2024-04-01, assessing from 2025-03-01; 2 of its 4 milestones done, one of
    the other two overdue; an assessment naming the assessor 周敏."""
    today = timezone.localdate()
    org = make_organization(name="益阳市社会工作服务中心")
    op = two_bases.operator_a
    residency = residency_admit(
        organization=org, base=two_bases.base_a, user=op, applied_on=D(2024, 3, 1)
    )
    residency.milestones.all().delete()
    for title, due, done in [
        ("完成登记", D(2024, 4, 1), D(2024, 3, 28)),
        ("建立财务制度", D(2024, 6, 1), D(2024, 6, 5)),
        ("成立党支部", D(2024, 9, 1), None),  # overdue
        ("首个资助项目", today + datetime.timedelta(days=30), None),
    ]:
        Milestone.objects.create(
            residency=residency, title=title, due_on=due, done_on=done
        )
    residency_advance(residency, "entered", user=op, on=D(2024, 3, 10))
    residency_advance(residency, "incubating", user=op, on=D(2024, 4, 1))
    residency_advance(
        residency, "assessing", user=op, on=D(2025, 3, 1), note="期满评估"
    )
    # an expert of the pool, no operator: she reaches the page only as its assessor
    assessor = make_user("zhoumin", roles.REVIEWER, first_name="敏", last_name="周")
    assessment = assessment_create(
        residency=residency, assessors=[assessor], user=op, held_on=D(2025, 3, 15)
    )
    return residency, assessor, assessment


def _page(client, residency):
    return client.get(reverse("incubator_residency_page", args=[residency.pk]))


def _clean(html):
    return re.sub(r"<[^>]+>|\s+", "", html)


def test_the_page_shows_the_timeline_the_milestone_bar_and_the_assessments(
    two_bases, resident
):
    residency, _assessor, assessment = resident
    page = _page(two_bases.client_a, residency)
    assert page.status_code == 200
    html = page.content.decode()
    states = re.findall(r'data-stage="(\w+)" data-state="(\w+)"', html)
    assert states == [
        ("applied", "done"),
        ("entered", "done"),
        ("incubating", "done"),
        ("assessing", "current"),
        ("graduated", "todo"),
    ]
    text = _clean(html)
    for words in (
        "已申请2024-03-01",
        "已入驻2024-03-10",
        "孵化中2024-04-01",
        "评估中2025-03-01",
    ):
        assert words in text
    assert "已完成2/4（50%）·逾期1项" in text
    bar = re.search(r'class="milestone-bar".*?</div>', html, re.S).group(0)
    assert re.findall(r'class="is-(\w+)"', bar) == ["done", "done", "overdue", "open"]
    assert "成立党支部" in html and "2024-09-01（已逾期）" in text
    # the operator opens the assessment; she is not named on it, so no 去评分
    assert reverse("incubator_assessment_score", args=[assessment.pk]) in html
    assert "去评分" not in html
    assert "周敏" in html


def test_the_assessor_named_on_it_gets_the_link_to_score(two_bases, resident, client):
    residency, assessor, assessment = resident
    client.force_login(assessor)
    page = _page(client, residency)
    assert page.status_code == 200
    assert (
        f'href="{reverse("incubator_assessment_score", args=[assessment.pk])}">去评分'
        in page.content.decode()
    )


def test_another_bases_operator_gets_404(two_bases, resident, client_for):
    residency, *_ = resident
    assert _page(two_bases.client_b, residency).status_code == 404
    assert _page(client_for(roles.REVIEWER, "expert"), residency).status_code == 404
    missing = reverse("incubator_residency_page", args=[999999])
    assert two_bases.client_a.get(missing).status_code == 404


def test_the_page_is_reached_from_the_list_the_board_the_organizations_and_inbox(
    two_bases, resident
):
    residency, *_ = resident
    url = reverse("incubator_residency_page", args=[residency.pk])
    client = two_bases.client_a
    for screen in (
        reverse("wagtailsnippets_incubator_residency:list"),
        reverse("incubator_board"),
        reverse("wagtailsnippets_incubator_organization:list"),
        reverse("wagtailadmin_home"),  # the inbox: overdue milestones
    ):
        assert url in client.get(screen).content.decode(), screen
    # operator B sees no link to base A's residency in her organization list
    other = two_bases.client_b.get(
        reverse("wagtailsnippets_incubator_organization:list")
    )
    assert url not in other.content.decode()
