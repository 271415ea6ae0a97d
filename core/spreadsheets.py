"""Reading spreadsheets for imports: the file, its header and per-cell parsing.

An importer describes its columns; `read_table` turns an .xlsx or .csv upload into a
DataFrame of strings with canonical column keys, or raises `SpreadsheetError` with a
message for the user. Cell parsers raise `django.core.exceptions.ValidationError`.
Row numbers are the ones the user sees in Excel: the header is row 1.
"""

import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import CENT, MONEY
from core.spreadsheet_files import (
    ImportFileError,
    check_import_limits,
    csv_text,
    import_file_kind,
)

FIRST_DATA_ROW = 2  # row 1 is the header
# The largest amount a money column holds: 999,999,999,999.99 元.
MONEY_LIMIT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - CENT


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, empty, bad header)."""


@dataclass
class Column:
    """One column of an import kind, for its template, its import and its export.

    `key` names the cell in a parsed row; `label` (lazy) is the header in every
    language. An import column (`read_only=False`) is in the downloadable template
    and is read on import; a `read_only` column is written by the export only (a
    region's name, a derived status) and ignored when an exported file comes back.
    `export` is the attribute path the listing's export reads (`region.code`,
    `get_org_type_display`); empty means `key`.

    `wan_aliases` are headers of the same amount in 万元 (`资助金额（万元）`): a
    file with one of them is read, and every cell of the column is multiplied by
    10,000 exactly (Decimal) before `parse` sees it, so the column's checks (two
    decimals, the limit) apply to the amount in 元."""

    key: str
    label: object  # lazy translated header
    required: bool = False  # the header must be present and the cell filled
    parse: object = None  # callable(str) -> value; raises ValidationError
    aliases: tuple = ()
    export: str = ""  # attribute path read by the export; "" means `key`
    read_only: bool = False  # exported only, never imported
    wan_aliases: tuple = ()  # headers whose amounts are in 万元 (× 10,000)

    @property
    def export_field(self):
        """The attribute path the export reads for this column."""
        return self.export or self.key

    def header_names(self):
        """Every header accepted for this column: its label in each language,
        its key, its aliases and its 万元 headers."""
        return (
            {normalise_header(n) for n in (self.key, *self.aliases)}
            | label_headers(self.label)
            | self.wan_header_names()
        )

    def wan_header_names(self):
        """The normalised headers of this column that are in 万元."""
        return {normalise_header(n) for n in self.wan_aliases}


#: 1 万元 in 元.
WAN = Decimal(10000)


#: The headers a province's files give the unified social credit code under.
USCC_ALIASES = ("统一代码", "信用代码", "USCC")


def uscc_column(*, export="", required=False):
    """The column of an organization's 统一社会信用代码 (18 characters, GB 32100-2015),
    one declaration for every import that names an organization by its code.

    `export` is the attribute path the export reads (`organization.uscc`). The
    cell is read as the code is stored (`uscc_cell`: "5243 0900-mj…" →
    "52430900MJ…"), so every import finds the organization however the code was
    typed; the code itself is checked by the importer that resolves it."""
    return Column(
        "uscc",
        gettext_lazy("unified social credit code"),
        required=required,
        parse=uscc_cell,
        aliases=USCC_ALIASES,
        export=export,
    )


def uscc_cell(text):
    """A 统一社会信用代码 cell as the code is stored: spaces and hyphens dropped,
    full-width characters made ASCII, upper case (python-stdnum's `compact`). A
    str; never raises (the importer checks the code)."""
    from stdnum.cn import uscc

    return uscc.compact(text or "")


def label_headers(label):
    """A (lazy) label as a header, normalised, in each language."""
    from django.conf import settings

    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(normalise_header(str(label)))
    return names


@dataclass
class RowError:
    """One refusal: the Excel row number (None for the file as a whole), the column's
    header and the message, all as the user reads them."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ValidationResult:
    """What validating a file gives: the records to write, or the RowErrors.

    `notices` are what the write will do besides writing the rows, for the officer
    to confirm in the preview (e.g. "creates the fund 福彩公益金 2023 and its
    call"), as translated strings."""

    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    notices: list = field(default_factory=list)


def normalise_header(name):
    """A header (or a choice) as compared: full-width forms folded (NFKC: （元）
    is (元), Ａ is A), spaces and asterisks dropped, lower case."""
    text = unicodedata.normalize("NFKC", str(name))
    return re.sub(r"[\s*＊]", "", text).lower()


def read_table(fileobj, filename, columns, read_only=()):
    """Read an upload into a DataFrame keyed by column key, all cells as stripped str;
    `frame.attrs["present"]` is the set of the keys of the columns the file has.
    A column that is neither one of `columns` nor a `read_only` label (one the export
    adds, such as a derived status) is refused when it holds anything.

    Before parsing, the file's type is judged by its content and its size held to
    the import limits (`core.spreadsheet_files`): every import path (upload form,
    worker, management command) reads through here. Raises SpreadsheetError."""
    from django.conf import settings

    data = fileobj.read(settings.IMPORT_MAX_FILE_SIZE + 1)
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    if len(data) > settings.IMPORT_MAX_FILE_SIZE:
        raise SpreadsheetError(
            _("The file is larger than %(size)s MB.")
            % {"size": settings.IMPORT_MAX_FILE_SIZE // (1024 * 1024)}
        )
    try:
        kind = import_file_kind(data, filename)
        check_import_limits(data, kind)
    except ImportFileError as exc:
        raise SpreadsheetError(str(exc)) from exc
    try:
        if kind == "csv":
            frame = pd.read_csv(
                io.StringIO(csv_text(data)), dtype=str, keep_default_na=False
            )
        else:
            # calamine (Rust) reads a 10,000-row sheet several times faster than
            # openpyxl; the cells come back as the same Python types.
            frame = pd.read_excel(
                io.BytesIO(data), dtype=object, engine="calamine", keep_default_na=False
            )
    except pd.errors.EmptyDataError as exc:
        raise SpreadsheetError(_("The file is empty.")) from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure means "not readable"
        raise SpreadsheetError(
            _(
                "The file could not be read as a spreadsheet: is it a valid .xlsx or .csv file?"
            )
        ) from exc

    frame = frame.rename(columns=lambda c: str(c).replace("\x00", ""))
    by_header = {}
    scales = {}
    for col in columns:
        for header in frame.columns:
            if normalise_header(header) in col.header_names():
                by_header[header] = col.key
                if normalise_header(header) in col.wan_header_names():
                    scales[col.key] = WAN
                break
    missing = [
        str(c.label) for c in columns if c.required and c.key not in by_header.values()
    ]
    skipped = set().union(*(label_headers(label) for label in read_only))
    unknown = _unknown_columns(frame, by_header, skipped)
    problems = []
    if missing:
        problems.append(
            _("The header row is missing these columns: %(columns)s")
            % {"columns": "、".join(missing)}
        )
    if unknown:
        problems.append(
            _(
                "These columns are not in the import template: %(columns)s. Delete "
                "them, or give them a header of the template, and upload again."
            )
            % {"columns": "、".join(unknown)}
        )
    if problems:
        raise SpreadsheetError(" ".join(problems))
    frame = frame[list(by_header)].rename(columns=by_header)
    for col in columns:
        if col.key not in frame.columns:
            frame[col.key] = ""
    frame = frame.map(cell_text)
    frame = frame[~(frame == "").all(axis=1)]  # skip blank lines
    if frame.empty:
        raise SpreadsheetError(_("The file has no data rows."))
    # The columns the file has: an update by key leaves the others as they are.
    frame.attrs["present"] = set(by_header.values())
    frame.attrs["scales"] = scales  # read by parsed_rows
    return frame


# A running number is the one column people commonly add to a sheet; it carries
# nothing to import.
ROW_NUMBER_HEADERS = {"序号", "no", "no.", "#"}


def _unknown_columns(frame, by_header, skipped):
    """Headers of the columns the template does not have, where any cell holds
    something: their contents would otherwise be dropped without a word. A column
    without a header is named by its position ("column 5")."""
    unknown = []
    for position, header in enumerate(frame.columns, start=1):
        name = normalise_header(header)
        if header in by_header or name in ROW_NUMBER_HEADERS or name in skipped:
            continue
        if (frame[header].map(cell_text) == "").all():
            continue
        if header.startswith("Unnamed:") or not header.strip():
            header = _("column %(number)s") % {"number": position}
        unknown.append(str(header))
    return unknown


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # NUL cannot be stored (PostgreSQL refuses it in text) and means nothing here
    text = str(value).replace("\x00", "").strip()
    return unneutralize_formula(text).strip()


# --- cell parsers -----------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?: 00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
# An Excel date serial (days since 1899-12-30, as a cell formatted as a number or
# a CSV shows it); only those from 1950 to 2099 are taken for dates, so that a
# year (2023) or a stray number is never read as a day of 1905.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_EXCEL_SERIALS = range(
    (datetime.date(1950, 1, 1) - _EXCEL_EPOCH).days,
    (datetime.date(2100, 1, 1) - _EXCEL_EPOCH).days,
)


def parse_date(text):
    """A date as officers write it: 2023-01-05, 2023/1/5, 2023.1.5, 2023年1月5日,
    20230105, an Excel date cell or its serial number (44931). Raises
    ValidationError for anything else or a day that does not exist."""
    text = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*map(int, match.groups()))
            except ValueError as exc:
                raise ValidationError(
                    _("“%(value)s” is not a real date.") % {"value": text}
                ) from exc
    serial = re.match(r"^(\d{5})(?:\.0+)?$", text)
    if serial and int(serial.group(1)) in _EXCEL_SERIALS:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(serial.group(1)))
    raise ValidationError(
        _("“%(value)s” is not a date; write it as 2024-03-31.") % {"value": text}
    )


# A number with thousands separators: groups of three after the first.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_decimal(text):
    """A Decimal as officers write it: 1234567.00, 1,234,567.00, 1，234，567
    (full-width), ¥1,234 or 1234元, full-width digits. Thousands separators must
    group by three (1,5 is refused: it may mean 1.5). Raises ValidationError."""
    cleaned = unicodedata.normalize("NFKC", text)
    cleaned = re.sub(r"\s", "", cleaned).lstrip("¥").removesuffix("元")
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": text})
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValidationError(
            _("“%(value)s” is not a number.") % {"value": text}
        ) from exc
    if not value.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text})
    return value


def parse_amount(text):
    """An amount in 元 (`parse_decimal`), to the fen and within the money columns'
    limit (`core.money.MONEY`: up to 999,999,999,999.99). Raises ValidationError."""
    value = parse_decimal(text)
    if value != value.quantize(CENT):
        raise ValidationError(
            _(
                "“%(value)s” has more than two decimals: give the amount in yuan "
                "to the fen."
            )
            % {"value": text}
        )
    if abs(value) > MONEY_LIMIT:
        raise ValidationError(
            _("The amount cannot exceed %(limit)s yuan.")
            % {"limit": f"{MONEY_LIMIT:,}"}
        )
    return value


def parse_int(text):
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(value)


def choice_parser(choices, aliases=None):
    """Accept a choice's stored value, its label in any language, or one of the
    other ways officers write it: `aliases` maps such a text to the value (e.g.
    {"省": "province"}, from the choices' module). Compared without spaces,
    case or full-width forms. An unknown text gets an error listing the labels."""
    from django.conf import settings

    lookup = {}

    def parse(text):
        if not lookup:  # built on first use, when the translations are loaded
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    for value, label in choices:
                        lookup[normalise_header(label)] = value
                        lookup[normalise_header(value)] = value
            for alias, value in (aliases or {}).items():
                lookup[normalise_header(alias)] = value
        value = lookup.get(normalise_header(text))
        if value is None:
            allowed = "、".join(str(label) for _v, label in choices)
            raise ValidationError(
                _("“%(value)s” is not one of: %(allowed)s")
                % {"value": text, "allowed": allowed}
            )
        return value

    return parse


LIST_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def split_list(text):
    """The items of a list cell, separated by 、 , ， ; ； / or spaces."""
    return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]


REQUIRED_MESSAGE = gettext_lazy("This cell is required.")


# --- rows ---------------------------------------------------------------------------


@dataclass
class ParsedRow:
    """One data row with its cells parsed by the importer's columns."""

    index: int  # 0-based position among the data rows
    number: int  # the row number the user sees in Excel
    values: dict
    errors: list
    labels: dict

    def error(self, key, message):
        """Record `message` against the cell of column `key`."""
        self.errors.append(
            RowError(self.number, self.labels.get(key, key), str(message))
        )

    def error_from(self, exc, default=None):
        """Record every message of a model's ValidationError (`clean()`,
        `clean_fields()`) against its field's column; a field that is not a column
        of the import is reported against column `default` when one is given."""
        for field_name, messages in exc.message_dict.items():
            key = field_name
            if default is not None and field_name not in self.labels:
                key = default
            for message in messages:
                self.error(key, message)


ROWS_BLOCK = 5_000  # rows taken out of the frame as Python lists at a time


def _frame_rows(frame, keys):
    """(0-based index, frame label, {key: cell}) per row of `frame`. A block of
    ROWS_BLOCK rows at a time, each column as a list: iterating a pandas str
    column cell by cell costs a method call per cell (1.7 M of them for 100,000
    rows of 17 columns), and the whole frame as lists would hold every cell twice."""
    for start in range(0, len(frame), ROWS_BLOCK):
        block = frame.iloc[start : start + ROWS_BLOCK]
        cells = [block[key].tolist() for key in keys]
        labels = block.index.tolist()
        for offset, values in enumerate(zip(*cells, strict=True)):
            yield start + offset, labels[offset], dict(zip(keys, values, strict=True))


def parsed_rows(frame, columns):
    """Yield a ParsedRow per data row: required cells checked, each cell parsed; the
    importer adds its own checks through `row.error(key, message)`."""
    labels = {c.key: str(c.label) for c in columns}
    scales = frame.attrs.get("scales", {})
    keys = list(frame.columns)
    for index, position, row in _frame_rows(frame, keys):
        parsed = ParsedRow(index, int(position) + FIRST_DATA_ROW, {}, [], labels)
        for column in columns:
            text = row[column.key]
            if not text:
                if column.required:
                    parsed.error(column.key, _("This cell is required."))
                continue
            if column.parse is None:
                parsed.values[column.key] = text
                continue
            try:
                if column.key in scales:  # a 万元 header: the cell in 元
                    scaled = parse_decimal(text) * scales[column.key]
                    text = format(scaled.normalize(), "f")
                parsed.values[column.key] = column.parse(text)
            except ValidationError as exc:
                parsed.error(column.key, " ".join(exc.messages))
        yield parsed


# --- exports ------------------------------------------------------------------------


# Characters with which a spreadsheet program starts a formula (OWASP, “CSV
# Injection”): a cell of ours that starts with one is written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def is_formula_like(value):
    """Whether a spreadsheet program would take text `value` for a formula: it
    starts with one of FORMULA_STARTS and is not a plain number (“-5”, “+3.5”)."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.match(value)
    )


def neutralize_formula(value):
    """A cell value safe to write into a CSV export: text that a spreadsheet would
    run as a formula (“=HYPERLINK(…)”, “+1+1”, “@SUM(…)”, “-2+3+cmd|…”, a leading
    tab or carriage return) gets a leading apostrophe, which Excel and WPS show as
    text; numbers, dates and other text pass unchanged. Every export path goes
    through it (`export_csv_value`, `export_xlsx_cell`); imports take the
    apostrophe off again (`unneutralize_formula`). Source: OWASP, CSV
    Injection."""
    if is_formula_like(value):
        return "'" + value
    return value


def unneutralize_formula(text):
    """The original of an exported cell: a leading apostrophe that
    `neutralize_formula` put before a formula character is taken off, so an
    exported file imports back to the same values."""
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text


def export_xlsx_cell(cell):
    """Make an openpyxl cell safe in an .xlsx export: text is never a formula
    (openpyxl types a string starting with “=” as one) and formula-like text is
    marked “quote prefix”, so that Excel keeps it as text even when the cell is
    edited. The value itself is unchanged: the file reads and imports back exact."""
    if cell.data_type == "f" or is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def frame_to_xlsx(frame, sheet_name=None):
    """A DataFrame as .xlsx bytes, header first. Text that Excel would run as a
    formula (“=cmd|…”, “+1+1”, “@SUM(…)”) is written as text (`export_xlsx_cell`):
    names and titles come from users and imports, so an export must never carry a
    live formula."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if sheet_name:
        sheet.title = str(sheet_name)[:31]
    sheet.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([_export_value(v) for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            export_xlsx_cell(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _export_value(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters: not XML
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalars
    return value


def install_export_guard():
    """Route every Wagtail spreadsheet export through the guards above: the
    `list_export` of each snippet and ModelViewSet listing, and Wagtail's own
    reports (page titles) — all are `SpreadsheetExportMixin`. A CSV cell goes
    through `neutralize_formula` after Wagtail has turned it into text (a related
    record becomes its name there); an .xlsx cell through `export_xlsx_cell`.
    Numbers, dates and booleans keep their type. Installed once, from
    `CoreConfig.ready`; a listing needs nothing of its own."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "formula_guard_installed", False):
        return
    preprocess = SpreadsheetExportMixin.preprocess_field_value
    xlsx_row = SpreadsheetExportMixin.generate_xlsx_row

    def preprocess_field_value(self, field, value, export_format):
        value = preprocess(self, field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralize_formula(value)
        return value

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in xlsx_row(self, worksheet, row_dict, date_format=date_format):
            yield export_xlsx_cell(cell)

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.generate_xlsx_row = generate_xlsx_row
    SpreadsheetExportMixin.formula_guard_installed = True
