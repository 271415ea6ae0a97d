"""Wagtail's own admin strings that its catalogue leaves in English appear in Chinese."""

import json

import pytest
from django.urls import reverse

from core import roles

pytestmark = pytest.mark.django_db


def test_the_reports_menu_names_page_types_usage_in_chinese(client_for):
    client = client_for(roles.ADMINISTRATOR)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    # The sidebar menu is drawn from JSON, where Chinese is written \u-escaped.
    assert json.dumps("页面类型使用情况")[1:-1] in page
    assert "Page types usage" not in page


def test_an_edit_made_before_today_reads_in_chinese():
    """An edit screen's status says when and by whom the record was last changed:
    "at 09:30 by …" for today, "3 days ago by …" before today — that second form
    was left in English by Wagtail's catalogue (the Chinese UI read "3 日 ago by
    张三" from the day after an edit)."""
    import datetime

    from django.utils import timezone, translation
    from wagtail.admin.templatetags.wagtailadmin_tags import timesince_last_update

    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    with translation.override("zh-hans"):
        text = timesince_last_update(three_days_ago, user_display_name="张三")
    assert text == "3\xa0日之前，张三"
