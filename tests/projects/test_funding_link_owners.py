"""A project's funding links may point only to the awards and
purchases of its own organization (the pairing's) or of an alliance (合力团) that
organization belongs to; the award's "approved outcomes" tranche counts only such
projects; the chooser offers only those records, to every role."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import roles
from funding.errors import FundingError
from funding.models.awards import Award, DisbursementStatus, TrancheCondition
from funding.models.purchases import ServicePurchase
from funding.services.disbursements import disbursement_record
from funding.services.tranches import tranche_open_condition
from projects.choices import FundingKind, ReportStatus
from projects.errors import ProjectsError
from projects.models import Alliance, FundingLink, Project

pytestmark = pytest.mark.django_db

REFUSAL = "项目只能关联本组织或其所在合力团的资助项目和购买服务"
OUTCOMES = ((50, TrancheCondition.SIGNING), (50, TrancheCondition.PROJECT_OUTCOMES))


def _text(response):
    return response.content.decode()


def _form(pairing, links, title="凤凰县宝贝小屋"):
    data = {
        "pairing": pairing.pk,
        "title": title,
        "category": "cabin_baby",
        "start_date": "2023-07-01",
        "end_date": "",
        "budget": "150000",
        "status": "in_progress",
        "reporting_frequency": "half",
        "description": "",
        "funding_links-TOTAL_FORMS": str(len(links)),
        "funding_links-INITIAL_FORMS": "0",
        "funding_links-MIN_NUM_FORMS": "0",
        "funding_links-MAX_NUM_FORMS": "1000",
    }
    for i, (kind, source, amount) in enumerate(links):
        data.update(
            {
                f"funding_links-{i}-kind": kind,
                f"funding_links-{i}-fund_name": "",
                f"funding_links-{i}-source_id": source,
                f"funding_links-{i}-amount": amount,
                f"funding_links-{i}-note": "",
                f"funding_links-{i}-ORDER": str(i + 1),
            }
        )
    return data


def _link(project, record, amount="1.00", kind=FundingKind.GRANT_AWARD):
    return FundingLink(
        project=project,
        kind=kind,
        amount=Decimal(amount),
        source_type=ContentType.objects.get_for_model(type(record)),
        source_id=record.pk,
    )


@pytest.fixture
def world(client_for, make_award, make_purchase, make_pairing, make_project):
    """Two organizations with an award and a purchase each; the coordinator
    coordinates a pairing of the first only."""
    own_award = make_award(schedule=OUTCOMES)
    other_award = make_award(schedule=OUTCOMES)
    own_org = own_award.application.organization
    other_org = other_award.application.organization
    own_purchase = make_purchase(supplier=own_org, contract_number="OWN-1")
    other_purchase = make_purchase(supplier=other_org, contract_number="OTHER-1")
    coordinator = client_for(roles.COORDINATOR)
    pairing = make_pairing(organization=own_org, coordinators=[coordinator.user])
    other_pairing = make_pairing(organization=other_org)
    return {
        "own_award": own_award,
        "other_award": other_award,
        "own_purchase": own_purchase,
        "other_purchase": other_purchase,
        "coordinator": coordinator,
        "pairing": pairing,
        "other_pairing": other_pairing,
        "project": make_project(pairing=pairing, title="永顺县直播小屋"),
    }


def test_raw_post_with_another_organizations_award_is_refused(world):
    client = world["coordinator"]
    add = reverse("wagtailsnippets_projects_project:add")
    other = world["other_award"]
    for kind, value in [
        ("grant_award", f"grant_award:{other.pk}"),
        ("purchase", f"purchase:{world['other_purchase'].pk}"),
    ]:
        refused = client.post(add, _form(world["pairing"], [(kind, value, "1.00")]))
        assert refused.status_code == 200
        assert REFUSAL in _text(refused)
    assert not Project.objects.filter(title="凤凰县宝贝小屋").exists()

    # adding the link to an existing project: refused, the project keeps no link
    project = world["project"]
    edit = reverse("wagtailsnippets_projects_project:edit", args=[project.pk])
    refused = client.post(
        edit,
        _form(
            world["pairing"],
            [("grant_award", f"grant_award:{other.pk}", "1.00")],
            title=project.title,
        ),
    )
    assert refused.status_code == 200
    assert REFUSAL in _text(refused)
    assert not FundingLink.objects.filter(project=project).exists()

    # its own award is accepted
    accepted = client.post(
        add,
        _form(
            world["pairing"],
            [("grant_award", f"grant_award:{world['own_award'].pk}", "80000")],
        ),
    )
    assert accepted.status_code == 302
    link = Project.objects.get(title="凤凰县宝贝小屋").funding_links.get()
    assert (link.source, link.amount) == (world["own_award"], Decimal("80000"))


def test_the_model_refuses_another_organizations_record_on_every_write(world):
    project = world["project"]
    for record, kind in [
        (world["other_award"], FundingKind.GRANT_AWARD),
        (world["other_purchase"], FundingKind.PURCHASE),
    ]:
        with pytest.raises(ValidationError) as exc:
            _link(project, record, kind=kind).full_clean()
        assert REFUSAL in exc.value.message_dict["source_id"][0]
        with pytest.raises(ProjectsError):
            _link(project, record, kind=kind).save()  # scripts and imports
    assert not FundingLink.objects.exists()
    _link(project, world["own_purchase"], "5000", FundingKind.PURCHASE).save()
    assert FundingLink.objects.get().source == world["own_purchase"]


@pytest.mark.parametrize(
    "role", [roles.COORDINATOR, roles.ADMINISTRATOR, roles.FUND_MANAGER]
)
def test_the_chooser_lists_only_the_projects_own_records(world, client_for, role):
    client = world["coordinator"] if role == roles.COORDINATOR else client_for(role)
    project = world["project"]
    edit = client.get(
        reverse("wagtailsnippets_projects_project:edit", args=[project.pk])
    )
    if role == roles.FUND_MANAGER:  # read-only in projects (DESIGN.md)
        assert edit.status_code in (302, 403)
        return
    assert edit.status_code == 200
    page = _text(edit)
    assert f'value="grant_award:{world["own_award"].pk}"' in page
    assert f'value="purchase:{world["own_purchase"].pk}"' in page
    assert f'value="grant_award:{world["other_award"].pk}"' not in page
    assert f'value="purchase:{world["other_purchase"].pk}"' not in page


def test_a_new_project_offers_only_the_coordinators_organizations(world):
    page = _text(
        world["coordinator"].get(reverse("wagtailsnippets_projects_project:add"))
    )
    assert f'value="grant_award:{world["own_award"].pk}"' in page
    assert f'value="grant_award:{world["other_award"].pk}"' not in page


def test_an_alliance_members_award_may_be_linked(world, hunan_county):
    # 合力团: both organizations help 永顺县 together; a project of the first may use
    # the second's award, and that award's outcome tranche counts the project
    alliance = Alliance.objects.create(
        name="永顺县社会组织帮扶合力团", county=hunan_county
    )
    world["pairing"].alliance = alliance
    world["pairing"].save()
    world["other_pairing"].alliance = alliance
    world["other_pairing"].save()
    other = world["other_award"]
    client = world["coordinator"]
    project = world["project"]
    edit_url = reverse("wagtailsnippets_projects_project:edit", args=[project.pk])
    assert f'value="grant_award:{other.pk}"' in _text(client.get(edit_url))
    response = client.post(
        edit_url,
        _form(
            world["pairing"],
            [("grant_award", f"grant_award:{other.pk}", "50000")],
            title=project.title,
        ),
    )
    assert response.status_code == 302
    assert project.funding_links.get().source == other
    tranche = other.tranches.all()[1]
    assert "没有已批准的成效报告" in tranche_open_condition(tranche)


def test_a_bad_link_stored_before_the_fix_releases_nothing(world, make_report, manager):
    # the attack: another organization's award linked with 1.00 yuan, the
    # project's report approved; stored past every check (as before the fix)
    other = world["other_award"]
    project = world["project"]
    FundingLink.objects.bulk_create([_link(project, other, "1.00")])
    make_report(project, 2023, 2, {"beneficiaries": "120"})
    tranche = other.tranches.all()[1]
    assert "没有关联的乡村振兴项目" in tranche_open_condition(tranche)
    with pytest.raises(FundingError):
        disbursement_record(tranche, amount="50000", user=manager)
    assert not tranche.disbursements.exclude(
        status=DisbursementStatus.REJECTED
    ).exists()

    # the award's own organization's project with approved figures releases it
    own_project = world["project"].__class__.objects.create(
        pairing=world["other_pairing"],
        title="紫阳县阅读小屋",
        category="cabin_reading",
        start_date=datetime.date(2023, 1, 1),
    )
    _link(own_project, other, "50000").save()
    make_report(own_project, 2023, 2, {"beneficiaries": "80"})
    assert tranche_open_condition(tranche) is None
    assert Award.objects.get(pk=other.pk).approved_amount == Decimal("100000")
    assert ServicePurchase.objects.count() == 2
    disbursement_record(tranche, amount="50000", user=manager)
    assert tranche.disbursements.get().amount == Decimal("50000")


def test_the_report_status_matters_not_the_link_alone(world, make_report):
    own = world["own_award"]
    _link(world["project"], own, "1.00").save()
    tranche = own.tranches.all()[1]
    make_report(world["project"], 2023, 1, {}, status=ReportStatus.SUBMITTED)
    assert "没有已批准的成效报告" in tranche_open_condition(tranche)
