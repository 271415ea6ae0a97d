"""What an import file may be, checked before anything parses it.

Its type by content, not by name, and limits on its size.

A 1 MB .xlsx holding one 1 GB cell once took a worker to 4 GB of memory, and a
1,048,575-row file of bad rows stored 180 MB of errors: calamine and pandas load a
whole sheet at once, so the limits are checked on the raw bytes first.

- `import_file_kind(data, filename)` → "xlsx" or "csv", or `ImportFileError`: an
  .xlsx/.xlsm must be an OOXML workbook (a zip whose `[Content_Types].xml` declares
  a spreadsheet, which `filetype` does not take for another type); a .csv must be
  text (UTF-8 or GB18030, no NUL byte, no known binary signature, not HTML/SVG/XML).
  Anything else (legacy .xls included: no reader is installed) is refused.
- `check_import_limits(data, kind)` streams the file once, in 64 KB pieces, and
  refuses it past `IMPORT_MAX_ROWS` rows, `IMPORT_MAX_COLUMNS` columns,
  `IMPORT_MAX_UNCOMPRESSED_SIZE` bytes unpacked (declared sizes first, from the
  zip's central directory, then the bytes actually inflated, which Python's zipfile
  holds to the declared size and CRC), a member inflating more than
  `IMPORT_MAX_COMPRESSION_RATIO` times, or a cell beyond `IMPORT_MAX_CELL_CHARS`
  characters (Excel's own limit, 32,767). The sheet's `<dimension ref>` can lie, so
  rows are counted while reading and the count stops at the cap.

The upload form, the worker and `import_organizations` all pass through these
(`core.forms.ImportUploadForm`, `core.spreadsheets.read_table`).
"""

import codecs
import csv
import html
import io
import re
import zipfile

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The main part a workbook's [Content_Types].xml declares, by extension.
_WORKBOOK_PARTS = {
    ".xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ".xlsm": b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
}
_MARKUP_STARTS = (
    "<!doctype",
    "<html",
    "<head",
    "<body",
    "<svg",
    "<?xml",
    "<script",
    "<iframe",
    "<!--",
)

_CHUNK = 64 * 1024
# One character of XML text is at most 10 bytes (“&#1114111;”): a run of text longer
# than this many bytes per allowed character is certainly too long a cell.
_MAX_BYTES_PER_CHAR = 10
_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (x:row)
_PREFIXED_ROW = re.compile(rb"<[A-Za-z_][\w.-]*:row[\s/>]")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_CELL_REF = re.compile(rb"<" + _NAME + rb'c\s[^>]*?\br="([A-Z]{1,3})(\d+)"')
_WIDE_CELL_REF = re.compile(rb'r="([A-Z]{2,3})\d')
_PREFIXED_SHARED_STRING = re.compile(rb"<[A-Za-z_][\w.-]*:si[\s>]")


class ImportFileError(ValueError):
    """The file is refused before parsing; str(error) is the message for the user,
    in the active language."""


def import_file_kind(data, filename):
    """The kind of an import upload judged by its content: "xlsx" or "csv".

    `data` is the whole file (bytes), `filename` the name it was uploaded under.
    Raises ImportFileError when the content is not what the name says, or the name
    is not an allowed spreadsheet (.xlsx, .xlsm, .csv)."""
    name = str(filename).lower()
    if not data:
        raise ImportFileError(_("The file is empty."))
    for extension, part in _WORKBOOK_PARTS.items():
        if name.endswith(extension):
            _check_workbook(data, part)
            return "xlsx"
    if name.endswith(".csv"):
        csv_text(data)
        return "csv"
    raise ImportFileError(
        _("Unsupported file type: upload an Excel (.xlsx) or CSV (.csv) file.")
    )


def _check_workbook(data, part):
    not_workbook = ImportFileError(
        _(
            "The file is not an Excel workbook (.xlsx), whatever its name says: "
            "save it from Excel or WPS as .xlsx and upload it again."
        )
    )
    guess = filetype.guess(data)
    if guess is not None and guess.mime not in (XLSX_MIME, "application/zip"):
        raise not_workbook
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                raise not_workbook
            types = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise not_workbook from exc
    if part not in types:
        raise not_workbook


def csv_text(data):
    """The text of a CSV upload (bytes → str), decoded as UTF-8 (with or without BOM)
    or GB18030. Raises ImportFileError when it is not text: a NUL byte, a binary
    signature `filetype` knows (image, PDF, zip…), another encoding, or markup
    (HTML, SVG, XML) under a .csv name."""
    not_text = ImportFileError(
        _(
            "The file is not a CSV text file, whatever its name says: save the sheet "
            "as “CSV UTF-8” and upload it again."
        )
    )
    if b"\x00" in data or filetype.guess(data) is not None:
        raise not_text
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030 encoded."))
    if text.lstrip("\ufeff \t\r\n").lower().startswith(_MARKUP_STARTS):
        raise not_text
    return text


# --- limits ---------------------------------------------------------------------


def _rows_refusal(limit):
    return ImportFileError(
        _(
            "The file has more than %(limit)s rows, the limit for one import: split "
            "it into several files and import them one by one."
        )
        % {"limit": f"{limit:,}"}
    )


def _columns_refusal(limit):
    return ImportFileError(
        _("The sheet has more than %(limit)s columns, the limit for one import.")
        % {"limit": f"{limit:,}"}
    )


def cell_refusal(row, column, limit=None):
    """The refusal of a cell longer than IMPORT_MAX_CELL_CHARS; `row` is its row
    number as Excel shows it and `column` its header or Excel letter, either None
    when unknown."""
    limit = limit or settings.IMPORT_MAX_CELL_CHARS
    values = {"row": row, "column": column, "limit": f"{limit:,}"}
    if row is None:
        message = _(
            "A cell holds more than %(limit)s characters, the most a spreadsheet "
            "cell may hold."
        )
    elif column is None:
        message = _(
            "A cell in row %(row)s holds more than %(limit)s characters, the most a "
            "spreadsheet cell may hold."
        )
    else:
        message = _(
            "The cell in row %(row)s, column %(column)s holds more than %(limit)s "
            "characters, the most a spreadsheet cell may hold."
        )
    return ImportFileError(message % values)


def check_import_limits(data, kind):
    """Refuse a file too large to parse safely; returns None when it is within the
    limits. `data` is the whole upload (bytes), `kind` "xlsx" or "csv" (from
    `import_file_kind`). Raises ImportFileError naming the limit exceeded (and the
    row and column of a too-long cell)."""
    if kind == "csv":
        _check_csv(csv_text(data))
    else:
        _XlsxScan(data).run()


def _check_csv(text):
    max_rows = settings.IMPORT_MAX_ROWS
    max_columns = settings.IMPORT_MAX_COLUMNS
    max_chars = settings.IMPORT_MAX_CELL_CHARS
    reader = csv.reader(io.StringIO(text))
    header = None
    count = 0
    try:
        for row in reader:
            count += 1
            if count > max_rows + 1:  # + the header row
                raise _rows_refusal(max_rows)
            if len(row) > max_columns:
                raise _columns_refusal(max_columns)
            if row and max(map(len, row)) > max_chars:
                index = next(i for i, cell in enumerate(row) if len(cell) > max_chars)
                name = header[index] if header and index < len(header) else None
                raise cell_refusal(reader.line_num, name or _column_letter(index))
            if header is None:
                header = [cell.strip() for cell in row]
    except csv.Error as exc:
        # The csv module's own cap (131,072 characters) on one field.
        raise cell_refusal(reader.line_num, None) from exc


def _column_letter(index):
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + (ord(letter) - ord("A") + 1)
    return number


class _LongText(Exception):
    def __init__(self, context):
        self.context = context  # the bytes just before the text run


class _XlsxScan:
    """One streaming pass over a workbook's members; see the module docstring."""

    def __init__(self, data):
        self.data = data
        self.max_rows = settings.IMPORT_MAX_ROWS
        self.max_columns = settings.IMPORT_MAX_COLUMNS
        self.max_bytes = settings.IMPORT_MAX_UNCOMPRESSED_SIZE
        self.max_ratio = settings.IMPORT_MAX_COMPRESSION_RATIO
        self.max_chars = settings.IMPORT_MAX_CELL_CHARS
        self.max_run = self.max_chars * _MAX_BYTES_PER_CHAR
        self.inflated = 0

    def _size_refusal(self):
        return ImportFileError(
            _(
                "The workbook unpacks to more than %(size)s MB, the limit for one "
                "import: delete unused sheets or split the file."
            )
            % {"size": self.max_bytes // (1024 * 1024)}
        )

    def run(self):
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                members = archive.infolist()
                if sum(m.file_size for m in members) > self.max_bytes:
                    raise self._size_refusal()
                sheets = [m for m in members if _is_sheet(m.filename)]
                for member in members:
                    self._scan(archive, member, sheets)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise ImportFileError(
                _(
                    "The file could not be read as a spreadsheet: is it a valid "
                    ".xlsx or .csv file?"
                )
            ) from exc
        for member in members:
            # After the scan, so that a too-long cell or too many rows is named as
            # such; what is left inflating this much is a zip bomb.
            packed = max(member.compress_size, 1)
            if (
                member.file_size > 1024 * 1024
                and member.file_size / packed > self.max_ratio
            ):
                raise ImportFileError(
                    _(
                        "The workbook is compressed abnormally (a part of it unpacks "
                        "to %(ratio)s times its size) and is refused as a possible "
                        "zip bomb."
                    )
                    % {"ratio": int(member.file_size / packed)}
                )

    def _pieces(self, archive, member):
        """The member's bytes in pieces that end just before a “<”; raises
        _LongText when a run without “<” (a cell's text) outgrows `max_run`."""
        carry = b""
        tail = b""
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                self.inflated += len(chunk)
                if self.inflated > self.max_bytes:
                    raise self._size_refusal()
                buffer = carry + chunk
                cut = buffer.rfind(b"<")
                if cut > 0:
                    piece, carry = buffer[:cut], buffer[cut:]
                    tail = piece[-2048:]
                    yield piece
                else:
                    carry = buffer
                if len(carry) > self.max_run:
                    raise _LongText(tail + carry[:256])
        if carry:
            yield carry

    def _long_text(self, piece):
        """(segments, position) of the first text in `piece` longer than
        `max_chars` characters, `piece` split at each “<”; None if there is none.
        A piece ends before a “<”, so no text runs over into the next piece."""
        if len(piece) <= self.max_chars:
            return None
        segments = piece.split(b"<")
        if max(map(len, segments)) <= self.max_chars:
            return None
        for position, segment in enumerate(segments):
            text = segment.partition(b">")[2]
            if len(text) > self.max_chars:
                characters = html.unescape(text.decode("utf-8", "replace"))
                if len(characters) > self.max_chars:
                    return segments, position
        return None

    def _scan(self, archive, member, sheets):
        name = member.filename
        try:
            if _is_sheet(name):
                self._scan_sheet(archive, member)
            elif name.lower().endswith("sharedstrings.xml"):
                self._scan_shared_strings(archive, member, sheets)
            else:
                for _piece in self._pieces(archive, member):
                    pass
        except _LongText as exc:
            refs = _CELL_REF.findall(exc.context)
            if _is_sheet(name) and refs:
                letters, row = refs[-1]
                raise cell_refusal(int(row), letters.decode()) from exc
            raise cell_refusal(None, None) from exc

    def _scan_sheet(self, archive, member):
        # bytes.count and literal-led patterns: a 10,000-row sheet in under 0.1 s.
        rows = 0
        previous = b""
        for piece in self._pieces(archive, member):
            rows += piece.count(b"<row") - piece.count(b"<rowBreaks")
            if b":row" in piece:  # a namespace prefix (<x:row>)
                rows += len(_PREFIXED_ROW.findall(piece))
            last = max(piece.rfind(b"<row"), piece.rfind(b":row "))
            number = _ROW_NUMBER.search(piece, last, last + 200) if last >= 0 else None
            if rows > self.max_rows + 1 or (
                number and int(number.group(1)) > self.max_rows + 1
            ):
                raise _rows_refusal(self.max_rows)
            found = self._long_text(piece)
            if found:
                # The cell's tag is just before its text, maybe in the last piece.
                segments, position = found
                before = b"<".join(segments[max(0, position - 4) : position])
                raise _LongText(previous + b"<" + before)
            previous = piece[-2048:]
            # A column past Z has two or three letters (“AA7”); 200 is “GR”.
            for letters in set(_WIDE_CELL_REF.findall(piece)):
                if _column_number(letters.decode()) > self.max_columns:
                    raise _columns_refusal(self.max_columns)

    def _scan_shared_strings(self, archive, member, sheets):
        seen = 0
        try:
            for piece in self._pieces(archive, member):
                found = self._long_text(piece)
                if found:
                    segments, position = found
                    piece = b"<" + b"<".join(segments[:position])
                seen += piece.count(b"<si>") + piece.count(b"<si ")
                if b":si" in piece:  # a namespace prefix (<x:si>)
                    seen += len(_PREFIXED_SHARED_STRING.findall(piece))
                if found:
                    raise _LongText(b"")
        except _LongText as exc:
            # The string being read is number seen - 1: name the cell that uses it.
            where = _shared_string_cell(archive, sheets, seen - 1)
            if where is None:
                raise cell_refusal(None, None) from exc
            raise cell_refusal(where[1], where[0]) from exc


def _is_sheet(name):
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _shared_string_cell(archive, sheets, index):
    """(column letters, row) of the first cell showing shared string `index`."""
    pattern = re.compile(
        rb"<"
        + _NAME
        + rb"c\s([^>]*)>\s*<"
        + _NAME
        + rb"v>"
        + str(index).encode()
        + rb"</"
    )
    for sheet in sheets:
        carry = b""
        with archive.open(sheet) as stream:
            while chunk := stream.read(_CHUNK):
                buffer = carry + chunk
                for attributes in pattern.findall(buffer):
                    ref = re.search(rb'\br="([A-Z]{1,3})(\d+)"', attributes)
                    if ref and b't="s"' in attributes:
                        return ref.group(1).decode(), int(ref.group(2))
                carry = buffer[-512:]
    return None
