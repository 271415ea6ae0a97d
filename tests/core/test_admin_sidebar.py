"""The admin sidebar, packed once per distinct menu (core/admin_sidebar.py),
is the sidebar Wagtail draws: for every role, in both languages, and it follows a
change of the menu (a notification, a membership, a role) on the next page."""

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy
from wagtail.admin.templatetags import wagtailadmin_tags

from core import admin_sidebar, roles
from core.models import Notification, NotificationKind

#: Wagtail's own tag function (the module keeps it; only its library's entry is ours).
WAGTAILS_SIDEBAR = wagtailadmin_tags.sidebar_props

SIDEBAR = re.compile(
    r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S
)


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _decoded(script):
    """The sidebar's JSON as the browser reads it (telepath's references kept)."""
    return json.loads(SIDEBAR.search(str(script)).group(1))


def _menu_labels(packed):
    """Every menu label of a packed sidebar, submenus included, in order."""
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


def _sidebar_html(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return _decoded(response.content.decode())


@pytest.fixture(autouse=True)
def _empty_cache():
    admin_sidebar._packed.clear()
    yield
    admin_sidebar._packed.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", sorted(roles.GROUP_NAMES))
def test_every_roles_sidebar_is_the_one_wagtail_draws(
    make_user, org_member, role, language
):
    user = (
        org_member(username="member")
        if role == roles.ORGANIZATION
        else make_user(f"u-{role}", role)
    )
    with translation.override(language):
        ours_first = admin_sidebar.sidebar_props({"request": _request(user)})
        ours_cached = admin_sidebar.sidebar_props({"request": _request(user)})
        wagtails = WAGTAILS_SIDEBAR({"request": _request(user)})
    assert len(admin_sidebar._packed) == 1
    assert _decoded(ours_first) == _decoded(wagtails)
    assert _decoded(ours_cached) == _decoded(wagtails)


@pytest.mark.django_db
def test_a_superusers_sidebar_is_the_one_wagtail_draws(make_user):
    user = make_user("root", is_superuser=True, is_staff=True)
    with translation.override("zh-hans"):
        ours = admin_sidebar.sidebar_props({"request": _request(user)})
        wagtails = WAGTAILS_SIDEBAR({"request": _request(user)})
    assert _decoded(ours) == _decoded(wagtails)
    assert "设置" in _menu_labels(_decoded(ours))


@pytest.mark.django_db
def test_admin_pages_draw_the_packed_sidebar_and_a_new_notification_shows_at_once(
    client_for,
):
    client = client_for(roles.FUND_MANAGER)
    first = _menu_labels(_sidebar_html(client))
    assert "通知" in first
    assert len(admin_sidebar._packed) == 1

    Notification.objects.create(
        recipient=client.user, kind=NotificationKind.choices[0][0], title="新的申报"
    )
    second = _menu_labels(_sidebar_html(client))
    assert "通知（1 条未读）" in second
    assert "通知" not in second
    assert len(admin_sidebar._packed) == 2

    Notification.objects.filter(recipient=client.user).update(
        read_at="2026-12-01T08:00Z"
    )
    assert "通知" in _menu_labels(_sidebar_html(client))
    assert len(admin_sidebar._packed) == 2  # the first menu again, served as packed


@pytest.mark.django_db
def test_one_users_menu_is_never_served_to_another(make_user):
    registrar = make_user("li", roles.REGISTRAR, first_name="李登记")
    fund_manager = make_user("wang", roles.FUND_MANAGER, first_name="王资金")
    with translation.override("zh-hans"):
        for_registrar = _decoded(
            admin_sidebar.sidebar_props({"request": _request(registrar)})
        )
        for_manager = _decoded(
            admin_sidebar.sidebar_props({"request": _request(fund_manager)})
        )
    assert "李登记" in json.dumps(for_registrar, ensure_ascii=False)
    assert "李登记" not in json.dumps(for_manager, ensure_ascii=False)
    assert "王资金" in json.dumps(for_manager, ensure_ascii=False)
    assert "抽查" in "".join(_menu_labels(for_registrar))
    assert "抽查" not in "".join(_menu_labels(for_manager))


@pytest.mark.django_db
def test_a_role_taken_away_leaves_the_menu_on_the_next_page(client_for):
    client = client_for(roles.REGISTRAR)
    assert "抽查" in "".join(_menu_labels(_sidebar_html(client)))
    client.user.groups.clear()
    client.user.groups.add(roles.role_group(roles.EDITOR))
    assert "抽查" not in "".join(_menu_labels(_sidebar_html(client)))


@pytest.mark.django_db
def test_the_cache_keeps_at_most_its_bound(make_user, monkeypatch):
    monkeypatch.setattr(admin_sidebar, "PACKED_MENUS_KEPT", 3)
    users = [make_user(f"n{i}", roles.EDITOR, first_name=f"编辑{i}") for i in range(5)]
    with translation.override("zh-hans"):
        for user in users:
            admin_sidebar.sidebar_props({"request": _request(user)})
    assert len(admin_sidebar._packed) == 3
    kept = json.dumps(
        [_decoded(packed) for packed in admin_sidebar._packed.values()],
        ensure_ascii=False,
    )
    assert ["编辑2", "编辑3", "编辑4"] == [
        f"编辑{i}" for i in range(5) if f"编辑{i}" in kept
    ]


def test_the_shape_tells_apart_what_packs_differently():
    shape = admin_sidebar.menu_shape
    assert shape([1]) != shape([True])
    assert shape([None]) != shape(["None"])
    with pytest.raises(admin_sidebar.Unshaped):
        shape([AnonymousUser()])
    label = gettext_lazy("Log out")
    with translation.override("zh-hans"):
        chinese = shape([label])
    with translation.override("en"):
        english = shape([label])
    assert chinese == ("list", (("str", "注销"),))
    assert english == ("list", (("str", "Log out"),))


@pytest.mark.django_db
def test_a_menu_item_the_shape_cannot_describe_is_packed_afresh(make_user, monkeypatch):
    """An item whose arguments hold a mapping that is not a dict (telepath packs it
    as the list of its keys) is drawn as Wagtail draws it, and never kept."""
    from types import MappingProxyType

    from wagtail.admin.ui.sidebar import LinkMenuItem

    class Odd(LinkMenuItem):
        def js_args(self):
            args = super().js_args()
            args[0]["attrs"] = MappingProxyType({"data-odd": "1"})
            return args

    real_modules = admin_sidebar.sidebar_modules

    def with_odd_item(request):
        modules = real_modules(request)
        modules[-1].menu_items.append(Odd("odd", "Odd", "/odd/"))
        return modules

    monkeypatch.setattr(admin_sidebar, "sidebar_modules", with_odd_item)
    monkeypatch.setattr(
        wagtailadmin_tags, "sidebar_modules", with_odd_item, raising=False
    )
    user = make_user("e", roles.EDITOR)
    with translation.override("zh-hans"):
        ours = _decoded(admin_sidebar.sidebar_props({"request": _request(user)}))
    items = ours["modules"][-1]["_args"][0]
    odd = next(item for item in items if item["_args"][0]["name"] == "odd")
    assert odd["_args"][0]["attrs"] == ["data-odd"]
    assert len(admin_sidebar._packed) == 0
