"""Bulk import of residents from Excel: every row checked against the admission
rules (own base, one active residency, capacity, dates), then all or nothing."""

import pytest
from django.urls import reverse

from core.models import ImportJob
from incubator.models import Residency, Stage
from incubator.services.residencies import residency_admit
from tests.support.spreadsheets import upload, xlsx_bytes

HEADERS = [
    "社会组织",
    "统一社会信用代码",
    "孵化基地",
    "阶段",
    "申请日期",
    "入驻日期",
    "计划出壳日期",
    "导师",
]


@pytest.fixture
def orgs(make_organization):
    return [make_organization(name=f"雨花区社工服务中心{i}") for i in range(4)]


def _post(client, rows):
    return client.post(
        reverse("incubator_residency_import"),
        {"file": upload("residents.xlsx", xlsx_bytes(rows, HEADERS))},
        follow=True,
    )


def test_valid_file_admits_every_row(two_bases, orgs):
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
    response = _post(two_bases.client_a, rows)
    assert response.status_code == 200
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert job.created_count == 2
    first = Residency.objects.get(organization=orgs[0])
    assert (first.stage, first.entered_on.isoformat(), first.mentors) == (
        Stage.ENTERED,
        "2024-01-10",
        "王老师",
    )
    assert [m.to_stage for m in first.transitions.all()] == [
        Stage.APPLIED,
        Stage.ENTERED,
    ]
    assert first.transitions.first().user == two_bases.operator_a
    assert Residency.objects.get(organization=orgs[1]).stage == Stage.APPLIED


def test_bad_rows_are_all_reported_and_nothing_written(two_bases, orgs, make_base):
    residency_admit(organization=orgs[3], base=two_bases.base_b)
    two_bases.base_a.capacity = 1
    two_bases.base_a.save()
    base = two_bases.base_a.name
    rows = [
        [orgs[0].name, "", base, "已入驻", "2024-01-02", "", "", ""],  # fine alone
        [orgs[1].name, "", base, "已入驻", "2024-01-02", "", "", ""],  # over capacity
        [
            orgs[2].name,
            "",
            two_bases.base_b.name,
            "",
            "2024-01-02",
            "",
            "",
            "",
        ],  # not theirs
        [orgs[3].name, "", base, "", "2024-01-02", "", "", ""],  # resides elsewhere
        [orgs[0].name, "", base, "", "2024-01-02", "", "", ""],  # duplicate of row 2
        ["不存在的组织", "", base, "", "2024-13-02", "", "", ""],  # unknown, bad date
        [
            orgs[2].name,
            "",
            base,
            "孵化中",
            "2024-01-02",
            "",
            "2023-01-01",
            "",
        ],  # bad stage
    ]
    _post(two_bases.client_a, rows)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert (
        errors[(3, "孵化基地")]
        == "长沙市雨花区社会组织孵化基地已满：1 个名额已占用 1 个。"
    )
    assert errors[(4, "孵化基地")] == "“岳麓区社会组织孵化基地”不是您运营的基地。"
    assert errors[(5, "社会组织")].startswith(
        "雨花区社工服务中心3已在岳麓区社会组织孵化基地入驻"
    )
    assert errors[(6, "社会组织")] == "同一组织已在本文件第 2 行出现。"
    assert errors[(7, "社会组织")] == "没有名为“不存在的组织”的登记组织。"
    assert "不是真实的日期" in errors[(7, "申请日期")] or (7, "申请日期") in errors
    assert (8, "阶段") in errors
    assert Residency.objects.filter(base=two_bases.base_a).count() == 0


def test_import_needs_permission(client_for):
    from core import roles

    client = client_for(roles.EDITOR)
    response = client.get(reverse("incubator_residency_import"))
    assert response.status_code in (302, 403)


def test_template_download_has_the_chinese_headers(two_bases):
    import io

    import openpyxl

    response = two_bases.client_a.get(
        reverse("incubator_residency_import"), {"template": "xlsx"}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    headers = [cell.value for cell in workbook.active[1]]
    assert headers[:4] == ["社会组织", "统一社会信用代码", "孵化基地", "阶段"]
