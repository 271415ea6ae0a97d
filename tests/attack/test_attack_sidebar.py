"""Attacks on the packed admin sidebar (core/admin_sidebar.py): a request must get
the sidebar Wagtail's own `sidebar_props` would draw for it, whatever was packed
before it. Each test compares the decoded JSON with Wagtail's tag for the same
request; a test that fails names a way the cache serves a wrong sidebar."""

import json
import re
import threading
import types

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.utils import translation
from wagtail import hooks
from wagtail.admin.menu import MenuItem, admin_menu
from wagtail.admin.telepath import adapter
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.users.models import UserProfile

from core import admin_sidebar, roles

#: Wagtail's own tag function (the module keeps it; only its library's entry is ours).
WAGTAILS_SIDEBAR = wagtailadmin_tags.sidebar_props

SIDEBAR = re.compile(
    r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe"
    b"\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _fresh(user):
    """The user as the next request loads it (no permission cache, no profile)."""
    return get_user_model().objects.get(pk=user.pk)


def _raw(script):
    return SIDEBAR.search(str(script)).group(1)


def _decoded(script):
    return json.loads(_raw(script))


def _ours(user):
    return admin_sidebar.sidebar_props({"request": _request(_fresh(user))})


def _wagtails(user):
    return WAGTAILS_SIDEBAR({"request": _request(_fresh(user))})


def _same_as_wagtail(user):
    """Ours (possibly from the cache) and Wagtail's, decoded, for a fresh request."""
    ours = _decoded(_ours(user))
    wagtails = _decoded(_wagtails(user))
    return ours, wagtails


def _menu_labels(packed):
    labels = []

    def walk(value):
        if isinstance(value, dict):
            if "label" in value and "name" in value:
                labels.append(value["label"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(packed)
    return labels


def _account(packed):
    """The {"name", "avatarUrl"} of the main menu module."""
    main = packed["modules"][-1]
    return main["_args"][2]


def _item(packed, name):
    found = []

    def walk(value):
        if isinstance(value, dict):
            if value.get("name") == name:
                found.append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(packed)
    return found[0] if found else None


@pytest.fixture(autouse=True)
def _empty_cache():
    admin_sidebar._packed.clear()
    yield
    admin_sidebar._packed.clear()


# --- what a real request can change --------------------------------------------------


@pytest.mark.django_db
def test_same_name_same_role_different_avatar_colour_are_not_shared(make_user):
    """Two editors called 张伟: the avatar's colour comes from the id."""
    first = make_user("zw1", roles.EDITOR, first_name="张伟")
    second = make_user("zw2", roles.EDITOR, first_name="张伟")
    with translation.override("zh-hans"):
        for user in (first, second, first, second):
            ours, wagtails = _same_as_wagtail(user)
            assert ours == wagtails
    assert _account(_decoded(_ours(first))) != _account(_decoded(_ours(second)))


@pytest.mark.django_db
def test_same_name_same_role_same_avatar_share_one_entry_correctly(make_user):
    """Ids six apart draw the same colour: the JSON is the same, one entry."""
    users = [make_user(f"same{i}", roles.EDITOR, first_name="李娜") for i in range(7)]
    a, b = users[0], next(u for u in users[1:] if (u.pk - users[0].pk) % 6 == 0)
    with translation.override("zh-hans"):
        ours_a = _ours(a)
        before = len(admin_sidebar._packed)
        ours_b = _ours(b)
        assert len(admin_sidebar._packed) == before
        assert _decoded(ours_b) == _decoded(_wagtails(b))
        assert _decoded(ours_a) == _decoded(ours_b)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "first_name",
    [
        "</script><script>alert(1)</script>",
        "<!--<script>",
        "a&b<c>d\"e'f\u2028\u2029",
        "长" * 150,
        "x" * 150,
        "  ",
        "0",
    ],
)
def test_odd_first_names_are_drawn_as_wagtail_draws_them(make_user, first_name):
    user = make_user("odd", roles.EDITOR, first_name=first_name)
    with translation.override("zh-hans"):
        ours_first = _ours(user)
        ours_cached = _ours(user)
        wagtails = _wagtails(user)
    assert str(ours_cached) == str(wagtails)
    assert _decoded(ours_first) == _decoded(wagtails)
    assert "</script>" not in _raw(ours_cached)
    assert "<!--" not in _raw(ours_cached)


@pytest.mark.django_db
def test_a_first_name_equal_to_another_users_login(make_user):
    """Name falls back to the login: 'wang' by first_name vs by username."""
    by_login = make_user("wang", roles.EDITOR)
    by_name = make_user("other", roles.EDITOR, first_name="wang")
    with translation.override("zh-hans"):
        for user in (by_login, by_name, by_login):
            ours, wagtails = _same_as_wagtail(user)
            assert ours == wagtails


@pytest.mark.django_db
def test_a_name_change_and_a_last_name_change_show_at_once(make_user):
    user = make_user("chg", roles.EDITOR, first_name="Ann", last_name="Lee")
    with translation.override("zh-hans"):
        first = _decoded(_ours(user))
        user.last_name = "Kim"  # AL -> AK: only the avatar changes
        user.save()
        ours, wagtails = _same_as_wagtail(user)
    assert ours == wagtails
    assert _account(ours)["avatarUrl"] != _account(first)["avatarUrl"]


@pytest.mark.django_db
def test_an_uploaded_avatar_and_its_replacement_show_at_once(make_user):
    user = make_user("pic", roles.EDITOR, first_name="周敏")
    with translation.override("zh-hans"):
        drawn = _decoded(_ours(user))
        profile = UserProfile.get_for_user(user)
        profile.avatar.save("me.png", ContentFile(PNG))
        ours, wagtails = _same_as_wagtail(user)
        assert ours == wagtails
        assert _account(ours)["avatarUrl"] != _account(drawn)["avatarUrl"]
        profile.avatar.save("me.png", ContentFile(PNG))  # a second upload
        ours2, wagtails2 = _same_as_wagtail(user)
        assert ours2 == wagtails2
        profile.avatar = None
        profile.save()
        ours3, wagtails3 = _same_as_wagtail(user)
    assert ours3 == wagtails3 == drawn


@pytest.mark.django_db
def test_membership_added_then_removed(make_user, make_organization):
    from incubator.models import OrganizationMembership

    user = make_user("m", roles.ORGANIZATION, first_name="成员")
    with translation.override("zh-hans"):
        without = _same_as_wagtail(user)
        assert without[0] == without[1]
        membership = OrganizationMembership.objects.create(
            user=user, organization=make_organization()
        )
        with_org = _same_as_wagtail(user)
        assert with_org[0] == with_org[1]
        assert _menu_labels(with_org[0]) != _menu_labels(without[0])
        membership.delete()
        again = _same_as_wagtail(user)
    assert again[0] == again[1] == without[0]


@pytest.mark.django_db
def test_a_permission_granted_to_the_group_shows_at_once(make_user):
    user = make_user("g", roles.EDITOR, first_name="编辑")
    group = roles.role_group(roles.EDITOR)
    perm = Permission.objects.get(
        content_type__app_label="projects", codename="view_outcomereport"
    )
    with translation.override("zh-hans"):
        before = _same_as_wagtail(user)
        group.permissions.add(perm)
        after = _same_as_wagtail(user)
        group.permissions.remove(perm)
        back = _same_as_wagtail(user)
    assert before[0] == before[1]
    assert after[0] == after[1]
    assert after[0] != before[0]
    assert back[0] == back[1] == before[0]


@pytest.mark.django_db
def test_superuser_flag_and_deactivation(make_user):
    user = make_user("su", roles.EDITOR, first_name="超级")
    with translation.override("zh-hans"):
        before = _same_as_wagtail(user)
        get_user_model().objects.filter(pk=user.pk).update(is_superuser=True)
        after = _same_as_wagtail(user)
    assert before[0] == before[1]
    assert after[0] == after[1] != before[0]


@pytest.mark.django_db
def test_preferred_language_is_followed_through_the_admin(client_for):
    """Two editors, one in English, one in Chinese, then the English one switches."""
    en = client_for(roles.EDITOR, username="en-editor", language="en")
    zh = client_for(roles.EDITOR, username="zh-editor", language="zh-hans")

    def labels(client):
        response = client.get("/admin/")
        assert response.status_code == 200
        return _menu_labels(json.loads(_raw(response.content.decode())))

    assert "Notifications" in labels(en)
    assert "通知" in labels(zh)
    assert "Notifications" in labels(en)
    profile = UserProfile.get_for_user(en.user)
    profile.preferred_language = "zh-hans"
    profile.save()
    assert "通知" in labels(en)
    assert "Notifications" not in labels(en)


@pytest.mark.django_db
def test_dismissed_help_menu_is_per_user(make_user):
    """Wagtail's Help submenu keeps the dismissed state on a shared attrs dict."""
    seen = make_user("seen", roles.EDITOR, first_name="看过")
    fresh = make_user("fresh", roles.EDITOR, first_name="没看")
    profile = UserProfile.get_for_user(seen)
    profile.dismissibles = {"help": True}
    profile.save()
    with translation.override("zh-hans"):
        for user in (seen, fresh, seen, fresh):
            ours, wagtails = _same_as_wagtail(user)
            assert ours == wagtails
    help_seen = _item(_decoded(_ours(seen)), "help")
    help_fresh = _item(_decoded(_ours(fresh)), "help")
    assert help_seen is not None
    assert help_seen["attrs"].get("data-w-dismissible-dismissed-value") == "true"
    assert "data-w-dismissible-dismissed-value" not in help_fresh["attrs"]


@pytest.mark.django_db
def test_many_distinct_names_stay_within_the_bound(make_user, monkeypatch):
    monkeypatch.setattr(admin_sidebar, "PACKED_MENUS_KEPT", 20)
    with translation.override("zh-hans"):
        for i in range(60):
            user = make_user(f"d{i}", roles.EDITOR, first_name=f"名{i}")
            admin_sidebar.sidebar_props({"request": _request(user)})
            assert len(admin_sidebar._packed) <= 20


@pytest.mark.django_db
def test_threads_packing_different_users_at_once(make_user, monkeypatch):
    """Twelve threads, three users (three shapes), an empty cache: every answer is
    that thread's user's sidebar. The menus are built beforehand (SQLite's test
    database is not shared between threads); the threads race on the shape, the
    lookup, the packing and the store."""
    users = [
        make_user(f"t{i}", role, first_name=f"线程{i}")
        for i, role in enumerate([roles.EDITOR, roles.REGISTRAR, roles.FUND_MANAGER])
    ]
    real_modules = admin_sidebar.sidebar_modules
    with translation.override("zh-hans"):
        expected = {u.pk: _decoded(_wagtails(u)) for u in users}
        built = {u.pk: real_modules(_request(_fresh(u))) for u in users}
    monkeypatch.setattr(
        admin_sidebar, "sidebar_modules", lambda request: built[request.user.pk]
    )
    admin_sidebar._packed.clear()
    wrong, errors = [], []
    barrier = threading.Barrier(12)

    def work(user):
        try:
            barrier.wait()
            with translation.override("zh-hans"):
                for _round in range(20):
                    got = _decoded(
                        admin_sidebar.sidebar_props({"request": _request(user)})
                    )
                    if got != expected[user.pk]:
                        wrong.append(user.username)
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(users[i % 3],)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert wrong == []
    assert len(admin_sidebar._packed) == 3


# --- the shape against what telepath packs ---------------------------------------------


@pytest.mark.django_db
def test_a_concurrent_request_between_shape_and_pack_does_not_poison_the_entry(
    make_user,
):
    """Wagtail's Help submenu (DismissibleSubmenuMenuItem) is one object for the
    process; its render_component writes the *requesting* user's dismissed state into
    its shared `attrs` dict. If another request renders the menu (another thread of
    the worker) after this one's shape was taken and before its JSON is packed, the
    JSON must still be the shape's: packed from the arguments the shape read, so the
    entry kept for this shape never holds the other user's state."""
    fresh_user = make_user("fresh", roles.EDITOR, first_name="没看")
    seen_user = make_user("seen", roles.EDITOR, first_name="看过")
    profile = UserProfile.get_for_user(seen_user)
    profile.dismissibles = {"help": True}
    profile.save()
    help_item = next(
        item for item in admin_menu.registered_menu_items if item.name == "help"
    )
    seen_request = _request(_fresh(seen_user))
    seen_request.user.wagtail_userprofile  # noqa: B018 (loaded before the thread)

    real_pack = admin_sidebar._Walk.pack
    raced = []

    def pack_after_another_request(walk):
        if not raced:
            raced.append(True)
            other = threading.Thread(
                target=help_item.render_component, args=(seen_request,)
            )
            other.start()
            other.join()
        return real_pack(walk)

    with translation.override("zh-hans"):
        admin_sidebar._Walk.pack = pack_after_another_request
        try:
            admin_sidebar.sidebar_props({"request": _request(_fresh(fresh_user))})
        finally:
            admin_sidebar._Walk.pack = real_pack
    assert raced == [True]
    with translation.override("zh-hans"):
        # Later, quiet requests of the not-dismissed user:
        ours, wagtails = _same_as_wagtail(fresh_user)
    assert _item(ours, "help")["attrs"] == _item(wagtails, "help")["attrs"]
    assert ours == wagtails


def _with_extra_items(make_items):
    """A construct_main_menu hook appending `make_items(request)` (Wagtail MenuItems)
    for requests that carry `extra`."""

    def hook(request, menu_items):
        if hasattr(request, "extra"):
            menu_items.extend(make_items(request))

    return hooks.register_temporarily("construct_main_menu", hook)


def _two_requests(user, first_extra, second_extra, make_items):
    """Ours for the second request after the first was packed, and Wagtail's for the
    second (both decoded and raw)."""
    first = _request(_fresh(user))
    first.extra = first_extra
    second = _request(_fresh(user))
    second.extra = second_extra
    third = _request(_fresh(user))
    third.extra = second_extra
    with _with_extra_items(make_items), translation.override("zh-hans"):
        admin_sidebar.sidebar_props({"request": first})
        ours = admin_sidebar.sidebar_props({"request": second})
        wagtails = WAGTAILS_SIDEBAR({"request": third})
    return ours, wagtails


@pytest.mark.django_db
def test_a_non_dict_mapping_in_attrs_is_packed_as_its_keys_but_shaped_as_a_dict(
    make_user,
):
    """telepath packs only `dict` as an object: any other Mapping (here a read-only
    MappingProxyType) is iterated, i.e. packed as the list of its keys. menu_shape
    describes every Mapping as a dict, so a menu whose attrs are a plain dict is served
    the keys-only JSON packed earlier for the read-only one."""
    user = make_user("mp", roles.EDITOR, first_name="映射")

    def items(request):
        attrs = {"data-x": "y"}
        if request.extra == "proxy":
            attrs = types.MappingProxyType(attrs)
        return [MenuItem("Extra", "/extra/", name="extra", attrs=attrs)]

    ours, wagtails = _two_requests(user, "proxy", "dict", items)
    assert _item(_decoded(wagtails), "extra")["attrs"] == {"data-x": "y"}
    assert _item(_decoded(ours), "extra")["attrs"] == {"data-x": "y"}


@pytest.mark.django_db
def test_dict_keys_equal_in_python_but_not_in_json(make_user):
    """telepath writes str(key): {1: ..} gives "1", {True: ..} gives "True"; the shape
    keeps the raw key, and 1 == True (same hash)."""
    user = make_user("keys", roles.EDITOR, first_name="键")

    def items(request):
        return [MenuItem("Extra", "/extra/", name="extra", attrs={request.extra: "on"})]

    ours, wagtails = _two_requests(user, 1, True, items)
    assert _item(_decoded(wagtails), "extra")["attrs"] == {"True": "on"}
    assert _item(_decoded(ours), "extra")["attrs"] == {"True": "on"}


@pytest.mark.django_db
def test_negative_zero_and_zero(make_user):
    """0.0 == -0.0 (same hash) but JSON writes 0.0 and -0.0."""
    user = make_user("zero", roles.EDITOR, first_name="零")

    def items(request):
        return [
            MenuItem("Extra", "/extra/", name="extra", attrs={"data-n": request.extra})
        ]

    ours, wagtails = _two_requests(user, 0.0, -0.0, items)
    assert '"data-n": -0.0' in _raw(wagtails)
    assert _raw(ours) == _raw(wagtails)


@pytest.mark.django_db
def test_shared_objects_pack_as_references(make_user):
    """telepath packs an object seen twice in one tree (same id()) once, with
    {"_id": n} and then {"_ref": n}; the shape compares values only, so a menu whose
    two items share one attrs dict is served the JSON of one with two equal dicts
    (the browser's telepath unpacks both to the same values: harmless there, but not
    Wagtail's JSON)."""
    user = make_user("share", roles.EDITOR, first_name="共享")

    def items(request):
        shared = {"data-long": "a value of twenty chars or more"}
        other = shared if request.extra == "shared" else dict(shared)
        return [
            MenuItem("One", "/one/", name="one", attrs=shared),
            MenuItem("Two", "/two/", name="two", attrs=other),
        ]

    ours, wagtails = _two_requests(user, "separate", "shared", items)
    assert '"_ref"' in _raw(wagtails)
    assert _item(_decoded(ours), "two") == _item(_decoded(wagtails), "two")
    assert _decoded(ours) == _decoded(wagtails)


def _factory_item(js_constructor):
    """Components made by one factory: one module and qualname, their own adapter."""

    @adapter(js_constructor)
    class FactoryItem(LinkMenuItem):
        pass

    return FactoryItem


KIND_A = _factory_item("project.sidebar.KindA")
KIND_B = _factory_item("project.sidebar.KindB")


@pytest.mark.django_db
def test_two_classes_of_one_qualname_with_different_js_constructors(make_user):
    """The shape names a class by module and qualname; classes a factory makes share
    both yet telepath packs each with its own adapter's js_constructor."""
    user = make_user("qual", roles.EDITOR, first_name="类")

    class Item(MenuItem):
        def __init__(self, kind):
            super().__init__("Kind", "/kind/", name="kind")
            self.kind = kind

        def render_component(self, request):
            return self.kind("kind", "Kind", "/kind/")

    def items(request):
        return [Item(KIND_A if request.extra == "a" else KIND_B)]

    ours, wagtails = _two_requests(user, "a", "b", items)
    assert '"project.sidebar.KindB"' in _raw(wagtails)
    assert '"project.sidebar.KindB"' in _raw(ours), "KindA packed for a KindB menu"
    assert _decoded(ours) == _decoded(wagtails)


def test_shape_cost_on_shared_subtrees():
    """telepath packs a subtree shared n times once; the shape walks it once too
    (17 lists, 2**16 paths to the leaf)."""
    value = ["leaf"]
    for _level in range(16):
        value = [value, value]
    calls = []
    real = admin_sidebar._Walk._shape

    def counting(walk, v):
        calls.append(1)
        return real(walk, v)

    admin_sidebar._Walk._shape = counting
    try:
        admin_sidebar.menu_shape(value)
    finally:
        admin_sidebar._Walk._shape = real
    # 17 lists and one leaf, each met once, and a second look at each shared list
    assert len(calls) == 17 + 1 + 16, f"the shape walked {len(calls)} values"
