"""A double click on "save draft" of a new application (or a second tab) makes no
second draft: starting an application to a call for which the organization
already has a draft continues that draft, and the database holds at most one
draft per organization and call, so two requests that both found no draft still
end with one."""

from decimal import Decimal
from unittest import mock

import pytest
from django.db import IntegrityError, transaction

from funding.choices import ApplicationStatus as S
from funding.models import Application
from funding.services import portal
from funding.services.portal import application_save, call_form_version_current


@pytest.fixture
def member(org_member):
    user = org_member()
    user.org = user.organization_membership.organization
    return user


def _start(call, member, title="护苗行动", amount="100000"):
    ids = {b["type"]: b["id"] for b in call_form_version_current(call).blocks}
    return application_save(
        call=call,
        organization=member.org,
        user=member,
        fields={"title": title, "requested_amount": Decimal(amount)},
        budget_lines=[("人员费用", Decimal(amount))],
        answers={ids["number"]: "120", ids["choice"]: "儿童"},
    )


def test_starting_twice_continues_the_one_draft(online_call, member):
    first = _start(online_call, member)
    second = _start(online_call, member, title="护苗行动（修改）", amount="80000")
    assert second.pk == first.pk
    drafts = Application.objects.filter(call=online_call, organization=member.org)
    assert drafts.count() == 1
    draft = drafts.get()
    assert (draft.status, draft.title, draft.requested_amount) == (
        S.DRAFT,
        "护苗行动（修改）",
        Decimal("80000.00"),
    )
    assert [(b.item, b.amount) for b in draft.budget_lines.all()] == [
        ("人员费用", Decimal("80000.00"))
    ]


def test_two_requests_that_both_found_no_draft_make_one(online_call, member):
    first = _start(online_call, member)
    real = portal._open_draft
    calls = []

    def raced(call, organization):
        # the second request read "no draft" before the first one was stored
        calls.append(1)
        return None if len(calls) == 1 else real(call, organization)

    with mock.patch.object(portal, "_open_draft", side_effect=raced):
        second = _start(online_call, member, title="双击的第二次")
    assert second.pk == first.pk
    assert (
        Application.objects.filter(call=online_call, organization=member.org).count()
        == 1
    )
    assert Application.objects.get(pk=first.pk).title == "双击的第二次"


def test_the_database_refuses_a_second_draft(online_call, member):
    _start(online_call, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            call=online_call,
            organization=member.org,
            title="第二份草稿",
            requested_amount=Decimal("1000"),
        )


def test_a_submitted_application_is_not_a_draft_to_continue(online_call, member):
    first = _start(online_call, member)
    Application.objects.filter(pk=first.pk).update(status=S.SUBMITTED)
    online_call.applications_per_organization = 2
    online_call.save()
    second = _start(online_call, member, title="第二个项目")
    assert second.pk != first.pk and second.status == S.DRAFT


def test_the_new_application_page_opens_the_draft_already_begun(
    online_call, member, client
):
    from django.urls import reverse

    draft = _start(online_call, member)
    client.force_login(member)
    page = client.get(reverse("funding_portal_application_new", args=[online_call.pk]))
    assert page.status_code == 302
    assert page.url == reverse("funding_portal_application_edit", args=[draft.pk])


def test_the_staff_form_refuses_a_second_draft(online_call, member):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from funding.views.viewsets import ApplicationViewSet

    _start(online_call, member)
    form_class = ApplicationViewSet.edit_handler.bind_to_model(
        Application
    ).get_form_class()
    form = form_class(instance=Application())
    form.cleaned_data = {"call": online_call, "organization": member.org}
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        form.clean()
    assert refused.value.messages == [
        "该机构在本批次已有一份申报草稿：请继续填写该草稿。"
    ]
