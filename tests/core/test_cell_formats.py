"""Cells written the way officers write them: dates, amounts, 万元 headers, lists,
choices with their other names — and the clear error for what is still unknown."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from core.spreadsheets import (
    Column,
    choice_parser,
    parse_amount,
    parse_date,
    parse_decimal,
    parsed_rows,
    read_table,
    split_list,
)
from incubator.choices import (
    ORGANIZATION_TYPE_ALIASES,
    RATING_ALIASES,
    REGISTRATION_LEVEL_ALIASES,
    OrganizationType,
    Rating,
    RegistrationLevel,
)

JAN_5 = datetime.date(2023, 1, 5)


@pytest.mark.parametrize(
    "text",
    [
        "2023-01-05",
        "2023-1-5",
        "2023/1/5",
        "2023/01/05",
        "2023.1.5",
        "2023年1月5日",
        "2023年01月05日",
        "20230105",
        "44931",  # the Excel serial of 2023-01-05
        "2023-01-05 00:00:00",
        "２０２３年１月５日",  # full-width digits
    ],
)
def test_dates_as_officers_write_them(text):
    assert parse_date(text) == JAN_5


@pytest.mark.parametrize(
    "text, message",
    [
        ("2023", "“2023”不是日期，请按 2024-03-31 的格式填写。"),
        ("20231305", "“20231305”不是有效日期。"),
        ("2023年2月30日", "“2023年2月30日”不是有效日期。"),
        ("1/5/2023", "“1/5/2023”不是日期，请按 2024-03-31 的格式填写。"),
        ("12345", "“12345”不是日期，请按 2024-03-31 的格式填写。"),  # 1933
    ],
)
def test_what_is_not_a_date_is_refused_by_name(text, message):
    with pytest.raises(ValidationError) as info:
        parse_date(text)
    assert info.value.messages == [message]


@pytest.mark.parametrize(
    "text, value",
    [
        ("1234567.00", Decimal("1234567.00")),
        ("1,234,567.00", Decimal("1234567.00")),
        ("1，234，567.00", Decimal("1234567.00")),  # full-width commas
        ("1,234,567", Decimal("1234567")),
        ("¥1,234.50", Decimal("1234.50")),
        ("1234.5元", Decimal("1234.5")),
        ("１２３４", Decimal("1234")),
        (" 750,000 ", Decimal("750000")),
    ],
)
def test_amounts_with_thousands_separators(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    "text, message",
    [
        ("1,5", "“1,5”不是数字。"),  # 1.5 or 15? refused
        ("12,34,567", "“12,34,567”不是数字。"),
        ("一万", "“一万”不是数字。"),
        ("1234.567", "“1234.567”的小数超过两位：金额以元为单位，精确到分。"),
        ("1,000,000,000,000", "金额不能超过999,999,999,999.99元。"),
    ],
)
def test_what_is_not_an_amount_is_refused_by_name(text, message):
    with pytest.raises(ValidationError) as info:
        parse_amount(text)
    assert info.value.messages == [message]


def test_decimal_keeps_its_digits():
    assert parse_decimal("0.1") + parse_decimal("0.2") == Decimal("0.3")


@pytest.mark.parametrize(
    "text",
    [
        "养老、儿童、乡村振兴",
        "养老，儿童，乡村振兴",
        "养老,儿童,乡村振兴",
        "养老;儿童；乡村振兴",
        "养老 儿童　乡村振兴",  # a space and a full-width space
        "养老、 儿童 ,乡村振兴、",
    ],
)
def test_service_fields_separated_any_way(text):
    assert split_list(text) == ["养老", "儿童", "乡村振兴"]


LEVEL = choice_parser(RegistrationLevel.choices, REGISTRATION_LEVEL_ALIASES)
TYPE = choice_parser(OrganizationType.choices, ORGANIZATION_TYPE_ALIASES)
RATING = choice_parser(Rating.choices, RATING_ALIASES)


@pytest.mark.parametrize(
    "text, value",
    [
        ("省", "province"),
        ("省级", "province"),
        ("市", "city"),
        ("市级", "city"),
        ("地市级", "city"),
        ("县", "county"),
        ("县级", "county"),
        ("区县级", "county"),
        ("全国", "national"),
        ("Provincial", "province"),
        ("county", "county"),
    ],
)
def test_registration_levels(text, value):
    assert LEVEL(text) == value


@pytest.mark.parametrize(
    "text, value",
    [
        ("社会服务机构", "social_service"),
        ("民办非企业单位", "social_service"),
        ("民非", "social_service"),
        ("社会团体", "social_group"),
        ("基金会", "foundation"),
        ("社区社会组织", "community"),
    ],
)
def test_organization_types(text, value):
    assert TYPE(text) == value


@pytest.mark.parametrize(
    "text, value",
    [
        ("5A", "5A"),
        ("AAAAA", "5A"),
        ("5a", "5A"),
        ("５Ａ", "5A"),
        ("AAAAA级", "5A"),
        ("4A", "4A"),
        ("AAAA", "4A"),
        ("AAA", "3A"),
        ("AA", "2A"),
        ("1A", "1A"),
        ("A", "1A"),
    ],
)
def test_ratings(text, value):
    assert RATING(text) == value


@pytest.mark.parametrize(
    "parser, text, message",
    [
        (LEVEL, "乡", "“乡”不在可选值中：全国、省级、市级、县级"),
        (
            TYPE,
            "合作社",
            "“合作社”不在可选值中：社会团体、基金会、社会服务机构、社区社会组织",
        ),
        (RATING, "6A", "“6A”不在可选值中：1A、2A、3A、4A、5A"),
        (RATING, "AAAAAA", "“AAAAAA”不在可选值中：1A、2A、3A、4A、5A"),
    ],
)
def test_unknown_values_list_the_allowed_ones(parser, text, message):
    with pytest.raises(ValidationError) as info:
        parser(text)
    assert info.value.messages == [message]


# --- a header in 万元 -----------------------------------------------------------

AMOUNT = Column(
    "amount",
    "资助金额（元）",
    required=True,
    parse=parse_amount,
    wan_aliases=("资助金额（万元）", "金额（万元）"),
)
NAME = Column("name", "项目名称", required=True)


def _xlsx(header, cells):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["项目名称", header])
    for number, cell in enumerate(cells, start=1):
        sheet.append([f"项目{number}", cell])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _parsed(header, cells):
    frame = read_table(_xlsx(header, cells), "a.xlsx", [NAME, AMOUNT])
    return list(parsed_rows(frame, [NAME, AMOUNT]))


def test_an_amount_in_wan_yuan_is_read_in_yuan_exactly():
    # 12.3456 万元 = 123,456 元; 0.01 万元 = 100 元; 75 万元 (a number cell) = 750,000 元
    rows = _parsed("资助金额（万元）", ["12.3456", "0.01", 75, "1,200.5"])
    assert [row.errors for row in rows] == [[], [], [], []]
    assert [row.values["amount"] for row in rows] == [
        Decimal("123456"),
        Decimal("100"),
        Decimal("750000"),
        Decimal("12005000"),
    ]
    assert all(isinstance(row.values["amount"], Decimal) for row in rows)


def test_the_short_wan_header_and_the_yuan_header():
    assert _parsed("金额(万元)", ["3.5"])[0].values["amount"] == Decimal("35000")
    assert _parsed("资助金额（元）", ["3.5"])[0].values["amount"] == Decimal("3.5")


def test_an_amount_in_wan_yuan_finer_than_a_fen_is_refused():
    row = _parsed("资助金额（万元）", ["1.2345678", "十万"])
    assert [str(e) for e in row[0].errors] == [
        "第 2 行，“资助金额（元）”列：“12345.678”的小数超过两位：金额以元为单位，精确到分。"
    ]
    assert [str(e) for e in row[1].errors] == [
        "第 3 行，“资助金额（元）”列：“十万”不是数字。"
    ]
