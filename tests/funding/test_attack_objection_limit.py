"""The public objection form's daily limit (3 per address) holds when two forms
are sent at once: both requests counted two objections of the day, yet only one
of them is stored as the third."""

from unittest import mock

import pytest
from django.utils import translation

from funding.errors import FundingError
from funding.models import Objection
from funding.services.public_objections import (
    objection_form_token,
    objection_submit_public,
)
from tests.funding.test_public_objection import CONTACT, CONTENT, notice_world  # noqa: F401

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.9"


def _send(world, objector="张三"):
    notice = world["notice"]
    return objection_submit_public(
        notice,
        award=world["award"],
        objector=objector,
        contact=CONTACT,
        content=CONTENT,
        address=ADDRESS,
        token=objection_form_token(notice),
    )


def test_two_forms_racing_for_the_last_place_store_one(notice_world):  # noqa: F811
    _send(notice_world, "张一")
    _send(notice_world, "张二")
    # both racing requests read the two of the day before either stored its own
    stale = mock.patch("core.limits.used_slots", side_effect=lambda t, f: [1, 2])
    with stale:
        _send(notice_world, "张三")
        with translation.override("zh-hans"), pytest.raises(FundingError) as late:
            _send(notice_world, "张四")
    assert late.value.messages == [
        "每个地址每天最多提交 3 条异议。请明天再试，或通过公示中列出的联系方式反映。"
    ]
    stored = Objection.objects.filter(submitted_online=True).order_by("day_slot")
    assert [(o.objector, o.day_slot) for o in stored] == [
        ("张一", 1),
        ("张二", 2),
        ("张三", 3),
    ]
