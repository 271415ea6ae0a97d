"""Where a project's money comes from: self-raised money now; grant awards and
purchases once the funding module registers them, never claiming more than they hold."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import roles
from incubator.models import Organization
from projects.choices import FundingKind
from projects.errors import ProjectsError
from projects.funding_sources import (
    funding_source_for,
    funding_source_register,
    funding_source_unregister,
)
from projects.models import FundingLink, Project
from projects.models.projects import funding_links_check_capacity

pytestmark = pytest.mark.django_db


def test_self_raised_link_gets_a_fund_name(make_project):
    project = make_project()
    link = FundingLink(
        project=project, kind=FundingKind.SELF_RAISED, amount=Decimal("5")
    )
    link.full_clean()
    assert link.fund_name == "自筹"


def test_grant_link_needs_its_award(make_project):
    # the funding module registers awards: a grant link must name its award
    project = make_project()
    link = FundingLink(
        project=project, kind=FundingKind.GRANT_AWARD, amount=Decimal("5")
    )
    with pytest.raises(ValidationError) as exc:
        link.full_clean()
    assert "请选择这笔资金来自哪个资助项目" in exc.value.message_dict["kind"][0]


@pytest.fixture
def fake_award_source():
    """Stand in for an award: an organization 'holding' 100,000 yuan of its own
    (owner "pk": a project may use the record of its own organization only)."""
    registered = funding_source_for(FundingKind.GRANT_AWARD)
    funding_source_register(
        FundingKind.GRANT_AWARD,
        Organization,
        capacity=lambda org: Decimal("100000"),
        fund_label=lambda org: "湖南省福彩公益金",
        owner="pk",
    )
    yield
    funding_source_unregister(FundingKind.GRANT_AWARD)
    if registered is not None:  # the funding module's own registration
        funding_source_register(
            registered.kind,
            registered.model,
            capacity=registered.capacity,
            fund_label=registered.fund_label,
            queryset=registered.queryset,
            owner=registered.owner,
        )


def _award_link(project, award, amount):
    return FundingLink(
        project=project,
        kind=FundingKind.GRANT_AWARD,
        amount=Decimal(amount),
        source_type=ContentType.objects.get_for_model(type(award)),
        source_id=award.pk,
    )


def test_links_never_claim_more_than_the_award(make_project, fake_award_source):
    first = make_project()
    second = make_project(pairing=first.pairing)
    award = first.pairing.organization  # the projects' own organization's record
    link = _award_link(first, award, "70000")
    link.full_clean()
    assert link.fund_name == "湖南省福彩公益金"
    link.save()

    # 70,000 already claimed: the second project may claim 30,000, not 30,000.01
    funding_links_check_capacity(second, [_award_link(second, award, "30000")])
    with pytest.raises(ProjectsError) as exc:
        funding_links_check_capacity(second, [_award_link(second, award, "30000.01")])
    assert "最多可关联 30,000.00 元" in exc.value.messages[0]

    # the first project's own links are replaced, not added to its old ones
    funding_links_check_capacity(first, [_award_link(first, award, "100000")])


def test_admin_project_with_self_raised_money(client_for, make_pairing):
    client = client_for(roles.COORDINATOR)
    pairing = make_pairing(coordinators=[client.user])
    data = {
        "pairing": pairing.pk,
        "title": "永顺县直播小屋助农项目",
        "category": "cabin_livestream",
        "start_date": "2024-01-01",
        "end_date": "",
        "budget": "450000",
        "status": "in_progress",
        "reporting_frequency": "half",
        "description": "",
        "funding_links-TOTAL_FORMS": "2",
        "funding_links-INITIAL_FORMS": "0",
        "funding_links-MIN_NUM_FORMS": "0",
        "funding_links-MAX_NUM_FORMS": "1000",
        "funding_links-0-kind": "self_raised",
        "funding_links-0-fund_name": "湖南省社会组织促进会自筹",
        "funding_links-0-amount": "300000",
        "funding_links-0-note": "",
        "funding_links-0-ORDER": "1",
        "funding_links-1-kind": "grant_award",
        "funding_links-1-fund_name": "",
        "funding_links-1-amount": "150000",
        "funding_links-1-note": "",
        "funding_links-1-ORDER": "2",
    }
    url = reverse("wagtailsnippets_projects_project:add")

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "请选择这笔资金来自哪个资助项目" in refused.content.decode()
    assert not Project.objects.exists()

    data["funding_links-TOTAL_FORMS"] = "1"
    assert client.post(url, data).status_code == 302
    project = Project.objects.get()
    assert project.funded_amount == Decimal("300000")
    assert project.history.count() == 1
    assert project.funding_links.get().history.count() == 1
