"""The hand-built funding screens show a refused input as Wagtail shows any field's
error: in the field's own box (`w-field--error`), beside what was typed, which is
kept. (The rule stays in the service; the screen only puts its answer there.)"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core import roles
from funding.choices import ApplicationStatus as S

pytestmark = pytest.mark.django_db


def field_box(html, name):
    """The HTML of Wagtail's field box (`wagtailadmin/shared/formatted_field.html`)
    of the field posted as `name`: from its `w-field` div to the next field or the
    end of its form."""
    start = re.search(
        r'<div class="w-field [^"]*" data-field data-contentpath="%s">' % name, html
    )
    assert start, f"no Wagtail field box for {name}"
    end = re.compile(r"data-field-wrapper|</form>").search(html, start.end())
    return html[start.start() : end.start()]


def test_a_refused_objection_is_told_in_its_field_and_the_objector_kept(
    award_on_notice, manager
):
    client = Client()
    client.force_login(manager)
    response = client.post(
        reverse("funding_award_desk", args=[award_on_notice.pk]),
        {
            "action": "objection",
            "received_on": "2023-06-06",
            "objector": "长沙市某社区居民李某",
            "content": "",
        },
    )
    html = response.content.decode()
    content = field_box(html, "content")
    assert "w-field--error" in content and "请填写异议内容。" in content
    objector = field_box(html, "objector")
    assert 'value="长沙市某社区居民李某"' in objector
    assert "w-field--error" not in objector
    assert award_on_notice.objections.count() == 0


def test_the_decision_screen_puts_the_amount_error_beside_the_amount(
    make_application, client_for
):
    manager = client_for(roles.FUND_MANAGER, "manager")
    app = make_application(status=S.REVIEWED)
    response = manager.post(
        reverse("funding_application_decide", args=[app.pk]),
        {"decision": "approve", "amount": "100001", "note": "设备费过高"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    amount = field_box(html, "amount")
    assert "w-field--error" in amount
    assert "批准金额不能超过申请金额。" in amount
    assert 'value="100001"' in amount
    assert "设备费过高" in field_box(html, "note")
    app.refresh_from_db()
    assert app.status == S.REVIEWED and app.approved_amount is None
