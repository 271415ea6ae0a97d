"""Dormant organizations (僵尸型社会组织): who is listed, the moves of a case, and the
progress of a clean-up with Anhui's figures."""

import datetime

import pytest

from incubator.choices import DormantStatus, RegistrationStatus
from incubator.errors import SupervisionError
from incubator.models import DormantCase, InspectionCampaign
from incubator.selectors.dormant import (
    campaign_progress,
    dormant_organizations,
    missed_streaks,
    progress_of,
)
from incubator.services.dormant import (
    dormant_campaign_open,
    dormant_case_step,
    dormant_cases_list,
)
from incubator.services.inspections import inspection_campaign_close

pytestmark = pytest.mark.django_db

D = DormantStatus


def test_a_streak_is_consecutive_years_ending_with_the_latest_campaign():
    missed = {(1, 2022), (1, 2023), (2, 2023), (3, 2021), (3, 2022), (4, 2023)}
    # 1: 2022 and 2023; 2: 2023 only; 3: not in the latest year → no streak
    streaks = missed_streaks([2021, 2022, 2023], missed)
    assert streaks == {1: [2022, 2023], 2: [2023], 4: [2023]}
    # no campaign in 2022: 2021 and 2023 are not consecutive
    assert missed_streaks([2021, 2023], {(5, 2021), (5, 2023)}) == {5: [2023]}


@pytest.fixture
def three_years(bulk_organizations, open_campaign, submit_reports, make_user):
    """Organizations a–e over the closed campaigns 2022, 2023 and the open 2024:
    a misses 2022 and 2023 (dormant), b misses 2023 only, c misses 2022 only,
    d submits every year, e misses both but is already deregistered."""
    a, b, c, d, e = bulk_organizations(5)
    user = make_user("registrar", "registrar")
    reports = {2022: [b, d, e], 2023: [c, d], 2024: [a, b, c, d]}
    for year in (2022, 2023, 2024):
        campaign = open_campaign(year)
        submit_reports(campaign, reports[year])
        if year < 2024:
            inspection_campaign_close(campaign=campaign, user=user)
    e.registration_status = RegistrationStatus.DEREGISTERED
    e.save()
    return a, b, c, d, e, user


def test_dormant_means_two_consecutive_closed_years_without_inspection(three_years):
    a, b, c, d, e, _user = three_years
    assert dormant_organizations() == {a.pk: [2022, 2023]}
    # the open 2024 campaign does not count: a's 2024 report changes nothing yet
    assert InspectionCampaign.objects.get(year=2024).is_open


def test_listing_and_moving_a_case(three_years):
    a, *_rest, user = three_years
    campaign = dormant_campaign_open(
        title="2025年僵尸型社会组织专项清理",
        user=user,
        started_on=datetime.date(2025, 3, 1),
    )
    [case] = dormant_cases_list(campaign=campaign, user=user)
    assert (case.organization, case.missed_years, case.status) == (
        a,
        "2022、2023",
        D.FOUND,
    )
    # listed once: a second listing finds nobody new
    assert dormant_cases_list(campaign=campaign, user=user) == []

    with pytest.raises(SupervisionError, match="不能转为“整改完成”"):
        dormant_case_step(case=case, to_status=D.RECTIFIED, user=user)
    dormant_case_step(
        case=case, to_status=D.INTERVIEWED, user=user, note="负责人到场约谈"
    )
    dormant_case_step(case=case, to_status=D.RECTIFYING, user=user)
    with pytest.raises(SupervisionError, match="请说明终止登记的理由"):
        dormant_case_step(case=case, to_status=D.REVOKED, user=user)
    with pytest.raises(SupervisionError, match="不能晚于今天"):
        dormant_case_step(
            case=case,
            to_status=D.RECTIFIED,
            user=user,
            on=datetime.date.today() + datetime.timedelta(days=3),
        )
    dormant_case_step(
        case=case, to_status=D.REVOKED, user=user, note="逾期未整改，依法撤销登记"
    )
    case.refresh_from_db()
    a.refresh_from_db()
    assert case.status == D.REVOKED
    assert a.registration_status == RegistrationStatus.REVOKED
    assert [s.to_status for s in case.steps.all()] == [
        D.INTERVIEWED,
        D.RECTIFYING,
        D.REVOKED,
    ]
    with pytest.raises(SupervisionError, match="已办结"):
        dormant_case_step(case=case, to_status=D.RECTIFIED, user=user)


def test_anhui_3491_found_2627_done_864_in_progress(bulk_organizations, make_user):
    user = make_user("registrar", "registrar")
    campaign = dormant_campaign_open(title="安徽省僵尸型社会组织专项整治", user=user)
    organizations = bulk_organizations(3491)
    # done: 1,500 rectified + 800 deregistered + 327 revoked = 2,627
    # in progress: 300 listed + 264 interviewed + 300 rectifying = 864
    statuses = (
        [D.RECTIFIED] * 1500
        + [D.DEREGISTERED] * 800
        + [D.REVOKED] * 327
        + [D.FOUND] * 300
        + [D.INTERVIEWED] * 264
        + [D.RECTIFYING] * 300
    )
    today = datetime.date(2024, 12, 31)
    DormantCase.objects.bulk_create(
        DormantCase(
            campaign=campaign,
            organization=organization,
            status=status,
            found_on=today,
            changed_on=today,
        )
        for organization, status in zip(organizations, statuses, strict=True)
    )
    progress = campaign_progress(campaign)
    assert (progress.found, progress.done, progress.in_progress) == (3491, 2627, 864)
    assert progress.by_status["revoked"] == 327
    # 2,627 of 3,491 = 75.2506… % → 75.3 %
    assert str(progress.done_share) == "75.3"
    assert progress_of([]).found == 0
