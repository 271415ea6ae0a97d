"""Headline figures from the other apps (cms.selectors.figures PROVIDERS):
incubation, money awarded, projects and people helped, hand-counted from real records."""

import datetime
from decimal import Decimal

from django.utils import timezone

from cms.selectors import figures
from incubator.models import Residency, Stage
from projects.choices import ReportStatus


def _values():
    return {r.figure.key: r.value for r in figures.headline_figures()}


def _residency(base, org, stage, **dates):
    return Residency.objects.create(
        organization=org,
        base=base,
        stage=stage,
        applied_on=datetime.date(2020, 1, 1),
        **dates,
    )


def test_incubation_figures_hand_counted(make_base, make_organization):
    base = make_base()
    this_year = timezone.localdate().year
    # In incubation: entered, incubating, assessing → 3; applied is not yet in,
    # withdrawn is out.
    for stage in (Stage.ENTERED, Stage.INCUBATING, Stage.ASSESSING, Stage.APPLIED):
        _residency(base, make_organization(), stage)
    _residency(base, make_organization(), Stage.WITHDRAWN)
    # Graduated this year: 2; one graduated last year does not count.
    for year in (this_year, this_year, this_year - 1):
        _residency(
            base,
            make_organization(),
            Stage.GRADUATED,
            graduated_on=datetime.date(year, 1, 15),
        )
    values = _values()
    assert values["organizations_in_incubation"] == 3
    assert values["organizations_graduated_this_year"] == 2


def test_money_awarded_is_the_sum_of_approved_amounts(make_award):
    assert _values()["money_awarded"] == 0
    figures.figures_invalidate()
    make_award(Decimal("100000"))
    make_award(Decimal("250000"))
    # 100,000 + 250,000 = 350,000 yuan = 35 万元.
    assert _values()["money_awarded"] == 35


def test_people_helped_uses_approved_actuals_and_the_cumulative_rule(
    make_project, make_report
):
    a = make_project()
    b = make_project()
    make_project()  # no report yet: still a project
    # beneficiaries is cumulative: a's latest approved period (H2: 120) counts, not
    # 80 + 120; b's H1 approved 50; b's H2 (300) is only submitted → not counted.
    make_report(a, 2023, 1, {"beneficiaries": "80"})
    make_report(a, 2023, 2, {"beneficiaries": "120"})
    make_report(b, 2023, 1, {"beneficiaries": "50"})
    make_report(b, 2023, 2, {"beneficiaries": "300"}, status=ReportStatus.SUBMITTED)
    values = _values()
    assert values["projects"] == 3
    assert values["people_helped"] == 120 + 50


def test_home_page_shows_the_live_figures(client, cms_site, make_award):
    make_award(Decimal("123400"))
    response = client.get(cms_site["home"].url)
    html = response.content.decode()
    assert 'data-figure="money_awarded">12.34<' in html
    assert "获得资助金额" in html
    assert 'data-figure="organizations_in_incubation">0<' in html


def test_figures_dropped_when_a_residency_changes(make_base, make_organization):
    base = make_base()
    assert _values()["organizations_in_incubation"] == 0
    _residency(base, make_organization(), Stage.INCUBATING)
    assert _values()["organizations_in_incubation"] == 1


def _add(n, base, make_organization, make_project, make_report):
    for _i in range(n):
        _residency(base, make_organization(), Stage.INCUBATING)
        project = make_project()
        make_report(project, 2023, 1, {"beneficiaries": "10"})


def test_home_query_count_does_not_grow_with_the_data(
    client,
    cms_site,
    make_base,
    make_organization,
    make_project,
    make_report,
    django_assert_max_num_queries,
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    base = make_base()
    url = cms_site["home"].url

    def count():
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    _add(2, base, make_organization, make_project, make_report)
    small = count()
    _add(20, base, make_organization, make_project, make_report)
    cache.clear()
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert 'data-figure="people_helped">220<' in response.content.decode()
    assert count() == small
