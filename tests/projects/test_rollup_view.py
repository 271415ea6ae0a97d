"""The figures screen: official and pending tables, the chart's numbers, Excel export."""

import io
import json
import re

import pandas as pd
import pytest
from django.urls import reverse

from core import roles
from projects.choices import ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(client_for, make_pairing, make_project, make_report, make_organization):
    client = client_for(roles.COORDINATOR)
    pairing = make_pairing(
        make_organization(name="湖南省青少年发展基金会"), coordinators=[client.user]
    )
    project = make_project(pairing=pairing, budget="1200000")
    make_report(project, 2023, 1, {"produce_sold": "1850000", "beneficiaries": "620"})
    make_report(project, 2023, 2, {"produce_sold": "2260000", "beneficiaries": "980"})
    make_report(
        project, 2024, 1, {"produce_sold": "2410000"}, status=ReportStatus.SUBMITTED
    )
    other = make_project(pairing=make_pairing(make_organization(name="别人的组织")))
    make_report(other, 2023, 1, {"produce_sold": "999"})
    return client


def test_table_shows_official_and_pending_figures(figures):
    page = figures.get(reverse("projects_rollup"), {"by": "county"}).content.decode()

    official = page[
        page.index('id="rollup-official"') : page.index('id="rollup-pending"')
    ]
    assert "湖南省湘西土家族苗族自治州永顺县" in official
    assert "4,110,000" in official  # 1,850,000 + 2,260,000
    assert "980" in official  # cumulative: latest value, not 1,600
    assert "1,600" not in official
    pending = page[page.index('id="rollup-pending"') :]
    assert "2,410,000" in pending
    # the other coordinator's 999 is nowhere
    assert ">999<" not in page


def test_chart_carries_the_same_numbers(figures):
    page = figures.get(
        reverse("projects_rollup"), {"by": "organization", "chart": "produce_sold"}
    ).content.decode()

    data = re.search(
        r'<script id="rollup-chart-data" type="application/json">(.*?)</script>',
        page,
        re.S,
    ).group(1)
    chart = json.loads(data)
    assert chart["labels"] == ["湖南省青少年发展基金会"]
    assert chart["values"] == [4110000.0]
    assert "core/js/echarts.min.js" in page


def test_excel_export_has_chinese_headers(figures):
    response = figures.get(
        reverse("projects_rollup"), {"by": "county", "year": "2023", "export": "xlsx"}
    )

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    frame = pd.read_excel(io.BytesIO(response.content))
    assert list(frame.columns[:3]) == ["县（区）", "项目数", "预算（元）"]
    assert "销售农产品金额（元）" in frame.columns
    assert frame["销售农产品金额（元）"].tolist() == [4110000, 4110000]  # row, total
    assert frame.iloc[-1, 0] == "合计"


@pytest.mark.parametrize("by", ["county", "organization", "alliance", "fund", "year"])
def test_every_dimension_renders(figures, by):
    response = figures.get(reverse("projects_rollup"), {"by": by})
    assert response.status_code == 200
