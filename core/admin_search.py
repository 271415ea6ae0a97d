"""The one admin search (the sidebar box): each kind's hits within the user's scope.

Each app registers its kinds with the `register_admin_search_section` hook (a
function returning a `SearchSection`); the section decides whom it is shown to and
searches only what that user may see (its app's `permissions.py`), so a reviewer
never finds an application she is not assigned and a coordinator only the projects
of her pairings. Records are searched by substring (`core.search.text_filter`:
Chinese has no spaces, see there); pages through Wagtail's search backend
(`pages_section`), with the title's substring as a fallback for Chinese."""

from dataclasses import dataclass
from typing import Callable

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.forms.search import SearchForm
from wagtail.admin.search import SearchArea
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.search import search_terms

HOOK = "register_admin_search_section"
SHOWN_PER_SECTION = 10


@dataclass(frozen=True)
class Hit:
    """One record found: its title, a line of context, the screen that opens it."""

    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class SearchSection:
    """One kind of record in the admin search.

    `shown(user)` says whether the user may look for this kind at all; `search(user,
    text)` returns `(count, hits)`: how many records of the user's scope match and
    the first `SHOWN_PER_SECTION` as `Hit`s. `more_url(text)`, when given, opens the
    kind's own listing with the same search (for "see all"). `order` sorts the
    sections (lower first)."""

    name: str
    label: str
    order: int
    shown: Callable
    search: Callable
    more_url: Callable | None = None


def sections_for(user):
    """The registered sections this user may search, in order."""
    sections = [fn() for fn in hooks.get_hooks(HOOK)]
    return sorted(
        (s for s in sections if s.shown(user)), key=lambda s: (s.order, s.name)
    )


def admin_search(user, text):
    """[(section, count, hits)] for every section shown to `user` ([] for an empty
    query); see `SearchSection.search`."""
    if not search_terms(text):
        return []
    return [(section, *section.search(user, text)) for section in sections_for(user)]


def first_hits(queryset, hit):
    """(count, [hit(obj) for the first SHOWN_PER_SECTION objects])."""
    count = queryset.count()
    return count, [hit(obj) for obj in queryset[:SHOWN_PER_SECTION]]


def listing_url(model, text):
    """The snippet listing of `model` searched for `text` (its `?q=`)."""
    url = reverse(model.snippet_viewset.get_url_name("list"))
    return f"{url}?{_query(text)}"


def _query(text):
    return urlencode({"q": text})


def record_url(user, obj):
    """Where a found record opens: its edit screen for a user who may change it,
    else its kind's listing searched for its name."""
    viewset = type(obj).snippet_viewset
    if user.has_perm(f"{obj._meta.app_label}.change_{obj._meta.model_name}"):
        return reverse(viewset.get_url_name("edit"), args=[obj.pk])
    return listing_url(type(obj), str(obj))


def _page_search(user, text):
    from django.db.models import Q
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    pages = Page.objects.filter(depth__gt=1)
    found = set()
    try:
        backend = get_search_backend()
        found = {p.pk for p in backend.autocomplete(text, pages)[:200]}
    except Exception:  # noqa: BLE001,S110 - a backend that cannot search this text
        pass  # the substring below still answers
    title = Q()
    for term in search_terms(text):
        title &= Q(title__icontains=term)
    queryset = pages.filter(Q(pk__in=found) | title).order_by(
        "-latest_revision_created_at"
    )
    return first_hits(
        queryset,
        lambda page: Hit(
            page.title,
            str(page.specific_class._meta.verbose_name),
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
        ),
    )


def _sees_pages(user):
    from wagtail.admin.auth import user_has_any_page_permission

    return user_has_any_page_permission(user)


def pages_section():
    """Pages of the public site, for the people who edit pages."""
    return SearchSection(
        name="pages",
        label=_("Site pages"),
        order=90,
        shown=_sees_pages,
        search=_page_search,
        more_url=lambda text: f"{reverse('wagtailadmin_pages:search')}?{_query(text)}",
    )


class PlatformSearchArea(SearchArea):
    """The sidebar's search box opens the one admin search (before Wagtail's
    page, image and document areas, which stay reachable from its results)."""

    def __init__(self):
        super().__init__(
            _("Everything"),
            reverse("core_admin_search"),
            name="platform",
            icon_name="search",
            order=10,
        )


class AdminSearchView(WagtailAdminTemplateMixin, TemplateView):
    """/admin/search/?q=…: every kind's hits the user may see (`admin_search`)."""

    template_name = "core/admin_search.html"
    page_title = _("Search")
    header_icon = "search"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        text = form.cleaned_data["q"] if form.is_valid() else ""
        results = admin_search(self.request.user, text)
        return super().get_context_data(
            search_form=form,
            query=text,
            results=[
                {
                    "section": section,
                    "count": count,
                    "hits": hits,
                    "more_url": section.more_url(text)
                    if section.more_url and count > len(hits)
                    else None,
                }
                for section, count, hits in results
            ],
            total=sum(count for _s, count, _h in results),
            **kwargs,
        )
