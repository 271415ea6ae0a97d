"""The 监督管理 (Supervision) menu group: every supervision screen in it, in one
order, each shown to whoever may read its records — the registrar sees all of
them, the fund manager only the targets."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.admin.menu import Menu

from core import roles
from incubator.views.portal_base import SUPERVISION_MENU_HOOK

pytestmark = pytest.mark.django_db


def _items(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    with translation.override("zh-hans"):
        items = Menu(register_hook_name=SUPERVISION_MENU_HOOK).menu_items_for_request(
            request
        )
        return sorted(
            ((str(item.label), item.url, item.order) for item in items),
            key=lambda item: item[2],
        )


def test_the_registrar_sees_every_supervision_screen_in_order(make_user):
    registrar = make_user("registrar_menu", roles.REGISTRAR)
    assert _items(registrar) == [
        ("年检", "/admin/snippets/incubator/inspectioncampaign/", 10),
        ("年检结果", "/admin/snippets/incubator/inspection/", 15),
        ("僵尸型社会组织清理", "/admin/snippets/incubator/dormantcampaign/", 25),
        ("僵尸型社会组织处置", "/admin/snippets/incubator/dormantcase/", 30),
        ("双随机抽查", "/admin/snippets/incubator/spotcheckcampaign/", 40),
        ("检查人员名录", "/admin/snippets/incubator/inspector/", 45),
        ("信用决定", "/admin/snippets/incubator/creditdecision/", 50),
        ("信用双公示", "/admin/supervision/credit-publication/", 55),
        ("工作目标", "/admin/supervision/targets/", 75),
    ]


def test_a_fund_manager_sees_only_the_targets(make_user):
    # the purchase target is the fund manager's figure; inspections, checks and
    # credit decisions are the registration authority's work
    assert _items(make_user("fund_menu", roles.FUND_MANAGER)) == [
        ("工作目标", "/admin/supervision/targets/", 75)
    ]
