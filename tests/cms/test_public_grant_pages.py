"""Call announcements, award public notices (公示) and project stories: live data
from the funding and projects apps, no personal data, fixed query counts."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.models import Review
from projects.choices import ProjectCategory, ReportStatus
from tests.fixtures.cms import PERSONAL


def _html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def _count(client, page):
    client.get(page.url)
    with CaptureQueriesContext(connection) as queries:
        client.get(page.url)
    return len(queries)


def test_call_page_shows_the_call(client, make_call, make_call_page):
    call = make_call(
        name="2024年度社会组织公益创投",
        opens_on=datetime.date(2024, 3, 1),
        closes_on=datetime.date(2024, 3, 31),
        total_budget=Decimal("3000000"),
        max_per_award=Decimal("200000"),
        eligible_levels=["city", "county"],
        eligible_types=["social_service", "community"],
    )
    html = _html(client, make_call_page(call))
    assert "2024-03-01" in html and "2024-03-31" in html
    assert "<dd>3,000,000.00</dd>" in html and "<dd>200,000.00</dd>" in html
    # Eligibility in words, in Chinese.
    assert "社会服务机构、社区社会组织" in html
    assert "市级、县级" in html
    assert "登录平台填写申报书" in html
    assert "正在接受申报" not in html  # closed in 2024


def test_award_notice_lists_the_approved_projects(
    client, notice_with_awards, make_notice_page
):
    html = _html(client, make_notice_page(notice_with_awards))
    for name in (
        "长沙市雨花区阳光社会工作服务中心",
        "湖南省青少年发展基金会",
        "永顺县助老志愿者协会",
    ):
        assert name in html
    assert "乡村阅读小屋" in html
    assert "<td>150,000.00</td>" in html
    assert "<td>350,000.00</td>" in html  # 150,000 + 120,000 + 80,000
    # Mon 5 June 2023 + 5 working days → Fri 9 June.
    assert "5 个工作日" in html
    assert "2023-06-05" in html and "2023-06-09" in html
    assert "0731-84000000" in html


def test_award_notice_shows_no_contacts_nor_reviewers(
    client, notice_with_awards, make_notice_page, make_reviewer
):
    reviewer = make_reviewer("reviewer_wang", first_name="王", last_name="评审专家")
    app = notice_with_awards.awards.first().application
    Review.objects.create(application=app, reviewer=reviewer)
    html = _html(client, make_notice_page(notice_with_awards))
    for value in PERSONAL.values():
        assert value not in html
    assert "评审专家" not in html and "reviewer_wang" not in html
    assert "为留守儿童提供课后陪伴" not in html  # the application's summary


def test_award_notice_query_count_does_not_grow(
    client,
    notice_with_awards,
    make_notice_page,
    approved_application,
    manager,
    make_organization,
    call,
    django_assert_max_num_queries,
):
    from funding.services.notices import notice_publish

    small = _count(client, make_notice_page(notice_with_awards))
    for i in range(12):
        approved_application(
            amount=Decimal("10000"), organization=make_organization(), title=f"项目{i}"
        )
    big_notice = notice_publish(
        call,
        title="第二批立项公示",
        starts_on=datetime.date(2023, 7, 3),
        working_days=5,
        objection_contact="省民政厅 0731-84000000",
        user=manager,
    )
    page = make_notice_page(big_notice)
    client.get(page.url)
    with django_assert_max_num_queries(small):
        html = _html(client, page)
    assert "<td>120,000.00</td>" in html  # 12 × 10,000


def test_project_story_shows_county_category_and_approved_outcomes(
    client, make_project, make_report, make_story_page
):
    project = make_project(title="永顺县宝贝小屋", category=ProjectCategory.CABIN_BABY)
    # beneficiaries: cumulative → latest approved 45 (not 30 + 45); cabins_baby:
    # summed → 1 + 1 = 2; the returned report's 500 is not counted.
    make_report(project, 2023, 1, {"beneficiaries": "30", "cabins_baby": "1"})
    make_report(project, 2023, 2, {"beneficiaries": "45", "cabins_baby": "1"})
    make_report(
        project, 2024, 1, {"beneficiaries": "500"}, status=ReportStatus.RETURNED
    )
    html = _html(client, make_story_page(project))
    assert "湖南省湘西土家族苗族自治州永顺县" in html
    assert "宝贝小屋" in html
    assert "<td>45 人</td>" in html
    assert "<td>2 间</td>" in html
    assert "500" not in html
    assert "山村里的宝贝小屋" in html  # the editor's story
    assert PERSONAL["contact_name"] not in html


def test_project_story_query_count_does_not_grow(
    client, make_project, make_report, make_story_page, django_assert_max_num_queries
):
    one = make_project()
    make_report(one, 2023, 1, {"beneficiaries": "10"})
    small = _count(client, make_story_page(one))
    many = make_project()
    for year in (2021, 2022, 2023):
        for number in (1, 2):
            make_report(many, year, number, {"beneficiaries": "10", "cabins_baby": 1})
    page = make_story_page(many)
    client.get(page.url)
    with django_assert_max_num_queries(small):
        html = _html(client, page)
    assert "<td>6 间</td>" in html
