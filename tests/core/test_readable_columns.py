"""Listings read as people read them, in the Chinese UI: a yes/no field says 是 or
否 (Wagtail printed "True"/"False", and its icon column was titled "True"), a
person field gives the person's full name (Wagtail printed the login:
"coordinator", "org"). Found walking the admin as each role at 1366 px."""

import re

import pytest
from django.urls import reverse

from core import roles
from core.viewsets import PersonColumn, YesNoColumn, readable_columns
from funding.models import Application, IndicatorFramework
from incubator.models import Inspector
from projects.models import OutcomeReport
from projects.models.reports import ReportStatus


def _cells(html, first_cell_text):
    """The texts of the cells of the listing row that holds `first_cell_text`."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        if first_cell_text in row:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
    raise AssertionError(f"no row with {first_cell_text}")


def test_boolean_and_person_fields_become_readable_columns():
    columns = readable_columns(
        OutcomeReport, ["project", "status", "created_by", "reviewed_by"]
    )
    assert columns[:2] == ["project", "status"]
    assert isinstance(columns[2], PersonColumn)
    assert str(columns[2].label) == "填报人"
    assert columns[2].sort_key == "created_by"
    assert isinstance(readable_columns(Inspector, ["name", "active"])[1], YesNoColumn)
    # the first column stays a name: Wagtail makes it the link to the record
    assert readable_columns(Inspector, ["active", "name"])[0] == "active"


@pytest.mark.django_db
def test_fund_manager_reads_shi_or_fou_for_submitted_online(
    client_for, make_application
):
    make_application(title="线上申报的项目", submitted_online=True)
    make_application(title="代录入的项目", submitted_online=False)
    client = client_for(roles.FUND_MANAGER, language="zh-hans")

    html = client.get(reverse("wagtailsnippets_funding_application:list")).content
    html = html.decode()

    assert _cells(html, "线上申报的项目")[-1] == "是"
    assert _cells(html, "代录入的项目")[-1] == "否"
    assert ">True<" not in html and ">False<" not in html
    assert Application.objects.count() == 2


@pytest.mark.django_db
def test_registrar_reads_whether_an_inspector_is_in_the_pool(client_for):
    Inspector.objects.create(name="刘芳", unit="湖南省民政厅", active=True)
    Inspector.objects.create(name="陈志强", unit="湖南省民政厅", active=False)
    client = client_for(roles.REGISTRAR, language="zh-hans")

    html = client.get(reverse("wagtailsnippets_incubator_inspector:list"))
    html = html.content.decode()

    assert _cells(html, "刘芳")[-1] == "是"
    assert _cells(html, "陈志强")[-1] == "否"


@pytest.mark.django_db
def test_icon_column_of_a_framework_in_use_reads_shi(client_for):
    IndicatorFramework.objects.create(
        name="政府购买服务绩效评价指标体系", department="苏州市民政局"
    )
    client = client_for(roles.FUND_MANAGER, language="zh-hans")

    html = client.get(reverse("wagtailsnippets_funding_indicatorframework:list"))
    html = html.content.decode()

    assert _cells(html, "政府购买服务绩效评价指标体系")[-1] == "否"
    assert "<title>False</title>" not in html


@pytest.mark.django_db
def test_coordinator_reads_the_authors_name_not_the_login(
    client_for, make_user, make_project, make_report
):
    client = client_for(roles.COORDINATOR, language="zh-hans")
    author = make_user(
        "org_lead", roles.ORGANIZATION, first_name="晓雯", last_name="陈"
    )
    project = make_project(
        title="安化县阅读小屋项目",
        pairing=None,
    )
    project.pairing.coordinators.add(client.user)
    report = make_report(
        project, 2025, 1, {}, status=ReportStatus.SUBMITTED, author=author
    )
    report.submitted_by = author
    report.save()

    html = client.get(reverse("wagtailsnippets_projects_outcomereport:list"))
    html = html.content.decode()

    cells = _cells(html, "安化县阅读小屋项目")
    assert cells.count("陈晓雯") == 2  # author and submitter
    assert "org_lead" not in html


@pytest.mark.django_db
def test_operator_reads_who_claimed_a_milestone_by_name(
    two_bases, make_organization, make_user
):
    from incubator.models import OrganizationMembership
    from incubator.services.milestones import milestone_claim
    from incubator.services.residencies import residency_admit

    organization = make_organization(name="湖南省益阳社工服务中心")
    residency = residency_admit(
        organization=organization, base=two_bases.base_a, enter=True
    )
    lead = make_user("org", roles.ORGANIZATION, first_name="晓雯", last_name="陈")
    OrganizationMembership.objects.create(user=lead, organization=organization)
    milestone = residency.milestones.order_by("due_on", "pk").first()
    claim = milestone_claim(milestone=milestone, user=lead, note="已取得登记证书")

    page = two_bases.client_a.get(
        reverse("incubator_milestone_claim_decide", args=[claim.pk])
    )
    html = re.sub(r"\s+", " ", page.content.decode())

    assert re.search(r"申请人</th><td>陈晓雯 · \d{4}-\d\d-\d\d \d\d:\d\d<", html)
    assert ">org ·" not in html


@pytest.mark.django_db
def test_the_header_actions_are_labelled_in_chinese(client_for):
    client = client_for(roles.REGISTRAR, language="zh-hans")

    html = client.get(reverse("wagtailsnippets_incubator_inspector:list"))
    html = html.content.decode()

    assert 'id="w-slim-header-buttons"' in html
    assert 'aria-label="Actions"' not in html
    assert re.search(r'<nav aria-label="[^"]*[\u4e00-\u9fff][^"]*" id="w-slim', html)
