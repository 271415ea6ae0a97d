"""Indicator frameworks (绩效评价指标体系): weights add up to 100 (refused with the
sum shown), the four first-level indicators, versions frozen once used."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core import roles
from funding.errors import FundingError
from funding.models.performance import IndicatorFramework
from funding.services.performance import (
    framework_frozen_refusal,
    framework_revise,
    framework_weights_refusal,
    indicator_evaluation_start,
)
from tests.support.performance import NATIONAL_INDICATORS, framework_make

pytestmark = pytest.mark.django_db


def _pairs(rows):
    return [(first, weight) for first, _s, _t, weight in rows]


def test_the_national_framework_adds_up_to_100():
    assert framework_weights_refusal(_pairs(NATIONAL_INDICATORS)) is None


def test_weights_that_do_not_add_up_to_100_are_refused_with_the_sum():
    rows = _pairs(NATIONAL_INDICATORS)
    rows[0] = ("decision", Decimal("9.5"))  # 100 - 10 + 9.5 = 99.5
    message = framework_weights_refusal(rows)
    assert "99.5" in message
    assert "100" in message
    rows[0] = ("decision", Decimal("15"))  # 105
    assert "105" in framework_weights_refusal(rows)


def test_each_first_level_indicator_is_needed():
    rows = [(first, w) for first, w in _pairs(NATIONAL_INDICATORS) if first != "effect"]
    rows.append(("output", Decimal("30")))  # still 100, but no 效益
    message = framework_weights_refusal(rows)
    assert "效益" in message


def _form_data(rows, **fields):
    data = {
        "department": "苏州市民政局",
        "name": "政府购买服务绩效评价指标",
        "description": "",
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "1",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for n, (first, second, third, weight) in enumerate(rows):
        data.update(
            {
                f"indicators-{n}-first_level": first,
                f"indicators-{n}-second_level": second,
                f"indicators-{n}-name": third,
                f"indicators-{n}-weight": str(weight),
                f"indicators-{n}-guidance": "",
                f"indicators-{n}-sort_order": str(n),
                f"indicators-{n}-ORDER": str(n),
                f"indicators-{n}-DELETE": "",
                f"indicators-{n}-id": "",
            }
        )
    data.update(fields)
    return data


def test_the_fund_manager_adds_a_framework_in_the_admin(client_for):
    client = client_for(roles.FUND_MANAGER)
    response = client.post(
        reverse("wagtailsnippets_funding_indicatorframework:add"),
        _form_data(NATIONAL_INDICATORS),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    framework = IndicatorFramework.objects.get()
    assert framework.version == 1
    assert framework.indicators.count() == 8
    assert framework.history.count() == 1


def test_the_admin_refuses_a_framework_of_99_5_points_and_says_so(client_for):
    rows = list(NATIONAL_INDICATORS)
    rows[0] = ("decision", "项目立项", "立项依据充分性", Decimal("9.5"))
    client = client_for(roles.FUND_MANAGER)
    response = client.post(
        reverse("wagtailsnippets_funding_indicatorframework:add"), _form_data(rows)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "各项指标权重合计为 99.5，必须合计为 100。" in html
    assert not IndicatorFramework.objects.exists()


def _used(framework, make_purchase, user):
    purchase = make_purchase()
    return indicator_evaluation_start(
        framework=framework,
        purchase=purchase,
        evaluated_on=datetime.date(2024, 1, 15),
        user=user,
    )


def test_a_used_version_is_frozen_and_revising_makes_version_2(
    make_purchase, make_user
):
    user = make_user("fm", roles.FUND_MANAGER)
    framework = framework_make()
    assert framework_frozen_refusal(framework) is None
    _used(framework, make_purchase, user)
    assert "版本 1" in framework_frozen_refusal(framework)

    revised = framework_revise(framework, user=user)
    assert (revised.version, revised.previous_id) == (2, framework.pk)
    assert [(i.name, i.weight) for i in revised.indicators.all()] == [
        (third, weight) for _f, _s, third, weight in NATIONAL_INDICATORS
    ]
    assert framework_frozen_refusal(revised) is None  # not used yet: editable
    # version 1 is revised once; revise the latest
    with pytest.raises(FundingError):
        framework_revise(framework, user=user)


def test_editing_a_used_version_in_the_admin_changes_nothing(
    make_purchase, make_user, client_for
):
    framework = framework_make()
    _used(framework, make_purchase, make_user("fm2", roles.FUND_MANAGER))
    client = client_for(roles.FUND_MANAGER)
    edit = reverse(
        "wagtailsnippets_funding_indicatorframework:edit", args=[framework.pk]
    )
    page = client.get(edit).content.decode()
    assert reverse("funding_framework_revise", args=[framework.pk]) in page
    data = _form_data(NATIONAL_INDICATORS, name="改过的名称")
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "冻结" in response.content.decode()
    framework.refresh_from_db()
    assert framework.name == "政府购买服务绩效评价指标"

    response = client.post(reverse("funding_framework_revise", args=[framework.pk]))
    revised = IndicatorFramework.objects.get(version=2)
    assert response["Location"] == reverse(
        "wagtailsnippets_funding_indicatorframework:edit", args=[revised.pk]
    )
