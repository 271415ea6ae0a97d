"""An organization file written the way officers write it imports; a row with
several bad cells gets every one of its errors, each listing what is allowed."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from incubator.models import Organization

pytestmark = pytest.mark.django_db

HEADERS = [
    "名称",
    "统一社会信用代码",
    "类型",
    "登记级别",
    "行政区划代码",
    "成立日期",
    "服务领域",
    "评估等级",
    "评估日期",
]


def _write(tmp_path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "社会组织.xlsx"
    workbook.save(path)
    return path


def test_cells_as_officers_write_them_import(tmp_path, service_fields, capsys):
    path = _write(
        tmp_path,
        [
            [
                "湖南省乡村发展促进会",
                "51430000000070017U",
                "社团",
                "省",
                "430000",
                "2015年3月8日",
                "乡村振兴，养老",
                "AAAAA",
                datetime.datetime(2022, 6, 30),  # an Excel date cell
            ],
            [
                "长沙市雨花区阳光社会工作服务中心",
                "52430111000090018E",
                "民办非企业单位",
                "县",
                "430111",
                "20180516",
                "养老 儿童",
                "4A",
                "2021/12/1",
            ],
            [
                "长沙市雨花区夕阳红养老服务中心",
                "524301110000900269",
                "民非",
                "区县级",
                "430111",
                "2019/7/1",
                "养老;社区治理",
                "AAA",
                "44562",  # 2022-01-01 as an Excel serial
            ],
        ],
    )
    call_command("import_organizations", str(path))
    assert "已导入 3 个社会组织" in capsys.readouterr().out
    got = {
        o.name: (
            o.org_type,
            o.registration_level,
            o.founded_on.isoformat(),
            sorted(f.name for f in o.service_fields.all()),
            o.rating,
            o.rated_on.isoformat(),
        )
        for o in Organization.objects.all()
    }
    assert got == {
        "湖南省乡村发展促进会": (
            "social_group",
            "province",
            "2015-03-08",
            ["乡村振兴", "养老"],
            "5A",
            "2022-06-30",
        ),
        "长沙市雨花区阳光社会工作服务中心": (
            "social_service",
            "county",
            "2018-05-16",
            ["儿童", "养老"],
            "4A",
            "2021-12-01",
        ),
        "长沙市雨花区夕阳红养老服务中心": (
            "social_service",
            "county",
            "2019-07-01",
            ["养老", "社区治理"],
            "3A",
            "2022-01-01",
        ),
    }


def test_every_bad_cell_of_a_row_is_reported(tmp_path, service_fields, capsys):
    path = _write(
        tmp_path,
        [
            [
                "长沙市雨花区阳光社会工作服务中心",
                "52430111000090019E",  # 52430111000090018E with one digit mistyped
                "民非",
                "乡",
                "430111",
                "2018-5-16",
                "养老、星际旅行",
                "6A",
                "2021年13月1日",
            ],
            [
                "长沙市雨花区合作社",
                "524301110000900269",
                "合作社",
                "市",
                "430111",
                "2019-07-01",
                "",
                "",
                "",
            ],
        ],
    )
    with pytest.raises(CommandError, match="6"):
        call_command("import_organizations", str(path))
    lines = capsys.readouterr().err.strip().splitlines()
    assert sorted(lines) == sorted(
        [
            "第 2 行，“登记级别”列：“乡”不在可选值中：全国、省级、市级、县级",
            "第 2 行，“服务领域”列：“星际旅行”不是服务领域，可选：乡村振兴、儿童、养老、社区治理",
            "第 2 行，“评估等级”列：“6A”不在可选值中：1A、2A、3A、4A、5A",
            "第 2 行，“评估日期”列：“2021年13月1日”不是有效日期。",
            "第 2 行，“统一社会信用代码”列：“52430111000090019E”的校验位错误，请核对代码。",
            "第 3 行，“类型”列：“合作社”不在可选值中：社会团体、基金会、社会服务机构、社区社会组织",
        ]
    )
    assert Organization.objects.count() == 0
