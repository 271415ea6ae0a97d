"""Uploaded files: one allow-list checked by content, one way to serve private files.

DESIGN.md §3 "Uploads": a file is accepted only when its content
is one of the kinds below and its name's extension agrees with that content; HTML,
SVG, scripts and anything unrecognised are refused. The content is read with
`filetype` (magic numbers), never trusted from the name or the browser's
Content-Type. Plain text (CSV, TXT) has no magic number: it is accepted only under a
.csv/.txt name, when it decodes as text and holds no markup.

Serving (`file_response`): the Content-Type comes from the content; only a verified
image or PDF is shown inline, everything else is a download (attachment); every
response carries `X-Content-Type-Options: nosniff`.

Used by every upload of the product: outcome evidence and pairing agreements
(model validators), Wagtail documents (application attachments, award agreements,
award reports, editors' documents) and Wagtail images (the admin forms set as
WAGTAILDOCS_DOCUMENT_FORM_BASE and WAGTAILIMAGES_IMAGE_FORM_BASE). Spreadsheet
import files are checked by the import screen (core/forms.py).
"""

import re
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    """One accepted kind of file: its content type, the extensions its name may
    have, and whether a browser may show it inline (verified images and PDF)."""

    mime: str
    extensions: tuple
    inline: bool = False


IMAGES = {
    "image/jpeg": Kind("image/jpeg", ("jpg", "jpeg"), inline=True),
    "image/png": Kind("image/png", ("png",), inline=True),
    "image/gif": Kind("image/gif", ("gif",), inline=True),
    "image/webp": Kind("image/webp", ("webp",), inline=True),
}
DOCUMENTS = {
    "application/pdf": Kind("application/pdf", ("pdf",), inline=True),
    # Office Open XML (Word, Excel, PowerPoint 2007+) and the legacy binary formats
    # government offices still send (WPS saves both).
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
    ),
    "application/msword": Kind("application/msword", ("doc",)),
    "application/vnd.ms-excel": Kind("application/vnd.ms-excel", ("xls",)),
}
# Text has no magic number: recognised by its name, then read whole (see _is_text).
TEXT = {
    "csv": Kind("text/csv", ("csv",)),
    "txt": Kind("text/plain", ("txt",)),
}
ALLOWED = {**IMAGES, **DOCUMENTS}
# The extensions of every accepted kind (WAGTAILDOCS_EXTENSIONS is built from it).
DOCUMENT_EXTENSIONS = sorted(
    {ext for kind in (*ALLOWED.values(), *TEXT.values()) for ext in kind.extensions}
)
IMAGE_EXTENSIONS = sorted({ext for kind in IMAGES.values() for ext in kind.extensions})

# Legacy Office files share the OLE container: filetype may name a .doc "xls" or
# the reverse; both are the same risk, so either name is accepted for either.
_OLE = {"application/msword", "application/vnd.ms-excel", "application/x-ole-storage"}
# Markup a browser would run or render: tags, comments, processing instructions
# (<?php, <?xml), doctypes.
_MARKUP = re.compile(rb"<\s*[a-zA-Z!?/]")
_HEAD = 8192

REFUSED = _(
    "This file type is not accepted. Upload a JPEG, PNG, GIF or WebP image, a PDF, "
    "a Word, Excel or PowerPoint document, or a plain CSV/TXT file. Web pages "
    "(HTML), SVG images and scripts are never accepted."
)
MISMATCH = _(
    "The file's name (.%(extension)s) does not match its content (%(content)s). "
    "Save it with its real type and upload it again."
)
TEXT_WITH_MARKUP = _(
    "This text file contains web-page markup or script (“<…”), which is not "
    "accepted. Upload plain text only."
)
EMPTY = _("The file is empty.")
NOT_AN_IMAGE = _(
    "This file starts like a %(content)s image but is not one that can be opened "
    "(damaged, or something else under an image's header). Save the image again "
    "and upload it."
)


def _extension(name):
    return PurePath(name or "").suffix.lower().lstrip(".")


def _chunks(file):
    """The file's bytes in chunks, from the start, leaving it rewound."""
    file.seek(0)
    try:
        if hasattr(file, "chunks"):
            yield from file.chunks()
        else:
            while chunk := file.read(64 * 1024):
                yield chunk
    finally:
        file.seek(0)


def _head(file):
    file.seek(0)
    head = file.read(_HEAD)
    file.seek(0)
    return head


def _is_text(file):
    """True when the whole file decodes as text (UTF-8, or GB18030 as Chinese Excel
    saves CSV) and holds no markup. Raises ValidationError for markup."""
    data = b"".join(_chunks(file))
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    if _MARKUP.search(data):
        raise ValidationError(TEXT_WITH_MARKUP, code="upload_markup")
    return True


def _readable_image(file):
    """True when Pillow opens and verifies the image (its header and structure);
    leaves the file rewound."""
    from PIL import Image

    file.seek(0)
    try:
        with Image.open(file) as image:
            image.verify()
    except Exception:  # noqa: BLE001 - any reader error: not a readable image
        return False
    finally:
        file.seek(0)
    return True


def sniff(file):
    """The accepted Kind of a file's content, or None when it is not one.

    `file`: any open binary file object (an upload, a stored FieldFile). Reads the
    first 8 KB (and the whole file for text names); leaves the file rewound.
    """
    guess = filetype.guess(_head(file))
    if guess is not None:
        mime = guess.mime
        if mime in _OLE:
            return DOCUMENTS.get(mime) or DOCUMENTS["application/msword"]
        return ALLOWED.get(mime)
    return None


def check_upload(file, *, allowed=None):
    """Refuse a file whose content is not on the allow-list, or whose name's
    extension disagrees with its content.

    `file`: an uploaded file or FieldFile (with .name). `allowed`: the accepted
    kinds (default: every kind in ALLOWED and TEXT; images only for Wagtail's
    images). Returns the Kind. Raises django ValidationError with a message in the
    user's language (codes: upload_empty, upload_type, upload_mismatch,
    upload_markup, upload_image: an image Pillow cannot open). Source: DESIGN.md §3
    "Uploads".
    """
    allowed = ALLOWED if allowed is None else allowed
    extension = _extension(getattr(file, "name", ""))
    if getattr(file, "size", None) == 0 or not _head(file):
        raise ValidationError(EMPTY, code="upload_empty")
    kind = sniff(file)
    if kind is None or kind.mime not in allowed:
        if allowed is not IMAGES and extension in TEXT and _is_text(file):
            return TEXT[extension]
        raise ValidationError(REFUSED, code="upload_type")
    legacy = kind.mime in _OLE and extension in ("doc", "xls")
    if extension not in kind.extensions and not legacy:
        raise ValidationError(
            MISMATCH,
            code="upload_mismatch",
            params={"extension": extension or "?", "content": kind.extensions[0]},
        )
    if kind.mime in IMAGES and not _readable_image(file):
        # served inline as a verified image: its magic number is not enough
        # (`GIF89a<script>…` has a GIF's).
        raise ValidationError(
            NOT_AN_IMAGE,
            code="upload_image",
            params={"content": kind.extensions[0].upper()},
        )
    return kind


def validate_upload(value):
    """Model-field validator (evidence, agreements): checks a new upload only; a
    file already stored was checked when it came in and is not read again."""
    if not value or getattr(value, "_committed", False):
        return
    check_upload(value)


def file_response(stored, *, filename=None, inline=True):
    """A download of a stored private file, safe whatever was stored.

    The Content-Type is the one its content shows (application/octet-stream when
    it is none of the accepted kinds, as files stored before the check may be); a
    verified image or PDF is shown inline (unless `inline=False`: always a
    download), anything else is an attachment. Adds `X-Content-Type-Options:
    nosniff`. `stored`: a FieldFile; `filename`: the name the browser saves.
    """
    handle = stored.open("rb")
    kind = sniff(handle)
    if kind is not None and kind.mime in IMAGES and not _readable_image(handle):
        kind = None  # stored before images had to open: not shown as one
    filename = filename or stored.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=not (inline and kind and kind.inline),
        filename=filename,
        content_type=kind.mime if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
