"""A call's own application form is versioned: changing it never alters or breaks a
submitted application (DESIGN.md §2 Funding "Applying online")."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from funding.choices import ApplicationStatus
from funding.models import CallFormVersion
from funding.services.portal import (
    application_save,
    application_submit_online,
    call_form_version_current,
)


def _answers(version, number, choice):
    by_type = {b["type"]: b["id"] for b in version.blocks}
    return {by_type["number"]: number, by_type["choice"]: choice}


def _submit(call, organization, user, *, number="120", choice="儿童", title="护苗"):
    version = call_form_version_current(call)
    application = application_save(
        call=call,
        organization=organization,
        user=user,
        fields={"title": title, "requested_amount": Decimal("100000")},
        budget_lines=[("人员费用", Decimal("60000")), ("活动费用", Decimal("40000"))],
        answers=_answers(version, number, choice),
    )
    return application_submit_online(
        application=application, organization=organization, user=user
    )


def test_a_form_is_version_1_and_saving_it_unchanged_makes_no_new_version(online_call):
    versions = CallFormVersion.objects.filter(call=online_call)
    assert [v.number for v in versions] == [1]
    assert [b["type"] for b in versions[0].blocks] == ["number", "choice"]
    assert versions[0].blocks[0]["value"]["label"] == "服务人次"
    online_call.save()
    assert versions.count() == 1
    assert call_form_version_current(online_call).number == 1


def test_changing_the_form_after_a_submission_keeps_the_submitted_version(
    online_call, org_member
):
    user = org_member()
    organization = user.organization_membership.organization
    submitted = _submit(online_call, organization, user)
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.form_version.number == 1

    # staff rename the number question and drop the choice question
    form = online_call.application_form
    number_block = form[0]
    online_call.application_form = [
        ("number", {**dict(number_block.value), "label": "受益人数", "unit": "人"}),
        ("text", {"label": "项目亮点", "required": False, "help_text": ""}),
    ]
    online_call.save()

    assert list(
        CallFormVersion.objects.filter(call=online_call).values_list(
            "number", flat=True
        )
    ) == [1, 2]
    submitted.refresh_from_db()
    assert submitted.form_version.number == 1
    assert submitted.form_version.blocks[0]["value"]["label"] == "服务人次"
    v1 = submitted.form_version
    assert submitted.answers == _answers(v1, "120", "儿童")

    # the old application still renders with its own questions and answers
    client = Client()
    client.force_login(user)
    page = client.get(reverse("funding_portal_application", args=[submitted.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "服务人次" in text and "120人次" in text
    assert "服务领域" in text and "儿童" in text
    assert "受益人数" not in text


def test_a_new_draft_is_written_against_the_new_version(online_call, org_member):
    user = org_member()
    organization = user.organization_membership.organization
    online_call.application_form = [
        ("text", {"label": "项目亮点", "required": True, "help_text": ""})
    ]
    online_call.save()
    client = Client()
    client.force_login(user)
    page = client.get(reverse("funding_portal_application_new", args=[online_call.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "项目亮点" in text and "服务人次" not in text
    draft = application_save(
        call=online_call,
        organization=organization,
        user=user,
        fields={"title": "社区议事", "requested_amount": Decimal("50000")},
        budget_lines=[("活动费用", Decimal("50000"))],
        answers={},
    )
    assert draft.form_version.number == 2


@pytest.mark.parametrize("status", [ApplicationStatus.SUBMITTED])
def test_the_staff_record_of_an_old_submission_renders_after_a_change(
    online_call, org_member, client_for, status
):
    user = org_member()
    organization = user.organization_membership.organization
    submitted = _submit(online_call, organization, user)
    online_call.application_form = []
    online_call.save()
    staff = client_for("fund_manager")
    page = staff.get(reverse("funding_application_record", args=[submitted.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "服务人次" in text and "120人次" in text
