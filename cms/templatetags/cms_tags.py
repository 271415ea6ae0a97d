"""Template tags of the public site: its home page, its menu, the current section."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_home(context):
    """The site's home page (specific), looked up once per request."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_cms_home"):
        site = Site.find_for_request(request)
        home = None
        if site is not None:
            home = (
                Page.objects.filter(pk=site.root_page_id).specific().first()
                if site.root_page_id
                else None
            )
        request._cms_home = home
    return request._cms_home


@register.simple_tag(takes_context=True)
def site_menu(context, home):
    """The home page's live children shown in menus (one query per request)."""
    request = context.get("request")
    if home is None:
        return []
    if request is not None and hasattr(request, "_cms_menu"):
        return request._cms_menu
    menu = list(Page.objects.child_of(home).live().public().in_menu())
    if request is not None:
        request._cms_menu = menu
    return menu


@register.filter
def is_ancestor_or_self(menu_page, page):
    """True when `page` is `menu_page` or below it (for the current nav item)."""
    if page is None or menu_page is None:
        return False
    return page.path.startswith(menu_page.path)
