"""An indicator's aggregation rule and unit are fixed once
approved figures use it — switching 带动就业岗位 from sum to ratio turned the official
county total 346 into a blank. A different rule is a new indicator."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import roles
from projects.choices import Aggregation, ReportStatus
from projects.errors import ProjectsError
from projects.models import Indicator
from projects.selectors.rollups import rollup

pytestmark = pytest.mark.django_db

COUNTY = "湖南省湘西土家族苗族自治州永顺县"
FIXED = "已有审核通过的成效数据使用此指标（2 条），其汇总规则和单位已固定"


def _county(code):
    rows = rollup("county").rows.to_dict("records")
    return next(r for r in rows if r["label"] == COUNTY)[code]


def _form(indicator, **changes):
    data = {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "aggregation": indicator.aggregation,
        "group": indicator.group,
        "evidence_kind": indicator.evidence_kind,
        "evidence_note": indicator.evidence_note,
        "description": indicator.description,
        "sort_order": str(indicator.sort_order),
        "is_active": "on" if indicator.is_active else "",
    }
    data.update(changes)
    return data


@pytest.fixture
def jobs_346(make_project, make_report, indicators):
    # 200 + 146 = 346 jobs, approved; a draft 99 that does not count
    project = make_project()
    make_report(project, 2023, 1, {"jobs": "200"})
    make_report(project, 2023, 2, {"jobs": "146"})
    make_report(project, 2024, 1, {"jobs": "99"}, status=ReportStatus.DRAFT)
    assert _county("jobs") == Decimal("346")
    return indicators["jobs"]


def test_switching_sum_to_ratio_is_refused_on_every_path(jobs_346):
    jobs = Indicator.objects.get(pk=jobs_346.pk)
    jobs.aggregation = Aggregation.RATIO
    with pytest.raises(ValidationError) as exc:
        jobs.full_clean()
    assert FIXED in exc.value.message_dict["aggregation"][0]
    with pytest.raises(ProjectsError):
        jobs.save()  # scripts
    jobs = Indicator.objects.get(pk=jobs_346.pk)
    jobs.unit = "人"
    with pytest.raises(ProjectsError) as exc:
        jobs.save()
    assert FIXED in exc.value.message_dict["unit"][0]

    stored = Indicator.objects.get(pk=jobs_346.pk)
    assert (stored.aggregation, stored.unit) == (Aggregation.SUM, "个")
    assert _county("jobs") == Decimal("346")


def test_the_edit_screen_shows_the_fields_fixed_with_the_reason(jobs_346, client_for):
    client = client_for(roles.ADMINISTRATOR)
    url = reverse("wagtailsnippets_projects_indicator:edit", args=[jobs_346.pk])
    page = client.get(url).content.decode()
    assert FIXED in page
    assert (
        'name="aggregation" disabled' in page
        or "disabled" in page.split('name="aggregation"')[1].split(">")[0]
    )

    # a raw POST switching it: the rule and unit stay, other fields still change
    response = client.post(
        url, _form(jobs_346, aggregation="ratio", unit="%", name="带动就业岗位数")
    )
    assert response.status_code == 302
    stored = Indicator.objects.get(pk=jobs_346.pk)
    assert (stored.aggregation, stored.unit, stored.name) == (
        Aggregation.SUM,
        "个",
        "带动就业岗位数",
    )
    assert _county("jobs") == Decimal("346")


def test_an_indicator_without_approved_figures_stays_editable(
    make_project, make_report, indicators, client_for
):
    trainings = indicators["trainings"]
    make_report(
        make_project(), 2024, 1, {"trainings": "4"}, status=ReportStatus.SUBMITTED
    )
    client = client_for(roles.ADMINISTRATOR)
    url = reverse("wagtailsnippets_projects_indicator:edit", args=[trainings.pk])
    assert "汇总规则和单位已固定" not in client.get(url).content.decode()
    response = client.post(url, _form(trainings, aggregation="cumulative", unit="次"))
    assert response.status_code == 302
    stored = Indicator.objects.get(pk=trainings.pk)
    assert (stored.aggregation, stored.unit) == (Aggregation.CUMULATIVE, "次")
