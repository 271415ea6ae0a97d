"""Template tags of the public site: its home page, its menu, the current section."""

from django import template
from django.utils.html import format_html_join
from wagtail.models import Site

from cms.blocks import is_file_name
from cms.selectors import site_tree

register = template.Library()


@register.simple_tag(takes_context=True)
def site_home(context):
    """The site's home page (specific), looked up once per request."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_cms_home"):
        # Wagtail's routing has read the site with its root page, and the root's
        # specific page (cached on it): no query on a page Wagtail served.
        site = Site.find_for_request(request)
        request._cms_home = site.root_page.specific if site is not None else None
    return request._cms_home


@register.simple_tag
def site_menu(home):
    """The home page's live, public children shown in menus (read once per change
    of the site: `cms.selectors.site_tree`)."""
    if home is None:
        return []
    return [page for page in site_tree.live_children(home) if page.show_in_menus]


@register.simple_tag
def breadcrumb_ancestors(page):
    """The ancestors of `page` below the tree's root, from the top (read once per
    change of the site)."""
    return [p for p in site_tree.ancestors(page) if not p.is_root()]


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


@register.simple_tag
def breakdown_rows(result):
    """The body rows of a statistics table (a `BreakdownResult`), built in one pass
    rather than a template loop: a national statistics page prints hundreds."""
    return format_html_join(
        "\n",
        '<tr><th scope="row">{}</th><td class="num">{}</td></tr>',
        result.table_rows(),
    )


@register.simple_tag
def page_numbers(page_obj):
    """The page numbers a pager shows around `page_obj` (a Django `Page`): the
    first and last, one each side of the current one (seven boxes fit a 390 px
    phone), `Paginator.ELLIPSIS` ("…") for each gap — Django's
    `get_elided_page_range`. A list of ints and str; 2,000 showcases are 167
    pages, too many to reach by "next" alone."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=1, on_ends=1
        )
    )
