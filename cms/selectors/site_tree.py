"""The public site's page tree as every render needs it, read once per change.

A public page needs, besides its own content, a few facts about the tree that are
the same for every reader until an editor changes something: the live sections
under the home page
(menu, "more" links), a page's ancestors (breadcrumb), the home page and its
children (routing), the choices of the showcase filters. Read from
the database on every render they cost a query each; here each is read once and
kept in the cache under the page cache's generation (`cms.page_cache`), so they
are dropped when the tree may have changed: a page published, unpublished,
moved or deleted, any view restriction changed, a region or a service field
renamed, a site added, changed or removed. The showcase filters' choices read the
showcased organizations too: they are dropped as well when one of those changes
(`site_cached(..., data=True)`, `showcase_data_changed`); a change of any other
organization keeps them.

`SITE_CACHE_TIMEOUT` bounds how long an entry is kept: with Redis (production)
the generation is shared and a change reaches every worker at once; with a
per-process cache, another worker's copy lives at most this long (as a stored
page does). Which sections are private (view restrictions) is a matter of
access, never kept past the request that read it (`private_sections`).
"""

import uuid
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from cms.page_cache import page_cache_generation

SITE_CACHE_TIMEOUT = 5 * 60  # seconds
# A new value whenever an organization with a showcase page changes.
SHOWCASE_DATA_KEY = "cms:site:showcase-data"


def site_cached(name, compute, *, data=False):
    """`compute()` once per generation of the page cache (see the module): the value
    stored under `name` (a str naming what it is and of which page), else computed
    and stored. `compute` must return a picklable value, never None. `data`: the
    value also reads the showcased organizations (the showcase filters: their
    regions and service fields), so it is dropped too when one of them changes
    (`showcase_data_changed`)."""
    # The generation is read first: a change made while computing gives a new
    # generation, so what is stored under the old one is never read again.
    generation = page_cache_generation()
    if data:
        generation = f"{generation}:{cache.get(SHOWCASE_DATA_KEY, '')}"
    key = f"cms:site:{generation}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, SITE_CACHE_TIMEOUT)
    return value


def site_for_request(request):
    """The Wagtail site serving `request` (by host name and port, as
    `Site.find_for_request` chooses it), with its root page: a Site, or None when no
    site matches."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def find():
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return False  # cached as "no site" (None means "not cached")
        # kept as its own class (the home page): Wagtail's routing starts from
        # `site.root_page.specific`, a query per request otherwise
        site.root_page = site.root_page.specific
        return site

    return site_cached(f"site:{hostname}:{port}", find) or None


# Facts read once per request, never across requests: set to a dict by
# `cms.middleware.SiteLookupMiddleware` for the length of a request (None
# outside one: read on every call).
REQUEST_FACTS = ContextVar("cms_request_facts", default=None)


def private_sections():
    """The pages that carry a view restriction (login, groups or password), as
    ((path, depth), …) in tree order: each is private with everything below it.
    Empty on a site with no private page. Read once per request and never kept
    longer: a section made private by another worker must be refused at once,
    whatever cache the deployment has (one query over a table of a few rows)."""
    facts = REQUEST_FACTS.get()
    if facts is not None and "private-sections" in facts:
        return facts["private-sections"]
    sections = tuple(
        PageViewRestriction.objects.order_by("page__path").values_list(
            "page__path", "page__depth"
        )
    )
    if facts is not None:
        facts["private-sections"] = sections
    return sections


def public(pages):
    """`pages` (a page queryset) without the private sections: what Wagtail's
    `PageQuerySet.public()` returns, without its query of the restrictions."""
    private = Q()
    for path, depth in private_sections():
        private |= Q(path__startswith=path, depth__gte=depth)
    return pages.exclude(private) if private else pages


def live_children(parent):
    """The live, public children of `parent` (a page) in tree order: [Page] (not
    specific), e.g. the sections under the home page."""
    return site_cached(
        f"live-children:{parent.path}",
        lambda: list(public(Page.objects.child_of(parent).live())),
    )


def children(parent):
    """{slug: page as its own class} of every child of `parent`, live or not — for
    a page with few children (the home page: its sections), so that routing to a
    section or below it reads no section from the database."""
    return site_cached(
        f"children:{parent.path}",
        lambda: {page.slug: page for page in Page.objects.child_of(parent).specific()},
    )


def ancestors(page):
    """The ancestors of `page` from the tree's root down, as the breadcrumb shows
    them: [Page] (not specific)."""
    return site_cached(f"ancestors:{page.path}", lambda: list(page.get_ancestors()))


def showcase_data_changed():
    """A showcased organization changed (its region, its service fields): drop the
    showcase filters' choices now and again at the commit (`site_cached(...,
    data=True)`). Called by the receiver in `cms.apps`."""
    cache.set(SHOWCASE_DATA_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(SHOWCASE_DATA_KEY, uuid.uuid4().hex, None))
