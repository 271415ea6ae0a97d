"""Attack on the stored projects and money per roll-up key (`RollupProjectCount`):
after every write path a user reaches — the admin's project, pairing and alliance
screens, the project import (screen and command), two writes in one transaction,
odd fund names and budgets — the stored rows equal the recount of
`verify_rollups`, and the roll-up screen of a superuser shows the projects and
money that counting the projects gives."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from core import roles
from core.models import ImportJob, Region
from projects.choices import FundingKind
from projects.models import Alliance, FundingLink, Project, RollupProjectCount
from projects.selectors.rollup_totals import rollup_count_differences
from projects.selectors.rollups import NO_KEY, _counts
from projects.services.rollup_totals import rollup_counts_rebuild
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

ROLLUP = reverse("projects_rollup")
PROJECT_ADD = reverse("wagtailsnippets_projects_project:add")


def _stored(dimension):
    return {
        row.key: (row.projects, row.money)
        for row in RollupProjectCount.objects.filter(dimension=dimension)
    }


def _screen(client, by):
    """{key: (projects, money)} of the official roll-up's rows, and the total
    row's (projects, money), as the superuser's screen has them."""
    response = client.get(ROLLUP, {"by": by})
    assert response.status_code == 200
    official = response.context["official"]
    rows = {
        row["key"]: (row["projects"], row["money"])
        for row in official.rows.to_dict("records")
    }
    return rows, (official.total["projects"], official.total.get("money"))


def _same_as_recount(client):
    """No stored row differs from the recount, and every screen of all projects
    shows what counting the projects gives."""
    assert rollup_count_differences() == []
    projects = Project.objects.all()
    for by in ("county", "organization", "alliance", "fund"):
        rows, total = _screen(client, by)
        assert rows == _counts(by, projects), by
        assert total[0] == projects.count(), by


@pytest.fixture
def admin(make_user):
    from django.test import Client

    user = make_user("root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def _project_data(pairing, budget, links=(), initial=0, **fields):
    """The admin project form: `links` are dicts of the inline's fields (with
    `id` and `DELETE` for stored ones)."""
    data = {
        "pairing": pairing.pk,
        "title": fields.pop("title", "永顺县直播小屋助农项目"),
        "category": "cabin_livestream",
        "start_date": "2024-01-01",
        "end_date": "",
        "budget": budget,
        "status": "in_progress",
        "reporting_frequency": "half",
        "description": "",
        "funding_links-TOTAL_FORMS": str(len(links)),
        "funding_links-INITIAL_FORMS": str(initial),
        "funding_links-MIN_NUM_FORMS": "0",
        "funding_links-MAX_NUM_FORMS": "1000",
    }
    for i, link in enumerate(links):
        for name, value in {
            "id": "",
            "kind": "self_raised",
            "note": "",
            "ORDER": str(i + 1),
            "DELETE": "",
            **link,
        }.items():
            data[f"funding_links-{i}-{name}"] = value
    return data


def test_a_fund_named_like_no_funding_shares_its_row_and_recounts(admin, make_project):
    """A fund whose name is the text `__none__` (the key of the projects with no
    funding recorded): the stored row, the recount and the rebuild agree, the
    linked project and the unfunded one both in that row."""
    linked = make_project(budget=Decimal("10"), funds=[(NO_KEY, "5")])
    make_project(budget=Decimal("20"))
    assert _stored("fund") == {NO_KEY: (2, Decimal("5.00"))}
    _same_as_recount(admin)
    assert rollup_counts_rebuild() == 5
    assert _stored("fund") == {NO_KEY: (2, Decimal("5.00"))}

    # the link moved to a project that had none: both projects in one write
    other = make_project(budget=Decimal("30"))
    link = linked.funding_links.get()
    link.project = other
    link.save()
    assert _stored("fund") == {NO_KEY: (3, Decimal("5.00"))}
    _same_as_recount(admin)


def test_admin_project_create_edit_and_delete_with_funding_links(
    admin, make_pairing, make_organization
):
    pairing = make_pairing(make_organization(name="湖南省慈善协会"))
    data = _project_data(
        pairing,
        "999999999999.99",
        [
            {"fund_name": "企业捐赠", "amount": "300000"},
            {"fund_name": "企业捐赠", "amount": "0.01"},
            {"fund_name": "福彩:公益金", "amount": "999999999999.99"},
        ],
    )
    assert admin.post(PROJECT_ADD, data).status_code == 302
    # the form replayed: a second project, counted too
    assert admin.post(PROJECT_ADD, data).status_code == 302
    first, second = Project.objects.order_by("pk")
    assert _stored("fund") == {
        "企业捐赠": (2, Decimal("600000.02")),
        "福彩:公益金": (2, Decimal("1999999999999.98")),
    }
    assert _stored("county") == {
        str(pairing.county_id): (2, Decimal("1999999999999.98"))
    }
    _same_as_recount(admin)

    # edit: budget 0, one link deleted, one changed, one added, in one post
    links = list(first.funding_links.order_by("pk"))
    edit = reverse("wagtailsnippets_projects_project:edit", args=[first.pk])
    data = _project_data(
        pairing,
        "0",
        [
            {"id": str(links[0].pk), "fund_name": "企业捐赠", "amount": "1",
             "DELETE": "on"},
            {"id": str(links[1].pk), "fund_name": "个人捐赠", "amount": "2"},
            {"id": str(links[2].pk), "fund_name": "福彩:公益金", "amount": "3"},
            {"fund_name": "企业捐赠", "amount": "4"},
        ],
        initial=3,
    )  # fmt: skip
    response = admin.post(edit, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert _stored("fund") == {
        "企业捐赠": (2, Decimal("300004.01")),
        "个人捐赠": (1, Decimal("2.00")),
        "福彩:公益金": (2, Decimal("1000000000002.99")),
    }
    _same_as_recount(admin)

    # every link removed at once: the project has no funding recorded
    data = _project_data(
        pairing,
        "0",
        [
            {"id": str(link.pk), "fund_name": link.fund_name, "amount": "1",
             "DELETE": "on"}
            for link in first.funding_links.order_by("pk")
        ],
        initial=3,
    )  # fmt: skip
    assert admin.post(edit, data).status_code == 302
    assert _stored("fund")[NO_KEY] == (1, Decimal("0.00"))
    _same_as_recount(admin)

    # moved to another county's pairing on the same screen
    elsewhere = make_pairing(
        make_organization(name="湖南省扶贫基金会"),
        county=Region.objects.get(code="610924"),
    )
    data = _project_data(elsewhere, "12.5")
    assert admin.post(edit, data).status_code == 302
    assert _stored("county") == {
        str(pairing.county_id): (1, Decimal("999999999999.99")),
        str(elsewhere.county_id): (1, Decimal("12.50")),
    }
    _same_as_recount(admin)

    # deleted through the admin, with its links
    delete = reverse("wagtailsnippets_projects_project:delete", args=[second.pk])
    assert admin.post(delete).status_code == 302
    assert not Project.objects.filter(pk=second.pk).exists()
    assert _stored("fund") == {NO_KEY: (1, Decimal("0.00"))}
    assert _stored("county") == {str(elsewhere.county_id): (1, Decimal("12.50"))}
    _same_as_recount(admin)


def test_admin_pairing_moves_and_alliance_delete(
    admin, make_pairing, make_organization, make_project
):
    county = Region.objects.get(code="433127")
    alliance = Alliance.objects.create(name="永顺县合力团", county=county)
    pairing = make_pairing(make_organization(name="湖南省慈善协会"), alliance=alliance)
    make_project(pairing=pairing, budget=Decimal("100"), funds=[("企业捐赠", "7")])
    make_project(pairing=pairing, budget=Decimal("200"))
    assert _stored("alliance") == {str(alliance.pk): (2, Decimal("300.00"))}
    _same_as_recount(admin)

    other_org = make_organization(name="湖南省扶贫基金会")
    edit = reverse("wagtailsnippets_projects_pairing:edit", args=[pairing.pk])
    response = admin.post(
        edit,
        {
            "organization": other_org.pk,
            "county": county.pk,
            "alliance": "",
            "start_date": "2023-01-01",
            "agreement_number": "",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    pairing.refresh_from_db()
    assert pairing.organization_id == other_org.pk and pairing.alliance_id is None
    assert _stored("alliance") == {NO_KEY: (2, Decimal("300.00"))}
    assert _stored("organization") == {str(other_org.pk): (2, Decimal("300.00"))}
    _same_as_recount(admin)

    pairing.alliance = alliance
    pairing.save()
    delete = reverse("wagtailsnippets_projects_alliance:delete", args=[alliance.pk])
    assert admin.post(delete).status_code == 302
    assert not Alliance.objects.exists()
    assert _stored("alliance") == {NO_KEY: (2, Decimal("300.00"))}
    _same_as_recount(admin)


def test_two_writes_in_one_transaction_and_links_deleted_together(
    admin, make_pairing, make_organization, make_project
):
    first = make_project(budget=Decimal("100"), funds=[("甲", "1"), ("乙", "2")])
    second = make_project(budget=Decimal("200"), funds=[("甲", "4")])
    elsewhere = make_pairing(
        make_organization(name="湖南省扶贫基金会"),
        county=Region.objects.get(code="610924"),
    )
    with transaction.atomic():
        first.budget = Decimal("150")
        first.save()
        first.pairing = elsewhere
        first.save()
        # links of two projects deleted at once, then one added back
        FundingLink.objects.filter(fund_name="甲").delete()
        FundingLink.objects.create(
            project=second, kind=FundingKind.SELF_RAISED, fund_name="乙", amount=8
        )
        # a link moved from one project to the other
        link = first.funding_links.get()
        link.project = second
        link.save()
    assert _stored("fund") == {
        "乙": (1, Decimal("10.00")),
        NO_KEY: (1, Decimal("0.00")),
    }
    assert _stored("county")[str(elsewhere.county_id)] == (1, Decimal("150.00"))
    _same_as_recount(admin)

    # a project and its links deleted together with another project's link
    with transaction.atomic():
        FundingLink.objects.filter(project=second).delete()
        Project.objects.filter(pk__in=[first.pk, second.pk]).delete()
    assert not RollupProjectCount.objects.exists()
    _same_as_recount(admin)


HEADERS = ["项目名称", "统一社会信用代码", "帮扶地区代码", "类别", "开始日期",
           "结束日期", "预算（元）", "资金来源"]  # fmt: skip


def test_project_import_screen_creates_and_updates(
    tmp_path, admin, make_pairing, make_organization, make_project
):
    pairing = make_pairing(make_organization(name="长沙市阳光社工服务中心"))
    uscc = pairing.organization.uscc
    make_project(
        pairing=pairing, title="芙蓉镇宝贝小屋", budget=Decimal("5"),
        funds=[("老基金", "5")],
    )  # fmt: skip
    data = xlsx_bytes(
        [
            ["永顺莓茶消费帮扶", uscc, "433127", "消费帮扶", "2023-03-01",
             "2023-12-31", "999,999,999,999.99", "__none__"],
            ["芙蓉镇宝贝小屋", uscc, "433127", "宝贝小屋", "", "", "6", "新基金"],
        ],
        headers=HEADERS,
    )  # fmt: skip
    response = admin.post(
        reverse("projects_project_import"), {"file": upload("项目.xlsx", data)}
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.AWAITING, job.errors
    response = admin.post(response["Location"], {"action": "confirm"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert _stored("fund") == {
        NO_KEY: (1, Decimal("999999999999.99")),
        "新基金": (1, Decimal("5.00")),
    }
    assert _stored("organization") == {
        str(pairing.organization_id): (2, Decimal("1000000000005.99"))
    }
    _same_as_recount(admin)

    # the command in update mode: the fund cell emptied, the budget changed
    data = xlsx_bytes(
        [["芙蓉镇宝贝小屋", uscc, "433127", "宝贝小屋", "", "", "7", ""]],
        headers=HEADERS,
    )
    path = tmp_path / "项目更新.xlsx"
    path.write_bytes(data)
    call_command("import_projects", str(path), "--update", stdout=io.StringIO())
    assert _stored("fund") == {NO_KEY: (2, Decimal("999999999999.99"))}
    assert _stored("county") == {
        str(pairing.county_id): (2, Decimal("1000000000006.99"))
    }
    _same_as_recount(admin)


def test_a_coordinator_counts_only_their_pairings(
    client_for, make_pairing, make_organization, make_project
):
    coordinator = client_for(roles.COORDINATOR)
    mine = make_pairing(
        make_organization(name="湖南省慈善协会"), coordinators=[coordinator.user]
    )
    theirs = make_pairing(make_organization(name="湖南省扶贫基金会"))
    make_project(pairing=mine, budget=Decimal("100"), funds=[("甲", "1")])
    make_project(pairing=theirs, budget=Decimal("200"), funds=[("甲", "2")])
    make_project(pairing=theirs, budget=Decimal("300"))
    rows, total = _screen(coordinator, "fund")
    assert rows == {"甲": (1, Decimal("1.00"))}
    assert total == (1, Decimal("1.00"))
    rows, total = _screen(coordinator, "county")
    assert rows == {mine.county_id: (1, Decimal("100.00"))}
    assert total == (1, Decimal("100.00"))
    page = coordinator.get(ROLLUP, {"by": "county"}).context["headline"]
    assert (page["projects"], page["budget"]) == (1, Decimal("100.00"))


def _year_screen(client):
    """{year: projects} of the official and the pending roll-ups by year, with
    their total rows' projects."""
    response = client.get(ROLLUP, {"by": "year"})
    assert response.status_code == 200
    out = []
    for result in (response.context["official"], response.context["pending"]):
        rows = {r["key"]: r["projects"] for r in result.rows.to_dict("records")}
        out.append((rows, result.total["projects"]))
    return out


def test_a_project_with_links_and_reports_moved_then_its_reports_moved_on(
    admin, make_user, make_pairing, make_organization, make_project, make_report
):
    from projects.choices import ReportStatus
    from projects.services.reports import report_approve, report_return

    checker = make_user("checker", roles.COORDINATOR)
    pairing = make_pairing(
        make_organization(name="湖南省慈善协会"), coordinators=[checker]
    )
    project = make_project(
        pairing=pairing, budget=Decimal("100"), funds=[("企业捐赠", "60")]
    )
    other = make_project(pairing=pairing, budget=Decimal("1"))
    make_report(project, 2023, 1, {"produce_sold": "1000"})
    submitted = make_report(
        project, 2024, 1, {"jobs": "12"}, status=ReportStatus.SUBMITTED
    )
    make_report(other, 2024, 1, {"jobs": "3"}, status=ReportStatus.SUBMITTED)
    assert _year_screen(admin) == [({2023: 1}, 1), ({2024: 2}, 2)]

    elsewhere = make_pairing(
        make_organization(name="湖南省扶贫基金会"),
        county=Region.objects.get(code="610924"),
        coordinators=[checker],
    )
    link = project.funding_links.get()
    edit = reverse("wagtailsnippets_projects_project:edit", args=[project.pk])
    data = _project_data(
        elsewhere,
        "100",
        [{"id": str(link.pk), "fund_name": "企业捐赠", "amount": "60"}],
        initial=1,
        title=project.title,
    )
    assert admin.post(edit, data).status_code == 302
    assert _stored("county") == {
        str(pairing.county_id): (1, Decimal("1.00")),
        str(elsewhere.county_id): (1, Decimal("100.00")),
    }
    _same_as_recount(admin)

    report_return(submitted, user=checker, reason="缺少佐证")
    assert _year_screen(admin) == [({2023: 1}, 1), ({2024: 2}, 2)]
    submitted.refresh_from_db()
    delete = reverse(
        "wagtailsnippets_projects_outcomereport:delete", args=[submitted.pk]
    )
    assert admin.post(delete).status_code == 302
    assert _stored("year") == {
        "2023:official": (1, Decimal("0.00")),
        "all:official": (1, Decimal("0.00")),
        "2024:pending": (1, Decimal("0.00")),
        "all:pending": (1, Decimal("0.00")),
    }
    assert _year_screen(admin) == [({2023: 1}, 1), ({2024: 1}, 1)]
    report_approve(other.reports.get(), user=checker)
    assert _year_screen(admin) == [({2023: 1, 2024: 1}, 2), ({}, 0)]
    assert rollup_count_differences() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_adding_funding_to_one_project_at_once(make_project):
    """Two transactions each add a funding link to one project: the second
    takes the project out of its fund rows as it was before the first committed
    and puts it back with both links, unless it waits for the first (PostgreSQL:
    SQLite lets one writer in at a time)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    import threading
    import time

    project = make_project(budget=Decimal("100"))
    written, release = threading.Event(), threading.Event()
    errors = []

    def add(name, amount, hold=False):
        from django.db import connection as own

        try:
            with transaction.atomic():
                FundingLink.objects.create(
                    project_id=project.pk,
                    kind=FundingKind.SELF_RAISED,
                    fund_name=name,
                    amount=Decimal(amount),
                )
                if hold:
                    written.set()
                    release.wait(30)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            own.close()

    first = threading.Thread(target=add, args=("甲", "1"), kwargs={"hold": True})
    first.start()
    assert written.wait(30)
    second = threading.Thread(target=add, args=("乙", "2"))
    second.start()
    # the first commits once the second waits for it
    for _ in range(200):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = "
                "'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                break
        time.sleep(0.05)
    release.set()
    first.join(30)
    second.join(30)
    assert errors == []
    assert _stored("fund") == {
        "甲": (1, Decimal("1.00")),
        "乙": (1, Decimal("2.00")),
    }
    assert rollup_count_differences() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_project_moved_into_a_pairing_while_its_county_is_changed(
    make_project, make_pairing, make_organization
):
    """One transaction moves a project into a pairing while another moves that
    pairing to another county: the project ends up counted in the county its
    pairing is in (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    import threading
    import time

    from projects.models import Pairing

    project = make_project(budget=Decimal("100"))
    target = make_pairing(make_organization(name="湖南省扶贫基金会"))
    zhiyang = Region.objects.get(code="610924")
    moved, release = threading.Event(), threading.Event()
    errors = []

    def move():
        from django.db import connection as own

        try:
            with transaction.atomic():
                mine = Project.objects.get(pk=project.pk)
                mine.pairing_id = target.pk
                mine.save()
                moved.set()
                release.wait(30)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            own.close()

    def recounty():
        from django.db import connection as own

        try:
            with transaction.atomic():
                pairing = Pairing.objects.get(pk=target.pk)
                pairing.county = zhiyang
                pairing.save()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            own.close()

    first = threading.Thread(target=move)
    first.start()
    assert moved.wait(30)
    second = threading.Thread(target=recounty)
    second.start()
    # the mover commits once the other has finished or waits for it
    for _ in range(200):
        if not second.is_alive():
            break
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = "
                "'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                break
        time.sleep(0.05)
    release.set()
    first.join(30)
    second.join(30)
    assert errors == []
    assert _stored("county") == {str(zhiyang.pk): (1, Decimal("100.00"))}
    assert rollup_count_differences() == []
