"""The residents listing's export imports back unchanged; a changed mentor is
previewed and written on confirmation; a changed stage is refused (stages move on
the board)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from core.models import ImportJob
from incubator.models import Residency
from tests.incubator.test_residency_import import HEADERS, _post, orgs  # noqa: F401
from tests.support.spreadsheets import upload

pytestmark = pytest.mark.django_db

LISTING = reverse("wagtailsnippets_incubator_residency:list")


@pytest.fixture
def residents(two_bases, orgs):  # noqa: F811
    base = two_bases.base_a.name
    rows = [
        [
            orgs[0].name,
            "",
            base,
            "已入驻",
            "2024-01-02",
            "2024-01-10",
            "2025-01-10",
            "王老师",
        ],
        [orgs[1].name, orgs[1].uscc, base, "已申请", "2024-02-01", "", "", ""],
    ]
    _post(two_bases.client_a, rows)
    assert Residency.objects.count() == 2
    return two_bases.client_a


def export_with(client, change=None):
    response = client.get(LISTING, {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    if change:
        header, value = change
        column = [cell.value for cell in sheet[1]].index(header)
        sheet.cell(row=2, column=column + 1).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        reverse("incubator_residency_import"),
        {"file": upload("residents.xlsx", buffer.getvalue())},
    )
    return ImportJob.objects.latest("pk"), response["Location"]


def test_the_export_imports_back_unchanged(residents):
    job, _url = export_with(residents)
    assert job.status == ImportJob.Status.AWAITING, job.errors
    assert (job.preview["new"], job.preview["changed"], job.preview["unchanged"]) == (
        0,
        0,
        2,
    )


def test_a_changed_mentor_is_written_on_confirmation(residents):
    job, url = export_with(residents, ("导师", "李老师"))
    assert job.preview["changed"] == 1, job.errors
    [item] = job.preview["changes"]
    assert item["changes"][0][0] == "导师" and item["changes"][0][2] == "李老师"
    assert not Residency.objects.filter(mentors="李老师").exists()
    residents.post(url, {"action": "confirm"})
    residency = Residency.objects.get(mentors="李老师")
    assert str(residency) == item["record"]
    assert residency.history.latest().history_user == residents.user


def test_a_changed_stage_is_refused(residents):
    job, _url = export_with(residents, ("阶段", "孵化中"))
    assert job.status == ImportJob.Status.FAILED
    assert "看板" in job.errors[0]["message"]
