"""Roll-up rules on hand-worked numbers: sums, cumulative latest values, ratios of
sums, approved-only totals, and projects with several funds counted once."""

from decimal import Decimal

import pytest

from projects.choices import ReportStatus
from projects.models import Alliance
from projects.selectors.rollups import rollup

pytestmark = pytest.mark.django_db


def _row(result, label):
    rows = result.rows.to_dict("records")
    return next(r for r in rows if r["label"] == label)


def test_summed_indicator_adds_every_approved_period(make_project, make_report):
    project = make_project()
    make_report(project, 2023, 1, {"produce_sold": "1000"})
    make_report(project, 2023, 2, {"produce_sold": "2500"})
    make_report(project, 2024, 1, {"produce_sold": "700"})

    result = rollup("county")

    # 1000 + 2500 + 700 = 4200
    assert result.total["produce_sold"] == Decimal("4200")
    assert _row(result, "湖南省湘西土家族苗族自治州永顺县")["produce_sold"] == Decimal(
        "4200"
    )


def test_unapproved_reports_are_left_out_and_shown_as_pending(
    make_project, make_report
):
    project = make_project()
    make_report(project, 2023, 1, {"produce_sold": "1000"})
    make_report(
        project, 2023, 2, {"produce_sold": "400"}, status=ReportStatus.SUBMITTED
    )
    make_report(project, 2024, 1, {"produce_sold": "90"}, status=ReportStatus.DRAFT)
    make_report(project, 2024, 2, {"produce_sold": "5"}, status=ReportStatus.RETURNED)

    assert rollup("county").total["produce_sold"] == Decimal("1000")
    # pending: 400 + 90 + 5 = 495
    assert rollup("county", official=False).total["produce_sold"] == Decimal("495")


def test_cumulative_indicator_takes_latest_value_never_the_sum(
    make_project, make_report
):
    first = make_project()
    second = make_project(pairing=first.pairing)
    # running totals of people helped: 100 → 250 → 400 (latest 400, not 750)
    make_report(first, 2023, 1, {"beneficiaries": "100"})
    make_report(first, 2023, 2, {"beneficiaries": "250"})
    make_report(first, 2024, 1, {"beneficiaries": "400"})
    # second project: 60 → 90, and an unapproved 500 that must not count
    make_report(second, 2023, 1, {"beneficiaries": "60"})
    make_report(second, 2023, 2, {"beneficiaries": "90"})
    make_report(
        second, 2024, 1, {"beneficiaries": "500"}, status=ReportStatus.SUBMITTED
    )

    result = rollup("county")
    # 400 + 90 = 490
    assert result.total["beneficiaries"] == Decimal("490")

    by_year = rollup("year")
    # 2023: latest of each project within 2023: 250 + 90 = 340; 2024: 400 only
    assert _row(by_year, "2023")["beneficiaries"] == Decimal("340")
    assert _row(by_year, "2024")["beneficiaries"] == Decimal("400")
    # the total over years is still the latest values, not 340 + 400
    assert by_year.total["beneficiaries"] == Decimal("490")


def test_ratio_recombines_numerators_and_denominators(make_project, make_report):
    first = make_project()
    second = make_project(pairing=first.pairing)
    # 1 of 2 households (50%) and 30 of 100 (30%):
    # the ratio is (1 + 30) / (2 + 100) = 31 / 102 = 30.39%, not (50 + 30) / 2 = 40%
    make_report(first, 2023, 1, {"poor_household_coverage": ("1", "2")})
    make_report(second, 2023, 1, {"poor_household_coverage": ("30", "100")})

    result = rollup("county")
    assert result.total["poor_household_coverage"] == Decimal("30.39")


def test_ratio_over_periods_sums_parts(make_project, make_report):
    project = make_project()
    make_report(project, 2023, 1, {"poor_household_coverage": ("45", "50")})  # 90%
    make_report(project, 2023, 2, {"poor_household_coverage": ("10", "50")})  # 20%
    # (45 + 10) / (50 + 50) = 55%
    assert rollup("county").total["poor_household_coverage"] == Decimal("55.00")


def test_project_with_several_funds_counted_once_in_total(make_project, make_report):
    both = make_project(funds=[("湖南省慈善总会自筹", "60000"), ("企业捐赠", "40000")])
    single = make_project(pairing=both.pairing, funds=[("企业捐赠", "10000")])
    make_report(both, 2023, 1, {"produce_sold": "1000"})
    make_report(single, 2023, 1, {"produce_sold": "300"})

    result = rollup("fund")

    charity = _row(result, "湖南省慈善总会自筹")
    donors = _row(result, "企业捐赠")
    assert charity["produce_sold"] == Decimal("1000")
    assert charity["projects"] == 1
    assert charity["money"] == Decimal("60000")
    # both projects took money from 企业捐赠: 1000 + 300
    assert donors["produce_sold"] == Decimal("1300")
    assert donors["projects"] == 2
    assert donors["money"] == Decimal("50000")
    # rows add up to 2300, but each project counts once: 1000 + 300 = 1300
    assert result.total["produce_sold"] == Decimal("1300")
    assert result.total["projects"] == 2
    assert result.total["money"] == Decimal("110000")


def test_two_links_to_the_same_fund_count_the_project_once(make_project, make_report):
    """Two grants from one fund (two tranches' links, say): the project's figures
    count once in that fund's row, while its money is all of both links."""
    twice = make_project(funds=[("福彩公益金", "30000"), ("福彩公益金", "20000")])
    make_report(twice, 2023, 1, {"produce_sold": "800", "beneficiaries": "40"})

    lottery = _row(rollup("fund"), "福彩公益金")

    assert lottery["produce_sold"] == Decimal("800")
    assert lottery["beneficiaries"] == Decimal("40")
    assert lottery["projects"] == 1
    assert lottery["money"] == Decimal("50000")


def test_project_without_funding_has_a_row_of_its_own(make_project, make_report):
    funded = make_project(funds=[("企业捐赠", "10000")])
    unfunded = make_project(pairing=funded.pairing)
    make_report(funded, 2023, 1, {"produce_sold": "300"})
    make_report(unfunded, 2023, 1, {"produce_sold": "70"})

    result = rollup("fund")

    assert _row(result, "未登记资金来源")["produce_sold"] == Decimal("70")
    assert _row(result, "企业捐赠")["produce_sold"] == Decimal("300")
    assert result.total["produce_sold"] == Decimal("370")


def test_rollup_by_organization_and_alliance(
    make_organization, make_pairing, make_project, make_report, shaanxi_county
):
    alliance = Alliance.objects.create(
        name="紫阳县社会组织帮扶合力团", county=shaanxi_county
    )
    first_org = make_organization(name="陕西省慈善协会")
    second_org = make_organization(name="陕西省扶贫开发基金会")
    a = make_project(
        pairing=make_pairing(first_org, shaanxi_county, alliance=alliance),
        budget=Decimal("300000"),
    )
    b = make_project(
        pairing=make_pairing(second_org, shaanxi_county, alliance=alliance),
        budget=Decimal("800000"),
    )
    outside = make_project(budget=Decimal("50000"))
    make_report(a, 2023, 1, {"jobs": "20", "trainings": "6"})
    make_report(a, 2023, 2, {"jobs": "14"})
    make_report(b, 2023, 1, {"jobs": "22"})
    make_report(outside, 2023, 1, {"jobs": "5"})

    by_org = rollup("organization")
    assert _row(by_org, "陕西省慈善协会")["jobs"] == Decimal("34")  # 20 + 14
    assert _row(by_org, "陕西省扶贫开发基金会")["jobs"] == Decimal("22")

    by_alliance = rollup("alliance")
    row = _row(by_alliance, "紫阳县社会组织帮扶合力团")
    assert row["jobs"] == Decimal("56")  # 34 + 22
    assert row["projects"] == 2
    assert row["money"] == Decimal("1100000")  # 300000 + 800000
    assert _row(by_alliance, "不在合力团中")["jobs"] == Decimal("5")
    assert by_alliance.total["jobs"] == Decimal("61")


def test_year_filter_limits_periods(make_project, make_report):
    project = make_project()
    make_report(project, 2023, 1, {"produce_sold": "1000"})
    make_report(project, 2024, 1, {"produce_sold": "700"})
    make_report(project, 2024, 2, {"produce_sold": "300"})
    assert rollup("county", year=2024).total["produce_sold"] == Decimal("1000")


def test_coordinator_rollup_covers_only_their_pairings(
    make_user, make_pairing, make_project, make_report
):
    from core import roles

    mine = make_user("mine", roles.COORDINATOR)
    my_project = make_project(pairing=make_pairing(coordinators=[mine]))
    other_project = make_project()
    make_report(my_project, 2023, 1, {"produce_sold": "1000"})
    make_report(other_project, 2023, 1, {"produce_sold": "9999"})

    assert rollup("county", user=mine).total["produce_sold"] == Decimal("1000")
    assert rollup("county").total["produce_sold"] == Decimal("10999")


@pytest.mark.parametrize("by", ["county", "organization", "alliance", "fund", "year"])
def test_rollup_without_any_reports(by, indicators):
    result = rollup(by)
    assert result.rows.empty
    assert result.total["projects"] == 0
    assert result.total.get("produce_sold") is None
    assert result.to_excel()  # still a valid workbook with the headings


def test_targets_follow_the_same_rules(make_project, make_report):
    first = make_project()
    second = make_project(pairing=first.pairing)
    make_report(
        first,
        2023,
        1,
        {"jobs": "8", "beneficiaries": "100", "poor_household_coverage": ("40", "50")},
        targets={"jobs": "10", "beneficiaries": "120", "poor_household_coverage": "90"},
    )
    make_report(
        first,
        2023,
        2,
        {"jobs": "5", "beneficiaries": "260"},
        targets={"jobs": "6", "beneficiaries": "300"},
    )
    make_report(
        second,
        2023,
        1,
        {"jobs": None, "poor_household_coverage": ("10", "150")},
        targets={"jobs": "4", "poor_household_coverage": "10"},
    )

    total = rollup("county").total
    # summed: actual 8 + 5 = 13; target 10 + 6 + 4 = 20 (a target without an actual
    # still counts as a target)
    assert total["jobs"] == Decimal("13")
    assert total["jobs__target"] == Decimal("20")
    # cumulative: latest actual 260 and latest target 300, not 360 / 420
    assert total["beneficiaries"] == Decimal("260")
    assert total["beneficiaries__target"] == Decimal("300")
    # ratio: actual (40 + 10) / (50 + 150) = 25%; target weighted by the households:
    # (90% × 50 + 10% × 150) / (50 + 150) = (45 + 15) / 200 = 30%, not (90 + 10) / 2
    assert total["poor_household_coverage"] == Decimal("25.00")
    assert total["poor_household_coverage__target"] == Decimal("30.00")


def test_target_columns_only_where_targets_exist(make_project, make_report):
    project = make_project()
    make_report(
        project, 2023, 1, {"jobs": "8", "trainings": "2"}, targets={"jobs": "10"}
    )
    headings = [h for _c, h in rollup("county").columns()]
    assert "带动就业岗位（个）目标值" in headings
    assert not any(h.startswith("开展培训场次") and "目标" in h for h in headings)
