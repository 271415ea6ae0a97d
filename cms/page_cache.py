"""The public site's page cache: anonymous readers get a stored copy of a page.

Public pages are the same for every anonymous reader in a language, and most of
the traffic; rendering one costs a dozen queries and Wagtail's templates. The
middleware keeps each rendered page in the cache (Redis in production, shared by
every worker) for `PUBLIC_PAGE_CACHE_SECONDS`, keyed by path, query string and
language. It stores only what is safe to share:

- requests: GET, outside the admin and the guarded downloads, from a visitor with no
  session and no pending messages (anyone logged in always gets a fresh render with
  Wagtail's user bar);
- responses: 200 HTML that sets no cookie and is not marked private or no-store.

The whole cache is dropped (a new generation key) when a page is published,
unpublished, moved, deleted or saved with anything a reader sees (`page_saved`; a
write that sends no signal, a queryset `update()`, is seen at the next drop or
after the timeouts), and when any view restriction changes (a page or an
ancestor made private, its groups or password changed, a restriction lifted:
`view_restriction_changed`). The stored pages alone (a second generation key,
`stored_pages_clear`) are dropped whenever the figures' data changes
(`cms.selectors.figures.figures_invalidate`) and when the figures are recomputed.
So a reader never waits the full timeout to see a change — and a page made
private is never served from a copy stored while it was public. `PUBLIC_PAGE_CACHE_SECONDS = 0` turns it off (the test settings do).

What a render reads from the page tree (the site, the private sections, menus,
breadcrumbs, the showcase filters: `cms.selectors.site_tree`) is kept under the same
generation, so it is dropped at the same moments, and also when a region, a service
field or a site changes (`cms.apps`).
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse

from core.middleware import request_language

GENERATION_KEY = "cms:page-cache:generation"
# A second generation for the stored pages alone (`stored_pages_clear`).
PAGES_KEY = "cms:page-cache:pages"
EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/projects/", "/i18n/", "/django-admin/")
# Headers worth keeping with the stored page (the rest is the same on every render).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options")


def page_cache_clear(**_kwargs):
    """Drop every stored page and the tree facts kept with them (a new generation;
    old entries expire unread)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def stored_pages_clear(**_kwargs):
    """Drop every stored page but keep the tree facts (`cms.selectors.site_tree`):
    what a change of the figures' data, or their refresh, needs — the pages show
    the data, the page tree has not changed."""
    cache.set(PAGES_KEY, uuid.uuid4().hex, None)


def view_restriction_changed(**_kwargs):
    """Signal receiver for any change of a view restriction (created, saved, deleted,
    groups changed) on a page — which covers its descendants — or on a collection.

    Drops every stored page at once, and again when the transaction commits, so a
    copy rendered while the change was being written is not served either (else a
    page restricted to logged-in users would stay public from the cache for up to
    `PUBLIC_PAGE_CACHE_SECONDS`)."""
    tree_changed()


#: Columns a draft or a lock writes on a page (`save_revision`, locking): nothing a
#: reader sees, so a save of these alone keeps the stored pages.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "draft_title",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def page_saved(sender, instance, update_fields=None, **_kwargs):
    """Signal receiver for a page saved outside Wagtail's publish and unpublish (a
    service or command calling `save()`: a title, a slug, `live` changed): drops
    every stored page, and the tree facts keyed by the generation (the home page and
    its sections routing reads, `cms.selectors.site_tree`), now and when the
    transaction commits. A draft saved (`DRAFT_ONLY_FIELDS`) changes nothing.
    Connected to every model's post_save (`cms.apps`), so a page model defined after
    start-up is heard too; other models' saves return at once."""
    from wagtail.models import Page

    if not isinstance(instance, Page):
        return
    if update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    tree_changed()


def tree_changed(**_kwargs):
    """Drops every stored page now and again when the transaction commits: a reader
    who renders while the change is being written (another worker, before the
    commit) would otherwise store what is about to stop being true under the new
    generation — a deleted section still routed, a private page still public."""
    page_cache_clear()
    transaction.on_commit(page_cache_clear)


def page_cache_generation():
    """The current generation of the page cache (a hex str): it changes at every
    `page_cache_clear`. Other caches of what a public page shows key their entries
    by it to be dropped at the same moments (`cms.selectors.site_tree`)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def stored_pages_generation():
    """The generation of the stored pages (a str): it changes at every
    `page_cache_clear` and every `stored_pages_clear`; read in one round trip to
    the cache."""
    stored = cache.get_many([GENERATION_KEY, PAGES_KEY])
    generation = stored.get(GENERATION_KEY) or page_cache_generation()
    return f"{generation}:{stored.get(PAGES_KEY, '')}"


def _cacheable_request(request):
    if request.method != "GET":
        return False
    if request.path.startswith(EXCLUDED_PREFIXES) or request.path.startswith(
        (settings.STATIC_URL, settings.MEDIA_URL)
    ):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _key(request):
    # the host too: each Wagtail site (a host name) has its own pages at the same
    # paths ("/" is each site's home)
    where = f"{request.get_host()}{request.get_full_path()}"
    path = hashlib.sha256(where.encode()).hexdigest()
    return f"cms:page:{stored_pages_generation()}:{request_language(request)}:{path}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        try:
            key = _key(request)
        except DisallowedHost:  # refused further on, never stored
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(response):
            headers = {h: response[h] for h in KEPT_HEADERS if h in response}
            cache.set(key, (response.content, headers), seconds)
            response["X-Page-Cache"] = "miss"
        return response
