"""Attack on the streaming organization import (issue 19): a code written with a
space, a hyphen or full-width digits is the same code (it is stored compact), so
it is a duplicate inside the file — even thousands of rows and two write batches
apart — and a code already registered; the import refuses it with the Chinese
message, never with a database error at write time."""

import io

import pytest

from core.imports import get_importer, import_validate
from incubator.imports.organizations import WRITE_CHUNK
from incubator.models import Organization
from incubator.uscc import uscc_make
from tests.support.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def row(serial, code=None):
    return [
        f"长沙市雨花区第{serial}社会工作服务中心",
        code or uscc_make("2", "430111", 20000 + serial),
        "社会服务机构",
        "县级",
        "430111",
    ]


HEADERS = ["名称", "统一社会信用代码", "类型", "登记级别", "行政区划代码"]


def _validate(rows):
    importer = get_importer("organizations")
    data = xlsx_bytes(rows, headers=HEADERS)
    return importer, import_validate(importer, io.BytesIO(data), "orgs.xlsx")


@pytest.mark.parametrize(
    "spelling",
    [
        lambda code: f"{code[:8]} {code[8:]}",
        lambda code: f"{code[:8]}-{code[8:]}",
        lambda code: code.translate(FULL_WIDTH),
    ],
    ids=["space", "hyphen", "full-width"],
)
def test_the_same_code_spelt_otherwise_three_thousand_rows_later_is_a_duplicate(
    spelling,
):
    rows = [row(n) for n in range(1, 3001)]
    code = rows[9][1]  # Excel row 11 (after the header)
    rows[2999][1] = spelling(code)  # Excel row 3001, in the second write batch
    assert 2999 >= WRITE_CHUNK

    _importer, result = _validate(rows)

    assert [(e.row, e.message) for e in result.errors] == [
        (3001, "同一代码已出现在本文件第 11 行。")
    ]
    assert Organization.objects.count() == 0


def test_a_registered_code_spelt_with_a_space_is_the_registered_one(
    make_organization,
):
    existing = make_organization()
    spelt = f"{existing.uscc[:8]} {existing.uscc[8:]}"
    importer, result = _validate([row(1, spelt)])
    assert result.errors == []

    importer.plan(result, update=False)

    assert [e.message for e in result.errors] == [
        "已有社会组织使用此统一社会信用代码。"
    ]
    assert Organization.objects.count() == 1
