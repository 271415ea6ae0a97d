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
