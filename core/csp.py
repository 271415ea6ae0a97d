"""Content-Security-Policy on every response.

The policy itself is `CONTENT_SECURITY_POLICY` in config/settings/base.py (django-csp
4.x format); docs/deployment.md says why each source is allowed. This module adds
what django-csp does not do by itself:

- a file a user uploaded (a document, outcome evidence, an agreement) is served
  under `FILE_DIRECTIVES`: nothing in it may load or run, and unless it is a PDF it
  is sandboxed (an origin of its own, no scripts, no forms), so an uploaded
  `photos.html` or scripted `.svg` opened in an administrator's browser does
  nothing even if it got past the upload checks;
- the request's nonce is kept in a context variable for the duration of the request
  (`current_nonce`), so that HTML made without the request at hand (Wagtail's chooser
  widgets, date inputs and inline panels, see core/wagtail_csp.py) can carry it.
"""

from contextvars import ContextVar

from csp.constants import HEADER, NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import FileResponse

_nonce = ContextVar("csp_nonce", default=None)

# A served file: images it shows come from here; its own styles (an SVG's <style>)
# may apply; nothing else loads, runs, submits or sets a base URL.
FILE_DIRECTIVES = {
    "default-src": [NONE],
    "img-src": [SELF, "data:"],
    "style-src": [UNSAFE_INLINE],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [SELF],
}
# Browsers' PDF viewers refuse to draw a sandboxed PDF; a PDF runs no page script.
UNSANDBOXED_FILE_TYPES = ("application/pdf",)


def current_nonce():
    """The nonce of the request being answered (a str), or "" outside a request.

    Reading it puts the nonce in that response's header (django-csp adds it only
    when something used it)."""
    nonce = _nonce.get()
    return str(nonce) if nonce is not None else ""


def is_file_response(response):
    """True for a response that carries a stored file rather than a page: a
    `FileResponse` (Wagtail's document view, the evidence and agreement views,
    media in development) or anything sent with a Content-Disposition."""
    return isinstance(response, FileResponse) or response.has_header(
        "Content-Disposition"
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with `FILE_DIRECTIVES` for served files and the
    request's nonce available to `current_nonce` while the view runs."""

    def process_request(self, request):
        super().process_request(request)
        request._csp_nonce_token = _nonce.set(request.csp_nonce)

    def process_response(self, request, response):
        token = getattr(request, "_csp_nonce_token", None)
        if token is not None:
            del request._csp_nonce_token
            try:
                _nonce.reset(token)
            except ValueError:  # answered in another context (ASGI): nothing to undo
                pass
        if is_file_response(response) and response.has_header(HEADER):
            # Wagtail's document view sets `default-src 'none'`; the file policy
            # keeps that and adds the sandbox and the navigation directives.
            del response[HEADER]
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and is_file_response(response):
            content_type = response.get("Content-Type", "").split(";")[0].strip()
            directives = dict(FILE_DIRECTIVES)
            if content_type not in UNSANDBOXED_FILE_TYPES:
                directives["sandbox"] = True
            return PolicyParts(config=directives)
        return parts
