"""Per-dimension totals (`OutcomeRollupTotal`): moved in the transaction of every
write that changes a project's totals or its keys — a report approved or
returned, a project moved to another pairing, a pairing's county, organization or
alliance changed, a funding link added, renamed or deleted, an alliance or a
project deleted — and equal, after each, to what the lines give (the recount of
`verify_rollups`); the roll-ups of all projects read them and agree with the path
over per-project totals that a coordinator's roll-up takes."""

import io
from decimal import Decimal

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import roles
from core.models import Region
from projects.choices import FundingKind, ReportStatus, TotalBucket
from projects.models import Alliance, FundingLink, OutcomeRollupTotal
from projects.selectors.rollup_totals import rollup_dimension_differences
from projects.selectors.rollups import rollup
from projects.services.reports import report_approve, report_return
from projects.services.rollup_totals import rollup_totals_rebuild

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def _clean():
    differences = rollup_dimension_differences()
    assert differences == [], differences


def _row(result, label):
    return next(r for r in result.rows.to_dict("records") if r["label"] == label)


def _stored(dimension, key, code="produce_sold", year=2023):
    row = OutcomeRollupTotal.objects.filter(
        dimension=dimension,
        key=str(key),
        indicator__code=code,
        year=year,
        bucket=TotalBucket.OFFICIAL,
    ).first()
    return None if row is None else row.value_sum


@pytest.fixture
def two_projects(make_organization, make_pairing, make_project, make_report):
    first = make_project(
        pairing=make_pairing(make_organization(name="湖南省慈善协会")),
        funds=[("企业捐赠", "10000")],
    )
    second = make_project(
        pairing=make_pairing(make_organization(name="湖南省扶贫基金会")),
        funds=[("福彩公益金", "5000")],
    )
    make_report(first, 2023, 1, {"produce_sold": "1000", "beneficiaries": "40"})
    make_report(second, 2023, 1, {"produce_sold": "300", "beneficiaries": "7"})
    return first, second


def test_approve_and_return_move_the_figures_of_every_key(
    make_user, make_pairing, make_project, make_report
):
    author = make_user("author", roles.COORDINATOR)
    checker = make_user("checker", roles.COORDINATOR)
    project = make_project(
        pairing=make_pairing(coordinators=[author, checker]),
        funds=[("企业捐赠", "10000")],
    )
    report = make_report(
        project, 2023, 1, {"jobs": "120"}, status=ReportStatus.SUBMITTED
    )
    make_report(project, 2023, 2, {"jobs": "30"})
    assert _stored("fund", "企业捐赠", "jobs") == Decimal("30")

    report_approve(report, user=checker)
    # 120 + 30 in the fund's, the county's and the organization's rows
    assert _stored("fund", "企业捐赠", "jobs") == Decimal("150")
    assert _stored("county", project.pairing.county_id, "jobs") == Decimal("150")
    assert _stored("organization", project.pairing.organization_id, "jobs") == Decimal(
        "150"
    )
    _clean()

    report.refresh_from_db()
    report.status = ReportStatus.SUBMITTED
    report.save()
    report_return(report, user=checker, reason="请补充凭证")
    assert _stored("fund", "企业捐赠", "jobs") == Decimal("30")
    assert rollup("county", official=False).total["jobs"] == Decimal("120")
    _clean()


def test_a_funding_link_added_renamed_and_deleted_moves_the_project(
    two_projects,
):
    first, _second = two_projects
    link = FundingLink.objects.create(
        project=first,
        kind=FundingKind.SELF_RAISED,
        fund_name="福彩公益金",
        amount=Decimal("2000"),
    )
    # first now in 企业捐赠 and 福彩公益金: 1000 + 300
    assert _stored("fund", "福彩公益金") == Decimal("1300")
    assert rollup("fund").total["produce_sold"] == Decimal("1300")
    _clean()

    link.fund_name = "乡村振兴基金"
    link.save()
    assert _stored("fund", "福彩公益金") == Decimal("300")
    assert _stored("fund", "乡村振兴基金") == Decimal("1000")
    _clean()

    # both links of the first project deleted at once: it has no funding recorded
    FundingLink.objects.filter(project=first).delete()
    assert _stored("fund", "乡村振兴基金") is None
    assert _stored("fund", "企业捐赠") is None
    assert _stored("fund", "__none__") == Decimal("1000")
    assert _row(rollup("fund"), "未登记资金来源")["produce_sold"] == Decimal("1000")
    _clean()


def test_a_second_link_to_the_same_fund_counts_once(two_projects):
    first, _second = two_projects
    FundingLink.objects.create(
        project=first,
        kind=FundingKind.SELF_RAISED,
        fund_name="企业捐赠",
        amount=Decimal("500"),
    )
    assert _stored("fund", "企业捐赠") == Decimal("1000")
    _clean()


def test_a_project_moved_and_a_pairing_changed_move_the_figures(
    two_projects, make_organization, shaanxi_county
):
    first, second = two_projects
    first.pairing = second.pairing
    first.save()
    # both under 湖南省扶贫基金会 now: 1000 + 300
    by_org = rollup("organization")
    assert _row(by_org, "湖南省扶贫基金会")["produce_sold"] == Decimal("1300")
    assert _stored("organization", first.pairing.organization_id) == Decimal("1300")
    _clean()

    alliance = Alliance.objects.create(name="紫阳县合力团", county=shaanxi_county)
    pairing = second.pairing
    pairing.county = shaanxi_county
    pairing.alliance = alliance
    pairing.save()
    assert _stored("county", shaanxi_county.pk) == Decimal("1300")
    assert _stored("alliance", alliance.pk) == Decimal("1300")
    assert _stored("alliance", "__none__") is None
    assert _row(rollup("county"), "陕西省安康市紫阳县")["produce_sold"] == Decimal(
        "1300"
    )
    _clean()

    alliance.delete()  # the pairing is in no alliance any more
    assert _stored("alliance", "__none__") == Decimal("1300")
    assert _row(rollup("alliance"), "不在合力团中")["produce_sold"] == Decimal("1300")
    _clean()


def test_a_project_or_report_deleted_leaves_its_keys(two_projects):
    first, second = two_projects
    first.reports.get().delete()
    assert _stored("fund", "企业捐赠") is None
    assert rollup("county").total["produce_sold"] == Decimal("300")
    _clean()

    # a project is deleted only without reports (PROTECT): nothing left to move
    second.reports.all().delete()
    second.delete()
    assert OutcomeRollupTotal.objects.count() == 0
    _clean()


def test_every_dimension_agrees_with_the_path_over_per_project_totals(
    two_projects, make_user, make_report
):
    first, second = two_projects
    make_report(first, 2024, 1, {"beneficiaries": "55"})
    make_report(second, 2024, 1, {"produce_sold": "9"}, status=ReportStatus.DRAFT)
    coordinator = make_user("everywhere", roles.COORDINATOR)
    for project in (first, second):
        project.pairing.coordinators.add(coordinator)
    for dimension in ("county", "organization", "alliance", "fund", "year"):
        for year in (None, 2023, 2024):
            for official in (True, False):
                stored = rollup(dimension, year=year, official=official)
                scoped = rollup(
                    dimension, user=coordinator, year=year, official=official
                )
                assert stored.values() == scoped.values(), (dimension, year)
                assert stored.total == scoped.total, (dimension, year)
    # beneficiaries, cumulative: latest of each project over all years, 55 + 7
    assert rollup("county").total["beneficiaries"] == Decimal("62")
    assert rollup("county", year=2023).total["beneficiaries"] == Decimal("47")


def test_verify_reports_a_dimension_row_changed_by_hand(two_projects, capsys):
    first, _second = two_projects
    county = first.pairing.county_id
    OutcomeRollupTotal.objects.filter(
        dimension="county", key=str(county), indicator__code="produce_sold"
    ).update(value_sum=Decimal("9999"))

    with pytest.raises(CommandError) as raised:
        call_command("verify_rollups")

    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "9999.00" in line)
    assert "county" in line
    assert f" {county}" in line
    assert "value_sum=1300.00" in line

    rollup_totals_rebuild()
    call_command("verify_rollups")
    assert _stored("county", county) == Decimal("1300")
    assert Region.objects.filter(pk=county).exists()


def test_organizations_are_paged_by_name_and_the_total_covers_all(
    two_projects, make_user
):
    first, second = two_projects
    coordinator = make_user("everywhere", roles.COORDINATOR)
    for project in (first, second):
        project.pairing.coordinators.add(coordinator)
    for user in (None, coordinator):  # stored rows; per-project totals
        pages = [
            rollup("organization", user=user, page=number, per_page=1)
            for number in (1, 2)
        ]
        assert [[r["label"] for r in p.rows.to_dict("records")] for p in pages] == [
            ["湖南省慈善协会"],
            ["湖南省扶贫基金会"],
        ]
        assert pages[1].rows.to_dict("records")[0]["produce_sold"] == Decimal("300")
        assert pages[0].page.paginator.num_pages == 2
        # the total row is of both organizations: 1000 + 300
        assert pages[0].total["produce_sold"] == Decimal("1300")
        assert pages[0].total["projects"] == 2


def test_the_screen_pages_organizations_and_exports_all(
    two_projects, client_for, monkeypatch
):
    monkeypatch.setattr("projects.selectors.rollups.ROWS_PER_PAGE", 1)
    client = client_for(roles.ADMINISTRATOR)
    url = reverse("projects_rollup")

    page = client.get(url, {"by": "organization", "page": "2"}).content.decode()

    official = page[page.index('id="rollup-official"') :]
    assert "湖南省扶贫基金会" in official
    assert "湖南省慈善协会" not in official
    assert 'data-testid="rollup-pages"' in page
    assert "by=organization&amp;page=1" in page
    export = client.get(url, {"by": "organization", "page": "2", "export": "xlsx"})
    sheet = pd.read_excel(io.BytesIO(export.content))
    assert sheet.iloc[:, 0].tolist() == ["湖南省慈善协会", "湖南省扶贫基金会", "合计"]
