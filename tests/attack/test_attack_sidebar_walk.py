"""Attacks on the shape walk of the packed admin sidebar (core/admin_sidebar.py):
two menus whose shapes are equal must pack to the same JSON, and a menu the walk
cannot describe must still be packed exactly as Wagtail's own tag packs it. Each test
compares ours, decoded, with Wagtail's `sidebar_props` for the same request."""

import gc
import sys
import types
import weakref
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from telepath import AutoAdapter
from wagtail.admin.menu import MenuItem
from wagtail.admin.telepath import Adapter, register
from wagtail.admin.ui.sidebar import LinkMenuItem

from core import admin_sidebar, roles
from tests.attack.test_attack_sidebar import (
    WAGTAILS_SIDEBAR,
    _decoded,
    _fresh,
    _item,
    _raw,
    _request,
    _two_requests,
    _with_extra_items,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    admin_sidebar._packed.clear()
    yield
    admin_sidebar._packed.clear()


def _attrs_item(attrs, name="extra", label="Extra"):
    return MenuItem(label, f"/{name}/", name=name, attrs=attrs)


class _ComponentItem(MenuItem):
    """A main-menu item drawn as the sidebar component `make(request)` returns."""

    def __init__(self, name, make):
        super().__init__(name, f"/{name}/", name=name)
        self.make = make

    def render_component(self, request):
        return self.make(request)


def _drawn_by(tag, user, extra, make_items):
    request = _request(_fresh(user))
    request.extra = extra
    with _with_extra_items(make_items):
        return tag({"request": request})


def _ours_and_wagtails(user, extra, make_items):
    """Ours and Wagtail's for two requests of `user` carrying the same `extra`."""
    ours = _drawn_by(admin_sidebar.sidebar_props, user, extra, make_items)
    return ours, _drawn_by(WAGTAILS_SIDEBAR, user, extra, make_items)


# --- equal shapes, different JSON ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first_key", "second_key", "written"),
    [
        (0.0, -0.0, "-0.0"),
        ((1,), (True,), "(True,)"),
        (Decimal("1.0"), Decimal("1.00"), "1.00"),
    ],
    ids=["negative-zero", "tuple-of-bool", "decimal-places"],
)
def test_dict_keys_equal_in_python_but_written_differently(
    make_user, first_key, second_key, written
):
    """telepath writes a dict key as str(key); the shape keeps (type, key), and these
    pairs are one type, equal and of one hash, yet their str() differ."""
    user = make_user("keys", roles.EDITOR, first_name="键")

    def items(request):
        return [_attrs_item({request.extra: "on"})]

    ours, wagtails = _two_requests(user, first_key, second_key, items)
    assert _item(_decoded(wagtails), "extra")["attrs"] == {written: "on"}
    assert _item(_decoded(ours), "extra")["attrs"] == {written: "on"}


@pytest.mark.django_db
def test_a_renamed_organization_as_a_dict_key(make_user, make_organization):
    """A model instance is equal to another of its primary key, whatever its name;
    telepath writes the key as str(instance), the organization's name. After a rename
    the cached JSON still shows the old name."""
    from incubator.models import Organization

    user = make_user("orgkey", roles.EDITOR, first_name="机构")
    org = make_organization(name="旧名称社会工作服务中心")

    def items(request):
        loaded = Organization.objects.get(pk=org.pk)
        return [_attrs_item({loaded: "member"})]

    with _with_extra_items(items):
        first = _request(_fresh(user))
        first.extra = True
        admin_sidebar.sidebar_props({"request": first})
        Organization.objects.filter(pk=org.pk).update(name="新名称社会工作服务中心")
        second = _request(_fresh(user))
        second.extra = True
        ours = admin_sidebar.sidebar_props({"request": second})
        third = _request(_fresh(user))
        third.extra = True
        wagtails = WAGTAILS_SIDEBAR({"request": third})
    assert _item(_decoded(wagtails), "extra")["attrs"] == {
        "新名称社会工作服务中心": "member"
    }
    assert _item(_decoded(ours), "extra")["attrs"] == {
        "新名称社会工作服务中心": "member"
    }
    assert _decoded(ours) == _decoded(wagtails)


class _Redacted(str):
    """A phone number: written whole into the page, masked where it is printed
    (str() of it, e.g. in a log line)."""

    def __str__(self):
        return self[:3] + "****" + self[-4:]


@pytest.mark.django_db
def test_a_str_subclass_whose_str_is_not_its_text(make_user):
    """JSON writes a str subclass's own characters; the shape describes it by str(),
    so two numbers masked alike share one entry and the second user is shown the
    first user's number."""
    user = make_user("phone", roles.EDITOR, first_name="电话")

    def items(request):
        return [_attrs_item({"data-phone": _Redacted(request.extra)})]

    ours, wagtails = _two_requests(user, "13800001234", "13899991234", items)
    assert _item(_decoded(wagtails), "extra")["attrs"] == {"data-phone": "13899991234"}
    assert "13800001234" not in _raw(ours)
    assert _decoded(ours) == _decoded(wagtails)


class _Percent(float):
    def __repr__(self):
        return f"{self:.0%}"


@pytest.mark.django_db
def test_a_float_subclass_whose_repr_is_not_its_json(make_user):
    """JSON writes any float by float.__repr__; the shape uses the value's own
    repr(), which a subclass may round."""
    user = make_user("share", roles.EDITOR, first_name="比例")

    def items(request):
        return [_attrs_item({"data-share": _Percent(request.extra)})]

    ours, wagtails = _two_requests(user, 0.501, 0.502, items)
    assert _item(_decoded(wagtails), "extra")["attrs"] == {"data-share": 0.502}
    assert _decoded(ours) == _decoded(wagtails)


# --- a menu the walk cannot describe ---------------------------------------------------


class _OneShotItem(LinkMenuItem):
    """A link whose label shows a one-time notice the first time it is drawn (a
    flash message taken from the session, say)."""

    def __init__(self, pending):
        super().__init__("notice", "Notice", "/notice/")
        self.pending = pending

    def js_args(self):
        args = super().js_args()
        args[0]["label"] = self.pending.pop() if self.pending else "no notice"
        return args


@pytest.mark.django_db
def test_a_menu_packed_afresh_reads_each_component_once(make_user):
    """When the walk meets something it cannot describe (here a read-only mapping),
    the menu is packed afresh by telepath — which calls every component's js_args a
    second time. A component whose arguments are taken, not just read, is then packed
    from its second reading: the one-time notice Wagtail would show is lost."""
    user = make_user("once", roles.EDITOR, first_name="一次")

    def items(request):
        pending = ["您的申报已通过"]
        return [
            _ComponentItem("notice", lambda _request: _OneShotItem(pending)),
            _attrs_item(types.MappingProxyType({"data-x": "y"}), name="proxy"),
        ]

    ours, wagtails = _ours_and_wagtails(user, True, items)
    assert _item(_decoded(wagtails), "notice")["label"] == "您的申报已通过"
    assert len(admin_sidebar._packed) == 0
    assert _item(_decoded(ours), "notice")["label"] == "您的申报已通过"
    assert _decoded(ours) == _decoded(wagtails)


# --- guards: holes that hold ----------------------------------------------------------


@pytest.mark.django_db
def test_long_strings_one_object_or_equal_copies(make_user):
    """A string of 20 characters or more met twice as one object is packed once and
    referenced (`_id`/`_ref`); equal copies are written out twice."""
    user = make_user("long", roles.EDITOR, first_name="长串")
    text = "一个二十个字以上的长字符串，两个菜单项共用它"

    def items(request):
        first = text
        second = text if request.extra == "one" else "".join(list(text))
        return [
            _attrs_item({"data-t": first}, name="one"),
            _attrs_item({"data-t": second}, name="two"),
        ]

    for first_extra, second_extra in (("copies", "one"), ("one", "copies")):
        ours, wagtails = _two_requests(user, first_extra, second_extra, items)
        assert ('"_ref"' in _raw(wagtails)) == (second_extra == "one")
        assert _raw(ours) == _raw(wagtails)


@pytest.mark.django_db
def test_references_are_numbered_in_the_order_they_are_met_again(make_user):
    """telepath numbers `_id`s in the order values are met a second time, and a small
    value met again (an int, a short string) takes a number though it is never
    referenced: the same items in another order, or one int shared or copied, shift
    every number after it."""
    user = make_user("ids", roles.EDITOR, first_name="编号")

    def items(request):
        x = {"data-x": "the first shared attribute dict"}
        y = {"data-y": "the second shared attribute dict"}
        big = 10**6
        n = big if request.extra[1] == "one" else int(str(big))
        first, second = (x, y) if request.extra[0] == "xy" else (y, x)
        return [
            _attrs_item({"data-n": big}, name="n1"),
            _attrs_item({"data-n": n}, name="n2"),
            _attrs_item(x, name="a"),
            _attrs_item(y, name="b"),
            _attrs_item(first, name="c"),
            _attrs_item(second, name="d"),
        ]

    extras = [(a, b) for a in ("xy", "yx") for b in ("one", "copy")]
    for first_extra in extras:
        for second_extra in extras:
            if first_extra == second_extra:
                continue
            admin_sidebar._packed.clear()
            ours, wagtails = _two_requests(user, first_extra, second_extra, items)
            assert _raw(ours) == _raw(wagtails), (first_extra, second_extra)


LAZY_HELP = gettext_lazy("Help")


@pytest.mark.django_db
def test_a_lazy_string_as_a_dict_key_in_two_languages(make_user):
    """A lazy key is kept in the shape as the lazy object (its equality and hash
    follow the active language); it must not serve one language's JSON to another."""
    user = make_user("lazykey", roles.EDITOR, first_name="惰性")

    def items(request):
        return [_attrs_item({LAZY_HELP: "on"})]

    with _with_extra_items(items):
        for language in ("en", "zh-hans", "en", "zh-hans"):
            with translation.override(language):
                ours_request = _request(_fresh(user))
                ours_request.extra = True
                ours = admin_sidebar.sidebar_props({"request": ours_request})
                wagtails_request = _request(_fresh(user))
                wagtails_request.extra = True
                wagtails = WAGTAILS_SIDEBAR({"request": wagtails_request})
            assert _raw(ours) == _raw(wagtails), language
    assert len(admin_sidebar._packed) == 2


class _OwnArgsItem(LinkMenuItem):
    def js_args(self):
        return [{"name": "own", "label": "from the object", "url": "/own/"}]


class _OwnArgsAdapter(Adapter):
    js_constructor = "project.sidebar.OwnArgs"

    def js_args(self, obj):
        return [{"name": obj.name, "label": "from the adapter", "url": obj.url}]


register(_OwnArgsAdapter(), _OwnArgsItem)


@pytest.mark.django_db
def test_a_subclass_with_its_own_adapter_is_packed_by_that_adapter(make_user):
    """A LinkMenuItem subclass registered with an adapter whose js_args is not the
    object's own: the shape and the JSON take the adapter's."""
    user = make_user("adapt", roles.EDITOR, first_name="适配")

    def items(request):
        return [_ComponentItem("own", lambda _r: _OwnArgsItem("own", "Own", "/own/"))]

    for _round in range(2):
        ours, wagtails = _ours_and_wagtails(user, True, items)
        assert '"project.sidebar.OwnArgs"' in _raw(wagtails)
        assert "from the adapter" in _raw(ours)
        assert _raw(ours) == _raw(wagtails)
    assert len(admin_sidebar._packed) == 1


class _SelfPacked:
    def __init__(self, label):
        self.label = label

    def telepath_pack(self, context):
        return ("project.sidebar.SelfPacked", [{"label": self.label}])


register(AutoAdapter(), _SelfPacked)


@pytest.mark.django_db
def test_telepath_pack_and_generators_are_packed_afresh_never_cached(make_user):
    """An object packed by its own telepath_pack, and a generator among a
    component's arguments: packed by telepath every time, never kept."""
    user = make_user("auto", roles.EDITOR, first_name="自动")

    class WithGenerator(LinkMenuItem):
        def js_args(self):
            args = super().js_args()
            args[0]["attrs"] = {"data-parts": (part for part in request_parts)}
            return args

    request_parts = ["a", "b"]

    def items(request):
        if request.extra == "auto":
            attrs = {"data-self": _SelfPacked(request.user.first_name)}
            return [_attrs_item(attrs)]
        return [_ComponentItem("gen", lambda _r: WithGenerator("gen", "Gen", "/gen/"))]

    for extra in ("auto", "gen", "auto", "gen"):
        ours, wagtails = _ours_and_wagtails(user, extra, items)
        assert _raw(ours) == _raw(wagtails), extra
    assert '"project.sidebar.SelfPacked"' in _raw(
        _ours_and_wagtails(user, "auto", items)[0]
    )
    assert len(admin_sidebar._packed) == 0


@pytest.mark.django_db
def test_an_error_mid_walk_leaves_nothing_behind(make_user):
    """A component raising in js_args fails the page as Wagtail's tag would, and
    leaves no entry and no held lock: the next request packs and keeps its own."""
    user = make_user("boom", roles.EDITOR, first_name="出错")

    class Failing(LinkMenuItem):
        def js_args(self):
            raise RuntimeError("menu data unavailable")

    def items(request):
        if request.extra == "fail":
            return [_ComponentItem("fail", lambda _r: Failing("fail", "F", "/f/"))]
        return [_attrs_item({"data-ok": "1"})]

    for tag in (WAGTAILS_SIDEBAR, admin_sidebar.sidebar_props):
        with pytest.raises(RuntimeError):
            _drawn_by(tag, user, "fail", items)
    assert len(admin_sidebar._packed) == 0
    assert not admin_sidebar._lock.locked()
    ours, wagtails = _ours_and_wagtails(user, "ok", items)
    assert _raw(ours) == _raw(wagtails)
    assert len(admin_sidebar._packed) == 1


@pytest.mark.django_db
def test_a_component_among_its_own_arguments_fails_as_wagtails_does(make_user):
    """A cycle: telepath recurses without end; the walk describes it (the component
    is met again) but its pack must fail too, and nothing may be kept that a later
    request of the same shape could be served."""
    user = make_user("cycle", roles.EDITOR, first_name="循环")

    class Cyclic(LinkMenuItem):
        def js_args(self):
            args = super().js_args()
            args[0]["attrs"] = {"data-self": self}
            return args

    def items(request):
        return [_ComponentItem("cyc", lambda _r: Cyclic("cyc", "C", "/c/"))]

    for tag in (
        WAGTAILS_SIDEBAR,
        admin_sidebar.sidebar_props,
        admin_sidebar.sidebar_props,
    ):
        with pytest.raises(RecursionError):
            _drawn_by(tag, user, True, items)
        assert len(admin_sidebar._packed) == 0


@pytest.mark.django_db
def test_the_cache_keeps_no_request_alive(make_user, monkeypatch):
    """The walk holds every value it met; after the tag returns, neither the menu's
    components nor the user are kept by the cache (hit or miss)."""
    user = make_user("gc", roles.EDITOR, first_name="回收")
    real_modules = admin_sidebar.sidebar_modules
    refs = []

    def watched(request):
        modules = real_modules(request)
        refs.extend(weakref.ref(module) for module in modules)
        refs.append(weakref.ref(request.user))
        return modules

    monkeypatch.setattr(admin_sidebar, "sidebar_modules", watched)
    for _round in range(2):
        admin_sidebar.sidebar_props({"request": _request(_fresh(user))})
    gc.collect()
    assert len(admin_sidebar._packed) == 1
    assert [ref for ref in refs if ref() is not None] == []


def _unique_size(value, seen):
    """Bytes of `value` and the tuples it holds, not counting objects in `seen`."""
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, tuple):
        size += sum(_unique_size(item, seen) for item in value)
    return size


@pytest.mark.django_db
def test_the_kept_menus_fit_the_memory_the_module_states(make_user):
    """The module keeps PACKED_MENUS_KEPT menus and states they take at most 5 MB
    (a menu's JSON being 10-20 KB). Each entry's key, though, is the menu's whole
    shape: thousands of tuples per menu. Users with distinct names each get an entry,
    so a busy worker fills the cache; what it then holds (every object counted once,
    whatever entries share) must stay within the stated bound."""
    with translation.override("zh-hans"):
        for i in range(8):
            user = make_user(f"mem{i}", roles.EDITOR, first_name=f"编辑{i}")
            admin_sidebar.sidebar_props({"request": _request(user)})
    entries = len(admin_sidebar._packed)
    assert entries == 8
    seen = set()
    held = sum(
        _unique_size(shape, seen) + sys.getsizeof(packed)
        for shape, packed in admin_sidebar._packed.items()
    )
    per_entry = held / entries
    assert per_entry * admin_sidebar.PACKED_MENUS_KEPT <= 5 * 1024 * 1024, (
        f"{per_entry / 1024:.0f} KB per menu kept"
    )
