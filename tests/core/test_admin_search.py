"""The one admin search (the sidebar box) across organizations, residents,
applications, awards, projects and pages, each within what the user may see
(who sees what: DESIGN.md §3 Permissions)."""

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.admin.search import admin_search_areas
from wagtail.models import Page

from core import roles
from funding.choices import ApplicationStatus, ReviewStatus
from funding.models import Application, Review
from incubator.models import Residency

pytestmark = pytest.mark.django_db

SEARCH = reverse("core_admin_search")
YIYANG = "湖南省益阳社工服务中心"  # a demo organization (incubator/demo/incubation.py)


def found(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def section(html, name):
    """The HTML of one kind's section ("" when the user is not shown it)."""
    start = html.find(f'data-testid="search-section-{name}"')
    if start < 0:
        return ""
    end = html.find("</section>", start)
    return html[start:end]


@pytest.fixture
def yiyang(make_organization):
    return make_organization(name=YIYANG)


def test_the_sidebar_search_box_opens_the_admin_search(client_for, rf):
    request = rf.get("/admin/")
    request.user = client_for(roles.REVIEWER).user
    first = admin_search_areas.search_items_for_request(request)[0]
    assert first.url == SEARCH


def test_a_fund_manager_finds_yiyang_by_part_of_the_name_full_name_or_uscc(
    client_for, yiyang, make_organization
):
    make_organization(name="长沙市雨花区同心社工服务中心")
    manager = client_for(roles.FUND_MANAGER)

    for query in ("益阳", "益阳社工", YIYANG, yiyang.uscc[8:17]):
        orgs = section(found(manager, query), "organizations")
        assert YIYANG in orgs, query
        assert "同心社工" not in orgs, query
        assert "社会组织（1）" in orgs, query


def test_applications_and_awards_are_found_by_the_organization(
    client_for, yiyang, make_application, make_award
):
    make_application(organization=yiyang, title="益阳留守儿童关爱项目")
    make_application(title="岳阳助老服务项目")
    award = make_award()
    Application.objects.filter(pk=award.application_id).update(
        title="桃江县助残服务项目"
    )
    manager = client_for(roles.FUND_MANAGER)

    html = found(manager, "益阳")
    applications = section(html, "applications")
    assert "益阳留守儿童关爱项目" in applications
    assert "岳阳助老服务项目" not in applications

    awards = section(found(manager, "桃江"), "awards")
    assert "桃江县助残服务项目" in awards


def test_a_reviewer_finds_only_her_own_assignments(
    client_for, yiyang, make_application, make_call
):
    reviewer = client_for(roles.REVIEWER)
    mine = make_application(
        organization=yiyang,
        title="益阳社区养老服务项目",
        status=ApplicationStatus.IN_REVIEW,
    )
    others = make_application(
        organization=yiyang,
        title="益阳儿童之家项目",
        status=ApplicationStatus.IN_REVIEW,
    )
    Review.objects.create(application=mine, reviewer=reviewer.user)
    Review.objects.create(
        application=others, reviewer=reviewer.user, status=ReviewStatus.WITHDRAWN
    )

    html = found(reviewer, "益阳")
    assert section(html, "organizations") == ""  # no registry for reviewers
    applications = section(html, "applications")
    assert "益阳社区养老服务项目" in applications
    assert "益阳儿童之家项目" not in applications
    assert reverse("funding_review_score", args=[mine.reviews.get().pk]) in applications


def test_under_blind_review_the_applicant_name_finds_nothing(
    client_for, yiyang, make_application, make_call
):
    reviewer = client_for(roles.REVIEWER)
    blind = make_call(blind_review=True, identifying_fields=["title"])
    app = make_application(
        call=blind,
        organization=yiyang,
        title="益阳社区养老服务项目",
        status=ApplicationStatus.IN_REVIEW,
    )
    Review.objects.create(application=app, reviewer=reviewer.user)

    assert "申报项目（0）" in section(found(reviewer, "益阳"), "applications")
    by_number = section(found(reviewer, f"{app.pk:05d}"), "applications")
    assert "申报项目（1）" in by_number
    assert "益阳" not in by_number


def test_an_operator_finds_only_her_own_bases_residents(two_bases, make_organization):
    ours = make_organization(name="益阳市赫山区阳光社工服务中心")
    theirs = make_organization(name="益阳市资阳区邻里社工服务中心")
    Residency.objects.create(organization=ours, base=two_bases.base_a)
    Residency.objects.create(organization=theirs, base=two_bases.base_b)

    html = found(two_bases.client_a, "益阳")
    residents = section(html, "residencies")
    assert "益阳市赫山区阳光社工服务中心" in residents
    assert "益阳市资阳区邻里社工服务中心" not in residents
    bases = section(found(two_bases.client_a, "孵化基地"), "bases")
    assert "长沙市雨花区社会组织孵化基地" in bases
    assert "岳麓区社会组织孵化基地" not in bases


def test_a_coordinator_finds_only_the_projects_of_her_pairings(
    client_for, make_pairing, make_project
):
    coordinator = client_for(roles.COORDINATOR)
    make_project(
        pairing=make_pairing(coordinators=[coordinator.user]), title="益阳茶叶消费帮扶"
    )
    make_project(title="益阳稻虾产业帮扶")

    projects = section(found(coordinator, "益阳"), "projects")
    assert "益阳茶叶消费帮扶" in projects
    assert "益阳稻虾产业帮扶" not in projects


def test_finance_sees_no_organizations_nor_applications(client_for, yiyang):
    html = found(client_for(roles.FINANCE), "益阳")
    assert section(html, "organizations") == ""
    assert section(html, "applications") == ""
    assert YIYANG not in html


def test_an_editor_finds_a_page_by_part_of_its_chinese_title(client_for, cms_site):
    from cms.models import NewsPage

    news = NewsPage(title="益阳市社会组织孵化基地开园", slug="yiyang-open")
    cms_site["news"].add_child(instance=news)
    news.save_revision().publish()
    editor = client_for(roles.EDITOR)

    pages = section(found(editor, "孵化基地"), "pages")
    assert "益阳市社会组织孵化基地开园" in pages
    assert reverse("wagtailadmin_pages:edit", args=[news.pk]) in pages
    assert Page.objects.filter(title__contains="益阳").count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL"
)
def test_postgresql_has_trigram_indexes_for_chinese_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s ORDER BY 1",
            ["%_trgm"],
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "core_region_name_trgm",
            "funding_app_title_trgm",  # core.search.SUBSTRING_INDEXES
            "incubator_org_business_supervisor_trgm",
            "incubator_org_filing_number_trgm",
            "incubator_org_name_trgm",
            "incubator_org_uscc_trgm",
        ]
