"""Shared pieces of the fuzz tests (tests/platform/test_fuzz_*.py): hypothesis profiles,
nasty text and numbers, malformed spreadsheet files, a snapshot of the whole
database and the checks that an error message is one a user can read.

Profiles: `ci` (default: few examples, derandomized so every run is the same) and
`thorough` (many more, random): `HYPOTHESIS_PROFILE=thorough pytest tests/platform/test_fuzz_*`.
"""

import contextlib
import io
import os
import re
import zipfile

from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    # no shrinking in CI: a failure is reported as found, at once
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
settings.register_profile(
    "thorough",
    parent=settings.get_profile("ci"),
    max_examples=500,
    derandomize=False,
    phases=list(Phase),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


SCALE = {"ci": 1, "thorough": 20}.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 1)


def examples(n):
    """`n` examples in the ci profile, many more in `thorough`."""
    return n * SCALE


# --- text and values -----------------------------------------------------------------

ODD_CHARACTERS = [
    "\u200b",  # zero-width space
    "\ufeff",  # byte-order mark
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\x00",  # NUL
    "\t",
    "\r\n",
    "＝",
    "１２３",  # full-width digits
    "😀",
    "👨‍👩‍👧",
    "𠀀",  # outside the BMP
    "'",
    '"',
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "%(name)s",
    "%s",
    "; DROP TABLE x; --",
    "../../etc/passwd",
    "None",
    "nan",
    "null",
]

FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.com","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "=1/0",
]

ODD_NUMBERS = [
    "-1",
    "-0.01",
    "0",
    "1e999",
    "-1e999",
    "1e-999",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "１００",
    "一百",
    "非数字",
    "12,34,5",
    "99999999999999999999999",
    # money inputs: beyond Decimal's 28-digit context and the fields' digits
    "999999999999999999999999999999",
    "1000000000000",
    "999999999999.995",
    "1e400",
    "-1e400",
    "1e-400",
    "Infinity",
    "１２",
    "１２．５",
    "0x10",
    "1_000",
    " 5 ",
    "5元",
    "1.2.3",
    "",
]

ODD_DATES = [
    "2023-02-30",
    "2023-13-01",
    "0000-01-01",
    "9999-12-31",
    "99999-01-01",
    "2023/2/3",
    "03/02/2023",
    "2023年2月30日",
    "昨天",
    "2023-02-03T25:00",
    "45000",
    "",
]

# Plain text from every corner of Unicode (surrogates cannot reach a request).
any_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)), min_size=0, max_size=40
)
odd_text = st.one_of(
    any_text,
    st.sampled_from(ODD_CHARACTERS),
    st.sampled_from(FORMULAS),
    st.lists(st.sampled_from(ODD_CHARACTERS + ["社会组织", "abc"]), max_size=6).map(
        "".join
    ),
    st.integers(min_value=256, max_value=5000).map(lambda n: "长" * n),
)
odd_number = st.one_of(
    st.sampled_from(ODD_NUMBERS),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=4).map(str),
    st.floats().map(repr),
)
odd_date = st.one_of(
    st.sampled_from(ODD_DATES),
    st.dates().map(lambda d: d.isoformat()),
    any_text,
)
odd_cell = st.one_of(odd_text, odd_number, odd_date)


# --- files ----------------------------------------------------------------------------


def xlsx_bytes(rows, headers):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in [headers, *rows]:
        sheet.append([_xlsx_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_safe(value):
    """openpyxl refuses control characters; a real Excel file cannot hold them."""
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    return value


def csv_bytes(rows, headers, encoding="utf-8-sig"):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in [headers, *rows]:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding, errors="replace")


def truncate(data, fraction):
    return data[: max(1, int(len(data) * fraction))]


def zip_with_garbage():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
        archive.writestr("xl/workbook.xml", b"\x00\x01garbage")
    return buffer.getvalue()


@st.composite
def table_file(draw, headers, rows):
    """A file holding `headers` and `rows` as .xlsx, or as .csv in an encoding."""
    kind = draw(st.sampled_from(["xlsx", "csv-utf8", "csv-gbk", "csv-plain"]))
    if kind == "xlsx":
        return "导入.xlsx", xlsx_bytes(rows, headers)
    encoding = {"csv-utf8": "utf-8-sig", "csv-gbk": "gbk", "csv-plain": "utf-8"}[kind]
    return "导入.csv", csv_bytes(rows, headers, encoding)


@st.composite
def broken_file(draw, headers):
    """A file that is not a readable table with these headers at all."""
    good = xlsx_bytes([["x"] * len(headers)], headers)
    name = draw(st.sampled_from(["导入.xlsx", "导入.csv", "IMPORT.XLSX", "导入.xlsm"]))
    data = draw(
        st.one_of(
            st.binary(min_size=0, max_size=300),
            st.just(b""),
            st.floats(0.05, 0.95).map(lambda f: truncate(good, f)),
            st.just(zip_with_garbage()),
            st.just(b"PK\x03\x04" + b"\x00" * 40),
            st.just("名称,类型\n".encode("utf-16")),
            st.just(b"\xff\xfe\x00\x00garbage"),
            st.just(b"\n\n\n"),
            st.just(b",,,\n,,,\n"),
        )
    )
    if name.endswith(".csv") and data[:2] == b"PK":
        name = "导入.xlsx"
    return name, data


@st.composite
def bad_header_file(draw, headers, required):
    """Headers with a required column missing, renamed, duplicated or shuffled
    among junk, in either language; the data rows are junk too. Returns the file's
    name, its bytes and its headers."""
    kept = [h for h in headers if h not in required]
    dropped = draw(st.sampled_from(required))
    junk = draw(st.lists(odd_text.filter(bool), max_size=4))
    new_headers = kept + junk + draw(st.lists(st.sampled_from(kept), max_size=2))
    new_headers = draw(st.permutations(new_headers)) if new_headers else [dropped + "x"]
    if draw(st.booleans()):
        new_headers = [*new_headers, dropped + draw(st.sampled_from(["1", "（新）"]))]
    rows = draw(
        st.lists(
            st.lists(odd_cell, min_size=len(new_headers), max_size=len(new_headers)),
            max_size=3,
        )
    )
    return (*draw(table_file(new_headers, rows)), new_headers)


# --- the database ------------------------------------------------------------------

# Bookkeeping that changes on any visit: sessions and editing-session pings.
SNAPSHOT_SKIP = {"sessions.session", "wagtailadmin.editingsession"}


def _snapshot_tables(skip):
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        meta = model._meta
        if label in SNAPSHOT_SKIP or label in skip or meta.proxy or not meta.managed:
            continue
        tables[label] = meta.db_table
    return tables


def db_counts(skip=()):
    """Row counts of every table in the project (history tables included), in one
    query."""
    from django.db import connection

    tables = _snapshot_tables(frozenset(skip))
    quote = connection.ops.quote_name
    # table names come from the models and are quoted
    counts = [f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables.values()]  # noqa: S608
    sql = "SELECT " + ", ".join(counts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return dict(zip(tables, row, strict=True))


def db_changes(before, after):
    return {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}


def field_values(obj):
    """Every concrete field of a stored object, read again from the database."""
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


class Rollback(Exception):
    pass


@contextlib.contextmanager
def rolled_back():
    """Run one example in a savepoint that is always rolled back, so each example
    starts from the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- messages ------------------------------------------------------------------------

# Text a user must never see: a programmer's view of the failure.
LEAKS = re.compile(
    r"Traceback|NoneType|KeyError|ValueError|TypeError|AttributeError|IndexError"
    r"|InvalidOperation|decimal\.|object at 0x|<[a-zA-Z_.]+ object|\bnan\b"
    r"|\bNone\b|Field '\w+' expected",
    re.IGNORECASE,
)
CJK = re.compile(r"[\u3400-\u9fff]")


def strip_known(message, known):
    """The message without the user's own input (which may be anything)."""
    for value in sorted({str(v) for v in known if v}, key=len, reverse=True):
        message = message.replace(value, "")
        message = message.replace(value.strip(), "") if value.strip() else message
    return re.sub(r"“[^”]*”", "“”", message)


def assert_clear(message, known=(), language="zh-hans"):
    """A message for a person: non-empty, no Python internals, in their language."""
    assert message and message.strip(), "empty error message"
    text = strip_known(str(message), known)
    leak = LEAKS.search(text)
    assert leak is None, f"internal text {leak.group()!r} in message: {message!r}"
    if language == "zh-hans":
        assert CJK.search(text), f"message not in Chinese: {message!r}"
    else:
        assert re.search(r"[A-Za-z]{3}", text), f"message not in English: {message!r}"
