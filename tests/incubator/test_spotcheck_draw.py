"""The spot-check draw (双随机、一公开): reproducible from its seed, counts per risk
group with hand-worked numbers, inspectors without conflicts, and the draw as a
campaign records it."""

import datetime
from decimal import Decimal

import pytest

from core.models import Region
from incubator.choices import CreditList, InspectionResult, RegistrationLevel
from incubator.errors import IncubationError
from incubator.models import AnnualInspection, CreditEntry, Inspector
from incubator.models import SpotCheckCampaign as Campaign
from incubator.selectors.spotcheck_draw import (
    DrawError,
    draw,
    group_count,
    risk_group_ids,
)
from incubator.services.spotchecks import spotcheck_campaign_draw

SEED = "5eed" * 8
TEN, TWENTY = Decimal("10"), Decimal("20")


def test_same_seed_gives_the_same_list_and_another_seed_another():
    candidates = list(range(1, 1701))
    risk = list(range(1, 101))
    first = draw(candidates, risk, seed=SEED, base_rate=TEN, risk_rate=TWENTY)
    again = draw(
        list(reversed(candidates)), risk, seed=SEED, base_rate=TEN, risk_rate=TWENTY
    )
    other = draw(candidates, risk, seed="1" * 32, base_rate=TEN, risk_rate=TWENTY)
    assert first.selection == again.selection  # the input order does not matter
    assert first.candidates_hash == again.candidates_hash
    assert other.selection != first.selection
    assert len(set(first.selection)) == len(first.selection)


def test_hunan_shape_counts_per_group():
    # 1,700 provincial organizations, 100 of them in the risk group:
    # risk 20 % of 100 = 20; others 10 % of 1,600 = 160; 20 + 160 = 180 (Hunan 2023)
    result = draw(
        range(1, 1701), range(1, 101), seed=SEED, base_rate=TEN, risk_rate=TWENTY
    )
    assert (result.risk_size, result.risk_count) == (100, 20)
    assert (result.other_size, result.other_count) == (1600, 160)
    assert len(result.selection) == 180
    assert result.risk_selected == set(result.selection[:20])
    assert all(i <= 100 for i in result.selection[:20])
    assert all(i > 100 for i in result.selection[20:])


@pytest.mark.parametrize(
    "rate,size,count",
    [
        ("10", 1700, 170),  # exact
        ("5", 1700, 85),  # Hunan before 2023
        ("3", 45, 2),  # Suzhou's 3 %: 1.35 rounds up
        ("3", 100, 3),
        ("10", 7, 1),  # 0.7 → 1
        ("20", 0, 0),  # an empty group draws nobody
        ("100", 4, 4),
        ("33.33", 3, 1),  # 0.9999 → 1
    ],
)
def test_group_count_rounds_up(rate, size, count):
    assert group_count(Decimal(rate), size) == count


def test_risk_group_is_any_of_the_three_sets_within_the_candidates():
    assert risk_group_ids(
        [1, 2, 3, 4, 5, 6],
        credit_listed={2, 99},
        failed_or_skipped={4},
        unrated={4, 6},
    ) == [2, 4, 6]


def test_inspectors_never_from_the_organizations_supervisor():
    pool = [(1, "省教育厅"), (2, "省民政厅"), (3, "省 教育厅"), (4, "省卫健委")]
    supervisors = dict.fromkeys(range(1, 21), "省教育厅")
    result = draw(
        range(1, 21),
        [],
        seed=SEED,
        base_rate=Decimal("100"),
        risk_rate=TEN,
        supervisors=supervisors,
        inspectors=pool,
        per_check=2,
    )
    assert len(result.selection) == 20
    for org_id in result.selection:
        assert result.inspectors[org_id] == [2, 4]  # 1 and 3 are the supervisor


def test_too_few_inspectors_without_conflict_is_refused():
    with pytest.raises(DrawError):
        draw(
            [1],
            [],
            seed=SEED,
            base_rate=Decimal("100"),
            risk_rate=TEN,
            supervisors={1: "省教育厅"},
            inspectors=[(1, "省教育厅"), (2, "省民政厅")],
            per_check=2,
        )


# --- the campaign's draw --------------------------------------------------------------


@pytest.fixture
def province_scope(make_organization, make_user):
    """Twelve provincial organizations of Hunan (one in Hubei, one at county
    level: out of scope); two in the risk group; four inspectors."""
    hunan = Region.objects.get(code="430111")
    hubei = Region.objects.filter(code__startswith="42", level=3).first()
    provincial = RegistrationLevel.PROVINCE
    today = datetime.date.today()
    orgs = [
        make_organization(
            registration_level=provincial,
            region=hunan,
            rating="4A",
            rated_on=today - datetime.timedelta(days=30),
            business_supervisor="湖南省教育厅" if n % 2 else "",
        )
        for n in range(12)
    ]
    make_organization(
        registration_level=provincial, region=hubei, rating="3A", rated_on=today
    )
    make_organization(region=hunan)
    CreditEntry.objects.create(
        organization=orgs[0],
        list_type=CreditList.ABNORMAL,
        reason="未按规定参加年检",
        date_in=today - datetime.timedelta(days=10),
    )
    AnnualInspection.objects.create(
        organization=orgs[1], year=today.year - 1, result=InspectionResult.FAILED
    )
    for name, unit in [
        ("检查员甲", "湖南省民政厅"),
        ("检查员乙", "湖南省民政厅"),
        ("检查员丙", "湖南省教育厅"),
        ("检查员丁", "湖南省财政厅"),
    ]:
        Inspector.objects.create(name=name, unit=unit)
    campaign = Campaign.objects.create(
        name="2026年省本级双随机抽查",
        year=today.year,
        scope_levels=[provincial],
        scope_region=Region.objects.get(code="430000"),
        base_rate=TEN,
        risk_rate=Decimal("50"),
    )
    return campaign, orgs, make_user("registrar_a", "registrar")


def test_the_campaign_records_its_draw(province_scope):
    campaign, orgs, user = province_scope
    spotcheck_campaign_draw(campaign=campaign, user=user, seed=SEED)
    campaign.refresh_from_db()
    # risk: orgs[0] (abnormal list), orgs[1] (failed last year) → 50 % of 2 = 1
    # others: 10 % of 10 = 1; 2 drawn in all
    assert campaign.candidates == sorted(o.pk for o in orgs)
    assert campaign.risk_ids == sorted([orgs[0].pk, orgs[1].pk])
    assert campaign.seed == SEED and campaign.status == "drawn"
    assert campaign.scope["region"] == "430000"
    checks = list(campaign.checks.order_by("position"))
    assert len(checks) == 2
    assert checks[0].in_risk_group and not checks[1].in_risk_group
    expected = draw(
        campaign.candidates,
        campaign.risk_ids,
        seed=SEED,
        base_rate=TEN,
        risk_rate=Decimal("50"),
    )
    assert [c.organization_id for c in checks] == expected.selection
    for check in checks:
        units = {i.unit for i in check.inspectors.all()}
        assert len(units) and check.inspectors.count() == 2
        if check.organization.business_supervisor:
            assert "湖南省教育厅" not in units
    assert campaign.history.count() == 2


def test_a_drawn_campaign_cannot_be_drawn_again(province_scope):
    campaign, _orgs, user = province_scope
    spotcheck_campaign_draw(campaign=campaign, user=user)
    campaign.refresh_from_db()
    assert len(campaign.seed) == 32  # secrets.token_hex(16)
    with pytest.raises(IncubationError, match="已经抽取过"):
        spotcheck_campaign_draw(campaign=campaign, user=user)
    assert campaign.checks.count() == 2
