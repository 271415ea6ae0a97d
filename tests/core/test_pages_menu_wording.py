"""The public site's pages are 页面 in the Chinese admin (Wagtail's own word), not
分页 ("pagination"): a stale entry of the platform's catalogue, left from a pager
that no longer says "Pages", renamed Wagtail's 页面 menu and screens."""

import json

import pytest
from django.test import Client
from django.utils import translation

from core import roles

pytestmark = pytest.mark.django_db


def test_pages_is_yemian_in_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("Pages") == "页面"


def test_editor_sidebar_says_yemian(make_user):
    client = Client()
    client.force_login(make_user("editor", roles.EDITOR))
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    start = html.index('id="wagtail-sidebar-props"')
    props = html[html.index(">", start) + 1 : html.index("</script>", start)]
    text = json.dumps(json.loads(props), ensure_ascii=False)
    assert '"页面"' in text
    assert "分页" not in text
