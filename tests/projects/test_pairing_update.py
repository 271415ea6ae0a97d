"""Updating pairings by key (organization and place): the pairing listing's export
imports back unchanged; a changed start date is previewed on the upload screen
(column: old → new), written only once confirmed, and recorded in the history
under the importing coordinator; a pairing outside the coordinator's scope is
neither shown nor changed."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from core import roles
from core.models import ImportJob
from projects.models import Alliance, Pairing
from tests.support.spreadsheets import upload, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT = reverse("projects_pairing_import")
LISTING = reverse("wagtailsnippets_projects_pairing:list")
HEADERS = ["统一社会信用代码", "结对地区代码", "合力团", "开始日期"]


@pytest.fixture
def coordinator(client_for):
    return client_for(roles.COORDINATOR)


@pytest.fixture
def three(tmp_path, coordinator, make_organization):
    """Three pairings imported by the command for the coordinator (who then
    coordinates them): two in 永顺县 under one alliance, one in 紫阳县."""
    first = make_organization(name="长沙市阳光社工服务中心")
    second = make_organization(name="湖南省乡村发展基金会")
    path = tmp_path / "结对.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                [first.uscc, "433127", "永顺县合力团", "2023-03-01"],
                [second.uscc, "433127", "永顺县合力团", ""],
                [second.uscc, "610924", "", "2024/1/5"],
            ],
            headers=HEADERS,
        )
    )
    call_command("import_pairings", str(path), "--user", coordinator.user.username)
    assert Pairing.objects.filter(coordinators=coordinator.user).count() == 3
    return first, second


def exported(client):
    """The pairing listing's own .xlsx export, as a user downloads it."""
    response = client.get(LISTING, {"export": "xlsx"})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def set_cell(workbook, uscc, code, header, value):
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if (
            row[headers.index("统一社会信用代码")].value == uscc
            and str(row[headers.index("结对地区代码")].value) == code
        ):
            row[headers.index(header)].value = value
            return
    raise AssertionError((uscc, code))


def as_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_file(client, data):
    response = client.post(IMPORT, {"file": upload("导出.xlsx", data)})
    assert response.status_code == 302
    return ImportJob.objects.latest("pk"), response["Location"]


def counts(job):
    return job.preview["new"], job.preview["changed"], job.preview["unchanged"]


def test_the_export_has_the_import_columns(coordinator, three):
    sheet = exported(coordinator).active
    assert [cell.value for cell in sheet[1]] == [
        *HEADERS,
        "社会组织",  # read-only: for reading, ignored on import
        "县（区）",
        "村",
    ]


def history_counts():
    return [p.history.count() for p in Pairing.objects.order_by("pk")]


def test_the_export_imports_back_unchanged(coordinator, three):
    before = history_counts()
    job, url = upload_file(coordinator, as_bytes(exported(coordinator)))
    assert job.status == ImportJob.Status.AWAITING, job.errors
    assert counts(job) == (0, 0, 3)
    page = coordinator.get(url).content.decode()
    assert "已校验，待确认" in page and "未变 <strong>3</strong> 条" in page
    assert history_counts() == before


def test_a_changed_start_date_is_previewed_then_written_on_confirmation(
    coordinator, three
):
    first, _second = three
    pairing = Pairing.objects.get(organization=first)
    before = history_counts()
    workbook = exported(coordinator)
    set_cell(workbook, first.uscc, "433127", "开始日期", "2023-04-01")
    job, url = upload_file(coordinator, as_bytes(workbook))

    # The preview: 0 new, 1 changed (开始日期: 2023-03-01 → 2023-04-01), 2 unchanged;
    # nothing written yet.
    assert job.status == ImportJob.Status.AWAITING, job.errors
    assert counts(job) == (0, 1, 2)
    assert job.preview["changes"] == [
        {
            # the listing's order: county code, then organization name
            "row": 3,
            "record": "长沙市阳光社工服务中心 → 湖南省湘西土家族苗族自治州永顺县",
            "changes": [["开始日期", "2023-03-01", "2023-04-01"]],
        }
    ]
    page = coordinator.get(url).content.decode()
    assert "新增 <strong>0</strong> 条" in page
    assert "变更 <strong>1</strong> 条" in page
    assert "未变 <strong>2</strong> 条" in page
    assert "确认导入" in page and "2023-03-01" in page and "2023-04-01" in page
    pairing.refresh_from_db()
    assert pairing.start_date == datetime.date(2023, 3, 1)

    response = coordinator.post(url, {"action": "confirm"}, follow=True)
    assert "已更新 1 条记录" in response.content.decode()
    pairing.refresh_from_db()
    assert pairing.start_date == datetime.date(2023, 4, 1)
    latest = pairing.history.latest()
    assert (latest.start_date, latest.history_user) == (
        datetime.date(2023, 4, 1),
        coordinator.user,
    )
    assert Pairing.objects.count() == 3
    assert history_counts() == [before[0] + 1, *before[1:]]


def test_an_alliance_and_an_unknown_start_date_are_updated(coordinator, three):
    """A new alliance named in the file is created; an emptied start date is
    stored as unknown."""
    first, second = three
    workbook = exported(coordinator)
    set_cell(workbook, first.uscc, "433127", "开始日期", None)
    set_cell(workbook, second.uscc, "610924", "合力团", "紫阳县合力团")
    job, url = upload_file(coordinator, as_bytes(workbook))
    assert counts(job) == (0, 2, 1)
    coordinator.post(url, {"action": "confirm"})
    assert Pairing.objects.get(organization=first).start_date is None
    ziyang = Pairing.objects.get(county__code="610924")
    assert (ziyang.alliance.name, ziyang.alliance.county.code) == (
        "紫阳县合力团",
        "610924",
    )
    assert Alliance.objects.count() == 2


def test_a_pairing_outside_the_coordinators_scope_is_refused_unchanged(
    coordinator, three, make_pairing, make_organization
):
    """Another coordinator's pairing named in the file: the row is refused, the
    pairing is not shown in a preview, not changed and not recorded twice."""
    other = make_pairing(
        organization=make_organization(name="益阳市助老服务中心"),
        start_date=datetime.date(2022, 6, 1),
    )
    data = xlsx_bytes([[other.organization.uscc, "433127", "", "2025-01-01"]], HEADERS)
    job, _url = upload_file(coordinator, data)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        {
            "row": 2,
            "column": "结对地区代码",
            "message": "该结对已登记，但不在您协调的结对之中，不能通过您的导入修改；"
            "可由能查看全部结对的工作人员修改。",
        }
    ]
    other.refresh_from_db()
    assert other.start_date == datetime.date(2022, 6, 1)
    assert Pairing.objects.filter(organization=other.organization).count() == 1
