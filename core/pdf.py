"""HTML to PDF through WeasyPrint, with local files only and a CJK font from Debian."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

#: The font stack of every printed document: WenQuanYi Zen Hei comes from Debian's
#: `fonts-wqy-zenhei` (the Makefile's `pdf-deps`), Noto Sans CJK SC from
#: `fonts-noto-cjk` where that is installed instead. No font file is shipped.
FONT_FAMILY = '"WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif'


class LocalOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reads `data:` URLs and files under `roots`,
    and refuses everything else (http, https, ftp, files elsewhere): a printed
    document never makes a network request, whatever a name or a comment in it
    contains."""

    def __init__(self, roots, **kwargs):
        super().__init__(allowed_protocols={"file", "data"}, **kwargs)
        self.roots = [Path(root).resolve() for root in roots]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"refused (outside the static files): {url}")
        elif parts.scheme != "data":
            raise ValueError(f"refused (not a local URL): {url}")
        return super().fetch(url, headers)


def static_roots():
    """The directories a document may read files from: the static files of the
    project's apps and `STATIC_ROOT` (list of paths)."""
    roots = [
        storage.location
        for finder in finders.get_finders()
        for storage in getattr(finder, "storages", {}).values()
        if getattr(storage, "location", None)
    ]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(settings.STATIC_ROOT)
    return roots


def render_pdf(html, *, base_url=None):
    """`html` (str) as PDF bytes. Relative URLs in it resolve against `base_url`
    (default: the project directory); only `data:` URLs and files under
    `static_roots()` are read (`LocalOnlyFetcher`): any other URL is refused and
    left out of the document, never fetched."""
    if base_url is None:
        base_url = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    fetcher = LocalOnlyFetcher(static_roots())
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def render_template_pdf(template_name, context, *, request=None, header="", label=""):
    """The template rendered to PDF bytes. Adds to `context` what a print
    stylesheet needs: `font_family` (FONT_FAMILY), `page_counter`
    (`page_counter_css`), and `header_left` / `header_right`, the running page
    header (`header`: the department, `label`: the document number) as CSS
    strings."""
    context = {
        **context,
        "font_family": FONT_FAMILY,
        "page_counter": page_counter_css(),
        "header_left": css_string(header),
        "header_right": css_string(label),
    }
    return render_pdf(render_to_string(template_name, context, request=request))


def page_counter_css():
    """The CSS `content` value of the page footer, "第 1 页 共 3 页" in Chinese,
    "Page 1 of 3" in English: the translated text around WeasyPrint's page
    counters (a str to put after `content:` in a print stylesheet)."""
    text = _("Page %(page)s of %(pages)s")
    marker_page, marker_pages = "\x00page\x00", "\x00pages\x00"
    text = text % {"page": marker_page, "pages": marker_pages}
    before, rest = text.split(marker_page)
    middle, after = rest.split(marker_pages)
    return " ".join(
        [css_string(before), "counter(page)", css_string(middle)]
        + ["counter(pages)", css_string(after)]
    )


def css_string(text):
    """`text` as a quoted CSS string, safe inside a `<style>` element: every
    character that could end the string, the rule or the element (quote,
    backslash, angle brackets, ampersand, line breaks) is written as a CSS
    escape (`\\3c ` for "<")."""
    escaped = "".join(
        f"\\{ord(ch):x} " if ch in "\"\\<>&'" or ord(ch) < 32 else ch
        for ch in str(text)
    )
    return f'"{escaped}"'


def pdf_response(pdf, filename):
    """An HTTP response that opens `pdf` (bytes) in the browser, to print, saved as
    `filename` (may be Chinese)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
