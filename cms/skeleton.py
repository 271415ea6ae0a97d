"""The public site's skeleton a fresh install needs: home and its section pages."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Collection, Page, Site

from cms.models import (
    CALLS_SLUG,
    NOTICES_SLUG,
    HomePage,
    NewsIndexPage,
    OrganizationShowcaseIndexPage,
    StatisticsPage,
)

HOME_SLUG = "home"


def child_page_ensure(parent, model, slug, **fields):
    """The child page of `parent` with this slug, created and published with
    `fields` if missing, else left as it is: (page, created)."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _home(fields):
    home = HomePage.objects.first()
    if home is not None:
        return home, False
    root = Page.get_first_root_node()
    # Wagtail's placeholder "Welcome" page (a plain Page) makes way for the portal.
    for placeholder in Page.objects.child_of(root).filter(slug=HOME_SLUG):
        if placeholder.specific_class is Page and placeholder.is_leaf():
            Site.objects.filter(root_page=placeholder).update(root_page=root)
            placeholder.delete()
    page = HomePage(slug=HOME_SLUG, **fields)
    root.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def portal_home(fields):
    """The portal's home page (one HomePage; `fields` used only when it is
    created) as the default site's root: (home, created). The site is named after
    the home page's title."""
    home, created = _home(fields)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=home.title,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = home.title
        site.save()
    return home, created


@transaction.atomic
def site_skeleton_ensure():
    """Create, where missing, the published pages a real install needs: the home
    page (the default site's root) and, under it, 工作动态 (`news`), 社会组织风采
    (`showcase`), 数据统计 (`statistics`), 公示公告 (`notices`) and 申报通知
    (`calls`), all in the main menu. Pages are found by type and slug under home;
    an existing page, edited or not, is left alone, so the demo and later runs
    add nothing twice.

    The 公示公告 and 申报通知 indexes are news indexes (`NewsIndexPage`, whose
    children may be award notices, call announcements and news): the page types
    have no index of their own. Titles are written in the site's language
    (LANGUAGE_CODE), the tree's root's too (Wagtail's "Root" becomes 全部站点), and the root collection's (全部集合).
    Returns {key: page} for home and the five sections. Source:
    issue item "first run without demo data"."""
    with translation.override(settings.LANGUAGE_CODE):
        # Wagtail names the page tree's root "Root" (the explorer's "浏览：Root").
        Page.objects.filter(depth=1, title="Root").update(
            title=_("All sites"), draft_title=_("All sites")
        )
        # And the root collection of images and documents "Root".
        Collection.objects.filter(depth=1, name="Root").update(
            name=_("All collections")
        )
        home, _created = portal_home(
            {
                "title": _("Social Organization Service Portal"),
                "banner_title": _(
                    "Growing social organizations, helping revitalize the countryside"
                ),
            }
        )
        pages = {"home": home}
        # News first: the home page links the first news index as its news.
        sections = [
            ("news", NewsIndexPage, "news", _("News")),
            (
                "showcase",
                OrganizationShowcaseIndexPage,
                "showcase",
                _("Organization showcase"),
            ),
            ("statistics", StatisticsPage, "statistics", _("Statistics and charts")),
            (
                "notices",
                NewsIndexPage,
                NOTICES_SLUG,
                _("Public notices and announcements"),
            ),
            ("calls", NewsIndexPage, CALLS_SLUG, _("Calls for applications")),
        ]
        for key, model, slug, title in sections:
            if model is StatisticsPage and StatisticsPage.objects.exists():
                # one statistics page per site (max_count): keep the one there is
                pages[key] = StatisticsPage.objects.first()
                continue
            pages[key], _made = child_page_ensure(
                home, model, slug, title=title, show_in_menus=True
            )
    return pages
