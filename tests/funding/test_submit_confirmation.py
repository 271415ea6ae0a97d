"""Submitting an application online asks first: once submitted it can no longer be
changed (unless more information is requested), and the 提交 button sat beside 保存草稿
with nothing to stop a slip of the finger (found walking the portal as `org`). The
question is on the submit button of the form and on the detail page's submit form
(core/static/core/js/confirm.js asks it); saving a draft asks nothing."""

import re

from django.urls import reverse

from tests.funding.test_portal_applications import (  # noqa: F401 - fixtures
    _draft,
    member,
    member_client,
)

QUESTION = "现在提交申报吗？提交后不能再修改，除非被要求补充材料。"


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_asks_before_submitting_not_before_saving(
    online_call,
    member,  # noqa: F811
    member_client,  # noqa: F811
):
    application = _draft(online_call, member)

    html = _html(
        member_client.get(
            reverse("funding_portal_application_edit", args=[application.pk])
        )
    )

    submit = re.search(r'<button[^>]*value="submit"[^>]*>', html).group(0)
    save = re.search(r'<button[^>]*value="save"[^>]*>', html).group(0)
    assert f'data-confirm="{QUESTION}"' in submit
    assert "data-confirm" not in save


def test_the_detail_page_asks_before_submitting(
    online_call,
    member,  # noqa: F811
    member_client,  # noqa: F811
):
    application = _draft(online_call, member)

    html = _html(
        member_client.get(reverse("funding_portal_application", args=[application.pk]))
    )

    form = re.search(r"<form method=\"post\"[^>]*>", html).group(0)
    assert f'data-confirm="{QUESTION}"' in form


def test_the_script_asks_the_buttons_own_question():
    from pathlib import Path

    from django.conf import settings

    script = (Path(settings.BASE_DIR) / "core/static/core/js/confirm.js").read_text()
    assert "event.submitter" in script
    assert "button.dataset.confirm" in script
