"""No two outcome reports of one project cover overlapping
months, whatever the path — the admin (create and edit), a switch of the project's
reporting period, the Excel import, scripts. An approved 2024 H1 of 100 and, after
a switch to quarters, approved Q1 = 60 and Q2 = 40 made the county roll-up 200;
it must stay 100."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from core import roles
from core.models import ImportJob
from projects.choices import PeriodType, ReportStatus
from projects.errors import ProjectsError
from projects.models import OutcomeLine, OutcomeReport
from projects.selectors.rollups import rollup
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

COUNTY = "湖南省湘西土家族苗族自治州永顺县"
OVERLAP = "与已有报告 2024年上半年（已审核通过）的期间重叠"
HEADERS = [
    "项目名称",
    "年度",
    "周期类型",
    "期次",
    "指标",
    "目标值",
    "实际值",
    "分子",
    "分母",
    "备注",
]


def _county_jobs():
    rows = rollup("county").rows.to_dict("records")
    return next(r for r in rows if r["label"] == COUNTY)["jobs"]


def _report_form(project, indicator, actual, period_type, number, year="2024"):
    return {
        "project": project.pk,
        "period_type": period_type,
        "year": year,
        "number": str(number),
        "note": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-indicator": indicator.pk,
        "lines-0-target": "",
        "lines-0-actual": actual,
        "lines-0-numerator": "",
        "lines-0-denominator": "",
        "lines-0-note": "",
        "lines-0-ORDER": "1",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def switched(client_for, make_pairing, make_project, make_report, indicators):
    """H1 2024 approved with 100 jobs (a summed indicator), then the project is
    switched to quarterly reporting."""
    client = client_for(roles.COORDINATOR)
    project = make_project(
        pairing=make_pairing(coordinators=[client.user]), title="安化黑茶消费帮扶行动"
    )
    make_report(project, 2024, 1, {"jobs": "100"})
    assert _county_jobs() == Decimal("100")
    project.reporting_frequency = PeriodType.QUARTER
    project.save()
    return client, project


def test_quarters_inside_an_approved_half_year_are_refused_in_the_admin(
    switched, indicators
):
    client, project = switched
    url = reverse("wagtailsnippets_projects_outcomereport:add")
    for number, actual in [(1, "60"), (2, "40")]:
        response = client.post(
            url, _report_form(project, indicators["jobs"], actual, "quarter", number)
        )
        assert response.status_code == 200
        assert OVERLAP in response.content.decode()
    assert OutcomeReport.objects.filter(project=project).count() == 1
    assert _county_jobs() == Decimal("100")

    # a quarter the half-year does not cover is accepted
    response = client.post(
        url, _report_form(project, indicators["jobs"], "30", "quarter", 3)
    )
    assert response.status_code == 302
    q3 = OutcomeReport.objects.get(project=project, period_type="quarter")
    assert (q3.start_date.isoformat(), q3.end_date.isoformat()) == (
        "2024-07-01",
        "2024-09-30",
    )

    # editing Q3 into Q2 is refused too; Q3 stays as it was
    edit = reverse("wagtailsnippets_projects_outcomereport:edit", args=[q3.pk])
    data = _report_form(project, indicators["jobs"], "30", "quarter", 2)
    data.update(
        {
            "lines-INITIAL_FORMS": "1",
            "lines-0-id": str(q3.lines.get().pk),
        }
    )
    response = client.post(edit, data)
    assert response.status_code == 200
    assert OVERLAP in response.content.decode()
    q3.refresh_from_db()
    assert q3.number == 3


def test_quarters_inside_an_approved_half_year_are_refused_by_the_import(
    switched, indicators
):
    client, project = switched
    rows = [
        ["安化黑茶消费帮扶行动", 2024, "季度", 1, "jobs", "", 60, "", "", ""],
        ["安化黑茶消费帮扶行动", 2024, "季度", 2, "jobs", "", 40, "", "", ""],
    ]
    client.post(
        reverse("projects_report_import"),
        {"file": upload("reports.xlsx", xlsx_bytes(rows, headers=HEADERS))},
    )
    job = ImportJob.objects.get()
    assert job.status != ImportJob.Status.SUCCEEDED
    messages = {e["row"]: e["message"] for e in job.errors}
    assert OVERLAP in messages[2] and OVERLAP in messages[3]
    assert OutcomeReport.objects.filter(project=project).count() == 1
    assert _county_jobs() == Decimal("100")


def test_scripts_cannot_store_an_overlapping_report(switched, make_report):
    _client, project = switched
    with pytest.raises(ProjectsError) as exc:
        make_report(project, 2024, 1, {"jobs": "60"})
    assert OVERLAP in exc.value.messages[0]
    with pytest.raises(ProjectsError):
        OutcomeReport.objects.create(
            project=project, period_type=PeriodType.YEAR, year=2024, number=1
        )
    assert OutcomeReport.objects.filter(project=project).count() == 1
    assert OutcomeLine.objects.filter(report__project=project).count() == 1
    assert _county_jobs() == Decimal("100")


def test_a_draft_occupies_its_period_until_it_is_deleted(make_project, make_report):
    # chosen rule: every report counts, whatever its status; a draft or returned
    # report to be replaced is deleted first
    project = make_project()
    draft = make_report(project, 2024, 2, {"jobs": "5"}, status=ReportStatus.DRAFT)
    project.reporting_frequency = PeriodType.QUARTER
    project.save()
    with pytest.raises(ProjectsError) as exc:
        make_report(project, 2024, 3, {"jobs": "5"})
    assert "与已有报告 2024年下半年（草稿）的期间重叠" in exc.value.messages[0]
    draft.delete()
    make_report(project, 2024, 3, {"jobs": "5"})
    assert project.reports.get().period_label == "2024年第3季度"


def test_the_data_check_lists_overlaps_already_stored(make_project, make_report):
    project = make_project(title="凤凰县宝贝小屋")
    make_report(project, 2024, 1, {"jobs": "100"})
    # stored past every check, as before the fix
    OutcomeReport.objects.bulk_create(
        [
            OutcomeReport(
                project=project,
                period_type=PeriodType.QUARTER,
                year=2024,
                number=1,
                start_date="2024-01-01",
                end_date="2024-03-31",
                status=ReportStatus.APPROVED,
            )
        ]
    )
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("projects_check", stdout=out)
    assert "凤凰县宝贝小屋" in out.getvalue()
    assert "2024年上半年（已审核通过）" in out.getvalue()
    assert "2024年第1季度（已审核通过）" in out.getvalue()
    assert "1 对期间重叠的报告" in str(exc.value)
