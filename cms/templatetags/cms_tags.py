"""Template tags of the public site: its home page, its menu, the current section."""

from django import template
from wagtail.models import Page, Site

from cms.blocks import is_file_name

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


@register.filter
def image_alt(image):
    """The text alternative of a story image (Wagtail's `ImageBlock` value): ""
    when the editor marked it decorative, else the editor's alt text, else the
    image's own description, else "" — never the image's title, which is its file
    name (IMG_20240315_0932) for most uploads."""
    if image is None or getattr(image, "decorative", False):
        return ""
    for text in (
        getattr(image, "contextual_alt_text", None),
        getattr(image, "description", None),
    ):
        text = (text or "").strip()
        if text and not is_file_name(text, image):
            return text
    return ""
