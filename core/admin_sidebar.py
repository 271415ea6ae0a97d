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
icon, attributes and children, the user's display name and avatar, and which of them
are one object met twice. Two requests with equal shapes pack to the same JSON (the
JSON is packed from what the shape read, so another request changing a shared item
meanwhile cannot slip in), and the cache can serve nothing a fresh build would not: a new permission, membership or unread notification changes the shape at once,
on every worker. `tests/core/test_admin_sidebar.py` pins the output to Wagtail's own
tag for every role; a Wagtail upgrade that changes the tag fails it.
"""

import hashlib
import itertools
import threading
from collections import OrderedDict

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import json_script
from django.utils.translation import gettext as _
from telepath import (
    Adapter,
    BaseAdapter,
    DictAdapter,
    DictNode,
    ListNode,
    ObjectNode,
    StringAdapter,
    StringNode,
    ValueContext,
)
from wagtail.admin.menu import admin_menu
from wagtail.admin.search import admin_search_areas
from wagtail.admin.telepath import JSContext, registry
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.admin.ui import sidebar

#: Distinct menus kept per process, each under a 32-byte digest of its shape (a
#: menu's JSON is 3–20 KB: ≤ 5 MB in all). Users of one role with one name share an
#: entry; the oldest unused entry goes first.
PACKED_MENUS_KEPT = 256

_packed = OrderedDict()
_lock = threading.Lock()
_class_numbers = {}  # component class -> its number in shapes (the class kept alive)
_next_class_number = itertools.count()


class Unshaped(Exception):
    """A value in the menu that `menu_shape` cannot describe faithfully."""


def _text(value):
    """The characters of a `str` (or a subclass's, as JSON writes them), as a str."""
    return str.__str__(value)


def _class_number(kind):
    number = _class_numbers.get(kind)
    if number is None:
        number = _class_numbers.setdefault(kind, next(_next_class_number))
    return number


class _Walk:
    """One walk of a menu as telepath's `ValueContext.build_node` walks it.

    `shape` describes everything the packed JSON depends on, in strings, numbers
    and tuples only: each value's type and the text JSON writes of it, each
    component's class (by a number kept per process), JS constructor and arguments,
    each dict key as the text telepath writes (`str(key)`), and which values are one
    object met again (telepath writes those as `_id`/`_ref`, numbered in the order
    it meets them). `shape` is None when a value cannot be described (`Unshaped`):
    a value telepath packs through an adapter of its own, or iterates (a mapping
    that is not a dict, a generator).

    `pack()` packs the walked value with what this walk read: every list, dict,
    lazy string and component it reached is packed from that, never read twice, so
    the JSON is the shape's even if another request changes a shared menu item
    meanwhile (Wagtail keeps one Help submenu per process and writes each user's
    dismissed state into its attributes), and a `js_args` is called once a request
    even when the menu is packed afresh."""

    def __init__(self, value):
        self._value = value
        self._seen = {}  # id -> (order first met, the value, kept alive so ids stay)
        self._read = {}  # id of a container -> what this walk read of it
        try:
            self.shape = self._shape(value)
        except Unshaped:
            self.shape = None

    def key(self):
        """A 32-byte digest of the shape (its `repr` is one text per shape: the
        shape holds only str, int, bool, None and tuples)."""
        return hashlib.sha256(repr(self.shape).encode()).digest()

    def _shape(self, value):
        met = self._seen.get(id(value))
        if met is not None:
            return ("again", met[0])
        self._seen[id(value)] = (len(self._seen), value)
        adapter = registry.find_adapter(type(value))
        kind = type(adapter)
        if adapter is None:
            if isinstance(value, Promise):
                text = _text(str(value))
                self._read[id(value)] = (StringNode, text)
                return ("str", text)
            if type(value) in (list, tuple):
                items = list(value)
                self._read[id(value)] = (ListNode, items)
                return ("list", tuple(self._shape(item) for item in items))
            raise Unshaped(type(value))  # telepath would iterate it
        if kind is BaseAdapter:
            if value is None or isinstance(value, bool):
                return (repr(value),)
            if isinstance(value, int):
                return ("int", int.__repr__(value))
            if isinstance(value, float):
                return ("float", float.__repr__(value))  # -0.0 is not 0.0
            raise Unshaped(type(value))
        if kind is StringAdapter:
            return ("str", _text(value))
        if kind is DictAdapter and type(value) is dict:
            items = [(_text(str(key)), item) for key, item in value.items()]
            self._read[id(value)] = (DictNode, items)
            return ("dict", tuple((key, self._shape(item)) for key, item in items))
        if (
            isinstance(adapter, Adapter)
            and kind.pack is Adapter.pack
            and kind.build_node is Adapter.build_node
        ):
            args = list(adapter.js_args(value))
            self._read[id(value)] = (ObjectNode, args)
            return (
                "component",
                _class_number(type(value)),
                _text(adapter.js_constructor),
                tuple(self._shape(arg) for arg in args),
            )
        raise Unshaped(type(value))  # an adapter that packs in its own way

    def pack(self):
        """The sidebar's `<script>` JSON of the walked value."""
        context = _ReadContext(JSContext(), self._read)
        return _script(context.build_node(self._value).emit())


class _ReadContext(ValueContext):
    """telepath's walk, building each list, dict, lazy string and component from
    what a `_Walk` read of it (`read`: id -> (telepath node class, content))."""

    def __init__(self, parent_context, read):
        super().__init__(parent_context)
        self._walked = read

    def _build_new_node(self, obj):
        node_class, content = self._walked.get(id(obj), (None, None))
        if node_class is ObjectNode:
            adapter = self.registry.find_adapter(type(obj))
            self.add_media(adapter.get_media(obj))
            return ObjectNode(
                adapter.js_constructor, [self.build_node(arg) for arg in content]
            )
        if node_class is DictNode:
            return DictNode({key: self.build_node(item) for key, item in content})
        if node_class is ListNode:
            return ListNode([self.build_node(item) for item in content])
        if node_class is StringNode:
            return StringNode(content)
        return super()._build_new_node(obj)


def menu_shape(value):
    """A hashable description of a sidebar component tree (see `_Walk`). Equal
    shapes pack to the same JSON.

    Raises `Unshaped` for a value telepath packs through an adapter of its own, or
    iterates (a mapping that is not a dict, a generator): the shape could not vouch
    for its output. Such a menu is packed afresh, never cached."""
    walk = _Walk(value)
    if walk.shape is None:
        raise Unshaped(type(value))
    return walk.shape


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
    walk = _Walk(sidebar_modules(context["request"]))
    if walk.shape is None:
        return walk.pack()  # packed afresh, never kept
    key = walk.key()
    with _lock:
        packed = _packed.get(key)
        if packed is not None:
            _packed.move_to_end(key)
            return packed
    packed = walk.pack()
    with _lock:
        _packed[key] = packed
        while len(_packed) > PACKED_MENUS_KEPT:
            _packed.popitem(last=False)
    return packed


def _script(packed_modules):
    return json_script({"modules": packed_modules}, element_id="wagtail-sidebar-props")


def install():
    """Register `sidebar_props` as the `{% sidebar_props %}` of Wagtail's
    `wagtailadmin_tags` (the tag Wagtail's `wagtailadmin/base.html` calls)."""
    wagtailadmin_tags.register.simple_tag(takes_context=True, name="sidebar_props")(
        sidebar_props
    )
