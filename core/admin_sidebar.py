"""Wagtail's admin sidebar, its JSON packed once per distinct menu.

Every admin page draws the sidebar from `{% sidebar_props %}`: Wagtail builds the
menu the user may see (each item's `is_shown`, the notification count, the
organization's own items), then packs it with telepath into the JSON the sidebar
script reads. The packing, and the form media it gathers and throws away, took about
10 ms of every admin page (≈ 15 % of the organization listing's 65–70 ms in-process,
measured on the bench database; README "National scale").

`install()` (run by `CoreConfig.ready`) puts this module's `sidebar_props` in
Wagtail's `wagtailadmin_tags` library in place of Wagtail's own. It still builds the
menu on every request, exactly as Wagtail does, and reuses the JSON of the last
request whose menu had the same *shape* — every item's class, name, label, URL,
icon, attributes and children, the user's display name and avatar. Two requests with
equal shapes pack to the same JSON, so the cache can serve nothing a fresh build would
not: a new permission, membership or unread notification changes the shape at once,
on every worker. `tests/core/test_admin_sidebar.py` pins the output to Wagtail's own
tag for every role; a Wagtail upgrade that changes the tag fails it.
"""

import threading
from collections import OrderedDict
from collections.abc import Mapping

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import json_script
from django.utils.translation import gettext as _
from wagtail.admin.menu import admin_menu
from wagtail.admin.search import admin_search_areas
from wagtail.admin.telepath import JSContext
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.admin.ui import sidebar

#: Distinct menus kept per process (a menu's JSON is 10–20 KB: ≤ 5 MB in all). Users
#: of one role with one name share an entry; the oldest unused entry goes first.
PACKED_MENUS_KEPT = 256

_packed = OrderedDict()
_lock = threading.Lock()


class Unshaped(Exception):
    """A value in the menu that `menu_shape` cannot describe faithfully."""


def menu_shape(value):
    """A hashable description of a sidebar component tree: for each component its
    class and the arguments telepath sends to the browser (`js_args`), for lists,
    dicts and plain values their contents and type. Lazy translations are read in
    the active language. Equal shapes pack to the same JSON.

    Raises `Unshaped` for any other value (telepath packs those through adapters of
    their own, whose output the shape could not vouch for): such a menu is packed
    afresh, never cached."""
    js_args = getattr(value, "js_args", None)
    if callable(js_args):
        kind = type(value)
        return (kind.__module__, kind.__qualname__, menu_shape(js_args()))
    if isinstance(value, list | tuple):
        return ("list", tuple(menu_shape(item) for item in value))
    if isinstance(value, Mapping):
        return ("dict", tuple((key, menu_shape(item)) for key, item in value.items()))
    if isinstance(value, Promise):
        return ("str", str(value))
    if value is None or isinstance(value, str | int | float):
        return (type(value).__name__, value)
    raise Unshaped(type(value))


def sidebar_modules(request):
    """The sidebar's modules for this request, built as Wagtail's `sidebar_props`
    builds them (branding, search, the main menu with the account menu)."""
    search_areas = admin_search_areas.search_items_for_request(request)
    search_area = search_areas[0] if search_areas else None
    account_menu = [
        sidebar.LinkMenuItem(
            "account", _("Account"), reverse("wagtailadmin_account"), icon_name="user"
        ),
        sidebar.ActionMenuItem(
            "logout", _("Log out"), reverse("wagtailadmin_logout"), icon_name="logout"
        ),
    ]
    modules = [
        sidebar.WagtailBrandingModule(),
        sidebar.SearchModule(search_area) if search_area else None,
        sidebar.MainMenuModule(
            admin_menu.render_component(request), account_menu, request.user
        ),
    ]
    return [module for module in modules if module is not None]


def sidebar_props(context):
    """The `<script id="wagtail-sidebar-props">` JSON of Wagtail's sidebar, the same
    as Wagtail's tag writes, packed once per distinct menu shape."""
    modules = sidebar_modules(context["request"])
    try:
        key = menu_shape(modules)
    except Unshaped:
        return _pack(modules)
    with _lock:
        packed = _packed.get(key)
        if packed is not None:
            _packed.move_to_end(key)
            return packed
    packed = _pack(modules)
    with _lock:
        _packed[key] = packed
        while len(_packed) > PACKED_MENUS_KEPT:
            _packed.popitem(last=False)
    return packed


def _pack(modules):
    return json_script(
        {"modules": JSContext().pack(modules)}, element_id="wagtail-sidebar-props"
    )


def install():
    """Register `sidebar_props` as the `{% sidebar_props %}` of Wagtail's
    `wagtailadmin_tags` (the tag Wagtail's `wagtailadmin/base.html` calls)."""
    wagtailadmin_tags.register.simple_tag(takes_context=True, name="sidebar_props")(
        sidebar_props
    )
