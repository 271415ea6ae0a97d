"""Targets computed live from the data, with hand-worked numbers for each metric
(incubator.selectors.metrics, funding.selectors.metrics) and the board."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core import roles
from core.models import Region
from incubator.choices import (
    CreditList,
    InspectionResult,
    PartyOrganization,
    RegistrationStatus,
)
from incubator.models import AnnualInspection, CreditEntry, Target
from incubator.selectors.metric_registry import METRICS, share
from incubator.selectors.targets import metric_point, target_trend

D = datetime.date
END_2023 = D(2023, 12, 31)
END_2024 = D(2024, 12, 31)


def count(key, on, region=None):
    return METRICS[key].count(on=on, region=region)


def test_share_is_rounded_half_up_to_two_decimals():
    assert share(2, 3) == Decimal("66.67")
    assert share(1, 8) == Decimal("12.50")  # 12.5 exactly
    assert share(1, 200) == Decimal("0.50")
    assert share(0, 0) is None


def test_the_registry_has_the_four_metrics():
    assert {"rated_3a", "purchases_social", "sound_governance", "party_coverage"} <= (
        set(METRICS)
    )


def test_rated_3a_counts_ratings_in_force_on_the_day(make_organization):
    # A 5A (2022), B 3A (2024), C 2A (2023), D 1A valid to 2023-12-31, E unrated,
    # G 4A but deregistered
    make_organization(rating="5A", rated_on=D(2022, 6, 1))
    make_organization(rating="3A", rated_on=D(2024, 3, 1))
    make_organization(rating="2A", rated_on=D(2023, 5, 1))
    make_organization(
        rating="1A", rated_on=D(2019, 1, 1), rating_valid_until=D(2023, 12, 31)
    )
    make_organization()
    make_organization(
        rating="4A",
        rated_on=D(2022, 1, 1),
        registration_status=RegistrationStatus.DEREGISTERED,
    )
    # 2024-12-31: rated A, B, C; 3A+ A, B → 2/3 = 66.67%
    assert count("rated_3a", END_2024) == (2, 3)
    # 2023-12-31: rated A, C, D (B not yet); 3A+ A → 1/3 = 33.33%
    assert count("rated_3a", END_2023) == (1, 3)


def test_rated_3a_within_a_region(make_organization):
    shaanxi = Region.objects.get(code="610102")
    make_organization(rating="5A", rated_on=D(2022, 6, 1))
    make_organization(rating="2A", rated_on=D(2022, 6, 1))
    make_organization(rating="4A", rated_on=D(2022, 6, 1), region=shaanxi)
    hunan = Region.objects.get(code="430000")
    assert count("rated_3a", END_2024) == (2, 3)
    assert count("rated_3a", END_2024, hunan) == (1, 2)  # 50%
    assert count("rated_3a", END_2024, Region.objects.get(code="610000")) == (1, 1)


def test_sound_governance_is_a_passed_latest_inspection_and_no_credit_list(
    make_organization,
):
    p = make_organization()  # 2023 passed, no list: sound
    q = make_organization()  # 2023 passed, 2024 basically passed: not sound
    r = make_organization()  # 2023 passed, abnormal list since 2024-06-01: not
    make_organization()  # never inspected: not sound
    t = make_organization()  # 2022 passed, listed 2023-01-01 to 2024-03-01: sound
    for org, year, result in [
        (p, 2023, InspectionResult.PASSED),
        (q, 2023, InspectionResult.PASSED),
        (q, 2024, InspectionResult.BASICALLY_PASSED),
        (r, 2023, InspectionResult.PASSED),
        (t, 2022, InspectionResult.PASSED),
    ]:
        AnnualInspection.objects.create(organization=org, year=year, result=result)
    CreditEntry.objects.create(
        organization=r,
        list_type=CreditList.ABNORMAL,
        reason="未按时年报",
        date_in=D(2024, 6, 1),
    )
    CreditEntry.objects.create(
        organization=t,
        list_type=CreditList.SERIOUS_DISHONESTY,
        reason="虚假材料",
        date_in=D(2023, 1, 1),
        date_out=D(2024, 3, 1),
    )
    # 2024-12-31: P and T of 5 → 40.00%
    assert count("sound_governance", END_2024) == (2, 5)
    # 2023-12-31: P, Q, R passed 2023 and unlisted; T listed → 3 of 5 = 60.00%
    assert count("sound_governance", END_2023) == (3, 5)


def test_party_coverage_counts_every_kind_of_branch(make_organization):
    make_organization(party_organization=PartyOrganization.INDEPENDENT)
    make_organization(party_organization=PartyOrganization.INDEPENDENT)
    make_organization(party_organization=PartyOrganization.JOINT)
    make_organization()
    make_organization()
    make_organization(
        party_organization=PartyOrganization.FUNCTIONAL,
        registration_status=RegistrationStatus.REVOKED,
    )
    make_organization(
        party_organization=PartyOrganization.FUNCTIONAL, founded_on=D(2025, 6, 1)
    )
    # 2024-12-31: 3 of 5 in force (the revoked and the one founded 2025 are not)
    assert count("party_coverage", END_2024) == (3, 5)
    assert share(3, 5) == Decimal("60.00")


def test_purchase_share_is_by_contract_amount_of_the_year(make_purchase):
    make_purchase(
        amount=Decimal("300000"),
        signed_on=D(2024, 2, 1),
        schedule=((Decimal("300000"), True),),
    )
    make_purchase(
        amount=Decimal("200000"),
        signed_on=D(2024, 9, 1),
        schedule=((Decimal("200000"), True),),
    )
    make_purchase(
        amount=Decimal("600000"),
        signed_on=D(2024, 5, 1),
        supplier_kind="enterprise",
        supplier_name="某物业公司",
        schedule=((Decimal("600000"), True),),
    )
    make_purchase(
        amount=Decimal("100000"),
        signed_on=D(2023, 5, 1),
        schedule=((Decimal("100000"), True),),
    )
    social, total = count("purchases_social", END_2024)
    # 500,000 of 1,100,000 yuan → 45.45%
    assert (social, total) == (Decimal("500000"), Decimal("1100000"))
    assert share(social, total) == Decimal("45.45")
    # to 2024-06-30: 300,000 of 900,000 → 33.33%
    assert share(*count("purchases_social", D(2024, 6, 30))) == Decimal("33.33")
    assert count("purchases_social", END_2023) == (Decimal("100000"),) * 2


def _target(**fields):
    defaults = {
        "name": "3A以上社会组织占比",
        "department": "内蒙古自治区民政厅",
        "metric": "rated_3a",
        "comparison": "ge",
        "threshold": Decimal("80"),
        "deadline": D(2025, 12, 31),
        "from_year": 2023,
    }
    defaults.update(fields)
    target = Target(**defaults)
    target.full_clean()
    target.save()
    return target


def test_a_target_is_met_by_its_comparison(db):
    at_least = _target(threshold=Decimal("80"))
    assert at_least.is_met(Decimal("80.00")) is True
    assert at_least.is_met(Decimal("79.99")) is False
    at_most = _target(comparison="le", threshold=Decimal("5"))
    assert at_most.is_met(Decimal("5.00")) is True
    assert at_most.is_met(Decimal("5.01")) is False
    assert at_least.is_met(None) is None


def test_the_trend_runs_from_the_first_year_to_the_deadline(make_organization):
    make_organization(rating="5A", rated_on=D(2022, 6, 1))
    make_organization(rating="3A", rated_on=D(2024, 3, 1))
    make_organization(rating="2A", rated_on=D(2023, 5, 1))
    target = _target(deadline=D(2024, 12, 31))
    trend = target_trend(target, today=D(2026, 1, 10))
    # 2023: A, C rated; A 3A+ → 50.00%; 2024: 2 of 3 → 66.67%
    assert [(p.year, p.value, p.met) for p in trend] == [
        (2023, Decimal("50.00"), False),
        (2024, Decimal("66.67"), False),
    ]
    # this year counted to today
    point = metric_point(target, D(2024, 6, 30))
    assert (point.numerator, point.denominator, point.value) == (2, 3, Decimal("66.67"))


def test_the_trend_year_before_the_deadline_stops_today(db):
    target = _target(deadline=D(2030, 12, 31), from_year=2024)
    trend = target_trend(target, today=D(2025, 3, 1))
    assert [p.year for p in trend] == [2024, 2025]
    assert trend[0].value is None  # no rated organization: no value


def test_the_first_year_cannot_be_after_the_deadline(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        _target(from_year=2026, deadline=D(2025, 12, 31))
    assert "from_year" in exc.value.message_dict


def test_the_registrar_sees_the_board_with_the_trend_table(
    make_organization, client_for
):
    make_organization(rating="5A", rated_on=D(2022, 6, 1))
    make_organization(rating="3A", rated_on=D(2024, 3, 1))
    make_organization(rating="2A", rated_on=D(2023, 5, 1))
    target = _target(deadline=D(2024, 12, 31))
    client = client_for(roles.REGISTRAR)
    response = client.get(reverse("incubator_targets_board"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3A以上社会组织占比" in html
    assert "内蒙古自治区民政厅" in html
    assert 'data-year="2023"><td>2023</td><td>1</td><td>2</td><td>50.00</td>' in html
    assert 'data-year="2024"><td>2024</td><td>2</td><td>3</td><td>66.67</td>' in html
    assert reverse("wagtailsnippets_incubator_target:edit", args=[target.pk]) in html
    assert "工作目标" in html or "目标" in html


def test_the_fund_manager_reads_the_board_but_cannot_edit(db, client_for):
    target = _target()
    client = client_for(roles.FUND_MANAGER)
    html = client.get(reverse("incubator_targets_board")).content.decode()
    assert target.name in html
    edit = reverse("wagtailsnippets_incubator_target:edit", args=[target.pk])
    assert edit not in html
    response = client.get(edit)
    assert response.status_code == 302  # refused: back to the dashboard


def test_the_registrar_sets_a_target_through_the_admin(db, client_for):
    client = client_for(roles.REGISTRAR)
    response = client.post(
        reverse("wagtailsnippets_incubator_target:add"),
        {
            "name": "党组织覆盖率",
            "department": "安徽省民政厅",
            "metric": "party_coverage",
            "comparison": "ge",
            "threshold": "55",
            "deadline": "2025-12-31",
            "from_year": "2022",
            "source": "",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.metric, target.threshold) == ("party_coverage", Decimal("55.00"))
    assert target.history.count() == 1


def test_the_operator_does_not_reach_the_board(db, client_for):
    client = client_for(roles.OPERATOR)
    response = client.get(reverse("incubator_targets_board"))
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == reverse("wagtailadmin_home")
