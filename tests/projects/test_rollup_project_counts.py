"""Projects and money per roll-up key (`RollupProjectCount`): moved in the
transaction of every write that creates, deletes or re-keys a project, changes its
budget or its funding links — through the admin's models and through the project
import's bulk write — and equal, after each, to the recount of `verify_rollups`.
The roll-ups of every project and the headline read them; a difference made on
purpose is reported."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from core import roles
from core.models import Region
from projects.choices import FundingKind
from projects.models import FundingLink, Project, RollupProjectCount
from projects.selectors.rollup_totals import rollup_count_differences
from projects.selectors.rollups import NO_KEY, headline, rollup, rollups
from tests.projects.test_project_import import HEADERS, write

pytestmark = pytest.mark.django_db


def _counts(dimension):
    """{key: (projects, money)} as stored."""
    return {
        row.key: (row.projects, row.money)
        for row in RollupProjectCount.objects.filter(dimension=dimension)
    }


def _clean():
    differences = rollup_count_differences()
    assert differences == [], differences


@pytest.fixture
def two(make_organization, make_pairing, make_project):
    first = make_project(
        pairing=make_pairing(make_organization(name="湖南省慈善协会")),
        budget=Decimal("100000"),
        funds=[("企业捐赠", "10000"), ("企业捐赠", "5000")],
    )
    second = make_project(
        pairing=make_pairing(make_organization(name="湖南省扶贫基金会")),
        budget=Decimal("50000.50"),
    )
    return first, second


def test_created_projects_are_counted_in_every_dimension(two):
    first, second = two
    county = str(first.pairing.county_id)
    assert _counts("county") == {county: (2, Decimal("150000.50"))}
    assert _counts("organization") == {
        str(first.pairing.organization_id): (1, Decimal("100000.00")),
        str(second.pairing.organization_id): (1, Decimal("50000.50")),
    }
    assert _counts("alliance") == {NO_KEY: (2, Decimal("150000.50"))}
    # two links to one fund: the project once, both amounts
    assert _counts("fund") == {
        "企业捐赠": (1, Decimal("15000.00")),
        NO_KEY: (1, Decimal("0.00")),
    }
    _clean()


def test_budget_pairing_and_links_changed_move_the_counts(
    two, make_organization, make_pairing
):
    first, second = two
    second.budget = Decimal("80000")
    second.save()
    county = str(first.pairing.county_id)
    assert _counts("county") == {county: (2, Decimal("180000.00"))}
    _clean()

    other_county = Region.objects.filter(level=Region.Level.COUNTY).exclude(
        pk=first.pairing.county_id
    )[0]
    elsewhere = make_pairing(
        make_organization(name="湖南省青少年发展基金会"), county=other_county
    )
    second.pairing = elsewhere
    second.save()
    assert _counts("county") == {
        county: (1, Decimal("100000.00")),
        str(other_county.pk): (1, Decimal("80000.00")),
    }
    assert str(elsewhere.organization_id) in _counts("organization")
    _clean()

    link = FundingLink.objects.create(
        project=second,
        kind=FundingKind.SELF_RAISED,
        fund_name="福彩公益金",
        amount=Decimal("3000"),
    )
    assert _counts("fund") == {
        "企业捐赠": (1, Decimal("15000.00")),
        "福彩公益金": (1, Decimal("3000.00")),
    }
    link.amount = Decimal("3500")
    link.save()
    assert _counts("fund")["福彩公益金"] == (1, Decimal("3500.00"))
    _clean()

    # both links of the first project deleted at once: no funding recorded
    FundingLink.objects.filter(project=first).delete()
    assert _counts("fund") == {
        "福彩公益金": (1, Decimal("3500.00")),
        NO_KEY: (1, Decimal("0.00")),
    }
    _clean()


def test_a_deleted_project_leaves_no_count(two):
    first, second = two
    first.delete()  # with its two links
    county = str(second.pairing.county_id)
    assert _counts("county") == {county: (1, Decimal("50000.50"))}
    assert _counts("fund") == {NO_KEY: (1, Decimal("0.00"))}
    assert str(first.pairing.organization_id) not in _counts("organization")
    _clean()
    second.delete()
    assert not RollupProjectCount.objects.exists()
    _clean()


def test_imported_projects_are_counted(tmp_path, make_pairing, make_organization):
    pairing = make_pairing(
        organization=make_organization(name="长沙市阳光社工服务中心")
    )
    uscc = pairing.organization.uscc
    path = write(
        tmp_path,
        [
            ["永顺莓茶消费帮扶", uscc, "433127", "消费帮扶", "2023-03-01",
             "2023-12-31", "1,250,000.50", "省福彩公益金"],
            ["芙蓉镇宝贝小屋", uscc, "433127", "宝贝小屋", "", "", "", ""],
        ],
    )  # fmt: skip
    assert HEADERS[-1] == "资金来源"

    call_command("import_projects", str(path), stdout=io.StringIO())

    assert Project.objects.count() == 2
    assert _counts("organization") == {
        str(pairing.organization_id): (2, Decimal("1250000.50"))
    }
    assert _counts("fund") == {
        "省福彩公益金": (1, Decimal("1250000.50")),
        NO_KEY: (1, Decimal("0.00")),
    }
    _clean()


def test_roll_ups_and_headline_of_every_project_read_the_stored_counts(two, make_user):
    first, second = two
    county = first.pairing.county_id
    official, pending = rollups("county")
    assert official.rows.to_dict("records")[0]["projects"] == 2
    assert official.total["projects"] == 2
    assert official.total["money"] == Decimal("150000.50")
    assert pending.total["projects"] == 2
    assert headline()["projects"] == 2
    assert headline()["budget"] == Decimal("150000.50")

    # A stored row changed behind the services' back: the screens of all
    # projects show it (they read the rows), a coordinator's counts projects.
    RollupProjectCount.objects.filter(dimension="county", key=str(county)).update(
        projects=7, money=Decimal("1")
    )
    assert rollup("county").total["projects"] == 7
    assert headline()["projects"] == 7
    coordinator = make_user("coordinator", roles.COORDINATOR)
    first.pairing.coordinators.add(coordinator)
    mine = rollup("county", user=coordinator)
    assert mine.total["projects"] == 1
    assert mine.total["money"] == Decimal("100000.00")


def test_verify_rollups_reports_a_count_made_wrong_on_purpose(two):
    first, _second = two
    RollupProjectCount.objects.filter(
        dimension="organization", key=str(first.pairing.organization_id)
    ).update(projects=5)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_rollups", stdout=out)
    assert (
        f"不一致：按社会组织汇总的项目数，键 {first.pairing.organization_id} —— "
        "存储值：5 个项目，100,000 元；重新计数值：1 个项目，100,000 元"
    ) in out.getvalue()
    # the rebuild repairs it
    from projects.services.rollup_totals import rollup_totals_rebuild

    rollup_totals_rebuild()
    call_command("verify_rollups", stdout=io.StringIO())


def test_projects_per_year_move_with_every_report_write(two, make_report, make_user):
    """By year, a project counts in each year and bucket it has outcome lines in,
    and once in the total of its bucket whatever its years."""
    from projects.choices import ReportStatus
    from projects.services.reports import report_approve

    first, second = two
    make_report(first, 2023, 1, {"produce_sold": "1000"})
    make_report(first, 2023, 2, {"produce_sold": "500"})
    submitted = make_report(
        first, 2024, 1, {"jobs": "120"}, status=ReportStatus.SUBMITTED
    )
    make_report(second, 2023, 1, {"beneficiaries": "40"})
    assert _counts("year") == {
        "2023:official": (2, Decimal("0.00")),
        "all:official": (2, Decimal("0.00")),
        "2024:pending": (1, Decimal("0.00")),
        "all:pending": (1, Decimal("0.00")),
    }
    official, pending = rollups("year")
    by_year = {r["key"]: r["projects"] for r in official.rows.to_dict("records")}
    assert (by_year, official.total["projects"]) == ({2023: 2}, 2)
    assert pending.total["projects"] == 1
    _clean()

    checker = make_user("checker", roles.COORDINATOR)
    first.pairing.coordinators.add(checker)
    report_approve(submitted, user=checker)
    assert _counts("year") == {
        "2023:official": (2, Decimal("0.00")),
        "2024:official": (1, Decimal("0.00")),
        "all:official": (2, Decimal("0.00")),
    }
    official = rollup("year")
    by_year = {r["key"]: r["projects"] for r in official.rows.to_dict("records")}
    assert (by_year, official.total["projects"]) == ({2023: 2, 2024: 1}, 2)
    assert rollup("year", year=2024).total["projects"] == 1
    # a coordinator's roll-up counts the same way over their own projects
    mine = rollup("year", user=checker)
    by_year = {r["key"]: r["projects"] for r in mine.rows.to_dict("records")}
    assert (by_year, mine.total["projects"]) == ({2023: 1, 2024: 1}, 1)
    _clean()

    submitted.lines.all().delete()
    submitted.delete()
    assert _counts("year") == {
        "2023:official": (2, Decimal("0.00")),
        "all:official": (2, Decimal("0.00")),
    }
    _clean()
