"""The figures screen as its reader sees it: money with two decimals and
thousands separators, the headline budget separated too, and the filter bar
wrapping on a phone instead of pushing 查看 and 导出 Excel out of the window."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client_for, make_pairing, make_project, make_report, make_organization):
    client = client_for(roles.COORDINATOR)
    pairing = make_pairing(
        make_organization(name="永顺县莓茶产业发展协会"), coordinators=[client.user]
    )
    project = make_project(pairing=pairing, budget="600000")
    make_report(project, 2023, 1, {"produce_sold": "1250000"})
    make_report(project, 2024, 1, {"produce_sold": "980000.5", "beneficiaries": "350"})
    return client.get(reverse("projects_rollup"), {"year": "2024"}).content.decode()


def test_money_keeps_its_cents(page):
    official = page[page.index('id="rollup-official"') :]
    assert "980,000.50" in official
    assert "980,000.5<" not in official
    assert ">350<" in official


def test_the_headline_budget_is_separated(page):
    assert "预算 60.00 万元" in page  # a summary states money in 万元


def test_the_filter_bar_wraps(page):
    form = re.search(r"<form[^>]*rollup-filters[^>]*>", page).group(0)
    assert "filter-form" in form.split('class="')[1].split('"')[0].split()
    css = (Path(settings.BASE_DIR) / "core/static/core/css/admin.css").read_text()
    rule = re.search(r"\.filter-form \{([^}]*)\}", css).group(1)
    assert "display: flex" in rule and "flex-wrap: wrap" in rule
