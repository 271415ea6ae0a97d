"""The live sections of a showcase page: incubation stage history, awards and
project outcomes — public facts only, approved outcomes only, fixed query count."""

import datetime
from decimal import Decimal

import pytest

from funding.services.notices import notice_close, notice_publish
from incubator.models import Residency, Stage, StageTransition
from projects.choices import ProjectCategory, ReportStatus
from tests.fixtures.cms import PERSONAL

D = datetime.date
NOTE = "内部备注：理事会不和"


@pytest.fixture
def showcased(
    make_organization,
    make_showcase,
    make_base,
    make_user,
    approved_application,
    manager,
    make_pairing,
    make_project,
    make_report,
):
    def make():
        org = make_organization(**PERSONAL)
        page = make_showcase(org)
        mover = make_user(f"mover{org.pk}", first_name="张", last_name="操作员")
        base = make_base(name=f"长沙市雨花区孵化基地{org.pk}")
        residency = Residency.objects.create(
            organization=org,
            base=base,
            stage=Stage.GRADUATED,
            applied_on=D(2022, 1, 1),
            graduated_on=D(2023, 3, 1),
        )
        for from_stage, to_stage, on in (
            ("", Stage.APPLIED, D(2022, 1, 1)),
            (Stage.APPLIED, Stage.ENTERED, D(2022, 1, 10)),
            (Stage.ENTERED, Stage.INCUBATING, D(2022, 2, 1)),
            (Stage.INCUBATING, Stage.ASSESSING, D(2022, 12, 1)),
            (Stage.ASSESSING, Stage.GRADUATED, D(2023, 3, 1)),
        ):
            StageTransition.objects.create(
                residency=residency,
                from_stage=from_stage,
                to_stage=to_stage,
                moved_on=on,
                user=mover,
                note=NOTE,
            )
        app = approved_application(
            Decimal("150000"), organization=org, title="留守儿童关爱服务项目"
        )
        notice = notice_publish(
            app.call,
            title="立项公示",
            starts_on=D(2023, 6, 5),
            working_days=5,
            objection_contact="省民政厅 0731-00000000",
            user=manager,
        )
        # shown once made (立项), not while on notice
        notice_close(notice, user=manager, on=D(2023, 6, 12))
        project = make_project(
            pairing=make_pairing(organization=org),
            title=f"宝贝小屋{org.pk}",
            category=ProjectCategory.CABIN_BABY,
        )
        # beneficiaries (cumulative): latest approved = 60; the submitted 999 is
        # not shown. cabins_baby (summed): 1 + 2 = 3.
        make_report(project, 2023, 1, {"beneficiaries": "40", "cabins_baby": "1"})
        make_report(project, 2023, 2, {"beneficiaries": "60", "cabins_baby": "2"})
        make_report(
            project, 2024, 1, {"beneficiaries": "999"}, status=ReportStatus.SUBMITTED
        )
        return page

    return make


def test_showcase_shows_stage_history_awards_and_approved_outcomes(client, showcased):
    page = showcased()
    html = client.get(page.url).content.decode()
    # Stage history: stage names and dates.
    assert "孵化历程" in html and "获资助项目" in html and "乡村振兴" in html
    assert "2022-01-10" in html and "2023-03-01" in html
    assert "已出壳" in html or "出壳" in html
    # Awards: call, title, amount, year.
    assert "留守儿童关爱服务项目" in html
    assert "<td>150,000.00</td>" in html  # to the fen, grouped by thousands
    assert "<td>2023</td>" in html
    # Outcomes: approved only.
    assert "宝贝小屋" in html
    assert "<dd>60 人</dd>" in html
    assert "<dd>3 间</dd>" in html
    assert "999" not in html


def test_showcase_sections_never_show_notes_users_or_personal_data(client, showcased):
    page = showcased()
    html = client.get(page.url).content.decode()
    assert NOTE not in html
    assert "操作员" not in html and "mover" not in html
    assert "0731-00000000" not in html  # the notice's contact belongs to the notice
    for value in PERSONAL.values():
        assert value not in html


def test_showcase_query_count_does_not_grow(
    client, showcased, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(page):
        client.get(page.url)
        with CaptureQueriesContext(connection) as queries:
            client.get(page.url)
        return len(queries)

    first = showcased()
    small = count(first)
    for _i in range(3):
        showcased()
    # Publishing drops the site's tree facts (`cms.selectors.site_tree`): the first
    # render reads them again, a fixed number of queries; then as many as before.
    client.get(first.url)
    with django_assert_max_num_queries(small):
        client.get(first.url)
    assert count(first) == small
