"""Amounts in the Chinese UI are grouped by thousands with commas, on the public
statistics page as on the roll-up screen: 1,250,000 元 of produce sold and
980,000.50 元, not "1250000" beside the screen's "1,250,000" (Django's own zh_Hans
formats have no thousands separator; config/formats/zh_Hans sets the comma)."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from cms.selectors import figures

pytestmark = pytest.mark.django_db


def test_the_statistics_page_groups_amounts(
    client, cms_site, make_project, make_report
):
    project = make_project(budget="600000")
    make_report(project, 2023, 1, {"produce_sold": "1250000"})
    make_report(project, 2024, 1, {"produce_sold": "980000.50"})
    figures.figures_invalidate()

    url = cms_site["statistics"].url
    for year, shown in (("2023", "1,250,000"), ("2024", "980,000.50")):
        page = client.get(url, {"year": year}).content.decode()
        cell = re.search(r'data-outcome="销售农产品金额">([^<]*)<', page)
        assert cell.group(1) == shown


def test_money_on_the_admin_desks_is_grouped():
    """Django's own grouping follows config/formats too (the screens print money
    through core/templatetags/money.py)."""
    template = Template('{{ amount|floatformat:"2g" }}')
    with translation.override("zh-hans"):
        assert template.render(Context({"amount": 1234567.5})) == "1,234,567.50"
