"""Hand-built screens with a Wagtail date field load the date picker's script: the
field calls `initDateChooser(…)` inline, and without the form's media on the page
that call failed ("initDateChooser is not defined", seen walking the registrar's
dormant-case step, spot-check result and credit-publication screens in Chromium)
and no calendar opened. Each screen here holds the field and its script."""

import datetime

import pytest
from django.urls import reverse

from core import roles
from incubator.choices import DormantStatus
from incubator.models import DormantCase
from incubator.services.dormant import dormant_campaign_open
from incubator.services.spotchecks import spotcheck_campaign_draw
from tests.funding.test_finance_desk import world  # noqa: F401 - fixture
from tests.incubator.test_spotcheck_draw import province_scope  # noqa: F401

SCRIPT = "wagtailadmin/js/date-time-chooser.js"


def _calls_and_loads_the_picker(response):
    html = response.content.decode()
    assert response.status_code == 200
    assert "initDateChooser(" in html
    # the script defining it is loaded before the field calls it
    assert SCRIPT in html
    assert html.index(SCRIPT) < html.index("initDateChooser(")


@pytest.mark.django_db
def test_dormant_case_step_date(bulk_organizations, client_for):
    client = client_for(roles.REGISTRAR, "registrar_walk")
    campaign = dormant_campaign_open(
        title="2026年僵尸型社会组织专项清理", user=client.user
    )
    [organization] = bulk_organizations(1)
    case = DormantCase.objects.create(
        campaign=campaign,
        organization=organization,
        status=DormantStatus.FOUND,
        found_on=datetime.date(2026, 10, 2),
        changed_on=datetime.date(2026, 10, 2),
    )

    _calls_and_loads_the_picker(
        client.get(reverse("incubator_dormant_step", args=[case.pk]))
    )


def test_spot_check_result_dates(province_scope, client):  # noqa: F811
    campaign, _orgs, user = province_scope
    spotcheck_campaign_draw(campaign=campaign, user=user)
    check = campaign.checks.order_by("position").first()
    client.force_login(user)

    _calls_and_loads_the_picker(
        client.get(reverse("incubator_spotcheck_result", args=[check.pk]))
    )


@pytest.mark.django_db
def test_credit_publication_day(client_for):
    client = client_for(roles.REGISTRAR, "registrar_credit")

    _calls_and_loads_the_picker(client.get(reverse("incubator_credit_publication")))


def test_finance_pay_date(world, client_for):  # noqa: F811
    finance = client_for(roles.FINANCE, "cashier")

    _calls_and_loads_the_picker(
        finance.get(f"/admin/funding/payments/pay/?payments=award-{world.d1.pk}")
    )
