"""我的申报: an organization user applies online — drafts, submission before the
deadline, eligibility, amounts, files, double submits, more information requested,
frozen decisions — and reaches only its own organization's applications."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import Notification, NotificationKind
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.models import Application, ApplicationSubmission
from funding.selectors.portal import status_steps
from funding.services import portal
from funding.services.portal import (
    application_request_more_info,
    application_save,
    application_submit_online,
    call_form_version_current,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def member(org_member):
    user = org_member()
    user.org = user.organization_membership.organization
    return user


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


def _ids(call):
    version = call_form_version_current(call)
    return {b["type"]: b["id"] for b in version.blocks}


def _post_data(
    call,
    *,
    title="护苗行动",
    amount="100000",
    lines=None,
    number="120",
    choice="儿童",
    action="save",
):
    ids = _ids(call)
    data = {
        "action": action,
        "app-title": title,
        "app-summary": "为留守儿童提供课后陪伴。",
        "app-requested_amount": amount,
        "app-beneficiaries": "留守儿童",
        "app-beneficiary_count": "300",
        "app-linked_projects": "",
        "budget-TOTAL_FORMS": "6",
        "budget-INITIAL_FORMS": "0",
        "budget-MIN_NUM_FORMS": "6",
        "budget-MAX_NUM_FORMS": "50",
        f"form-q_{ids['number']}": number,
        f"form-q_{ids['choice']}": choice,
        "att-attachment_title": "",
    }
    for i, (item, value) in enumerate(
        lines or [("人员费用", "60000"), ("活动费用", "40000")]
    ):
        data[f"budget-{i}-item"] = item
        data[f"budget-{i}-amount"] = value
    return data


def _draft(call, member, **fields):
    ids = _ids(call)
    return application_save(
        call=call,
        organization=member.org,
        user=member,
        fields={"title": "护苗行动", "requested_amount": Decimal("100000"), **fields},
        budget_lines=[("人员费用", Decimal("60000")), ("活动费用", Decimal("40000"))],
        answers={ids["number"]: "120", ids["choice"]: "儿童"},
    )


def _messages(response):
    return [str(m) for m in response.wsgi_request._messages]


# --- draft, come back, submit ---------------------------------------------------------


def test_save_a_draft_come_back_and_submit(
    online_call, member, member_client, make_user
):
    manager = make_user("fm1", "fund_manager")
    colleague = make_user("finance_contact", "organization")
    from incubator.models import OrganizationMembership

    OrganizationMembership.objects.create(user=colleague, organization=member.org)

    url = reverse("funding_portal_application_new", args=[online_call.pk])
    response = member_client.post(url, _post_data(online_call))
    assert response.status_code == 302
    app = Application.objects.get(organization=member.org)
    assert app.status == S.DRAFT
    assert app.requested_amount == Decimal("100000")
    assert [(b.item, b.amount) for b in app.budget_lines.all()] == [
        ("人员费用", Decimal("60000")),
        ("活动费用", Decimal("40000")),
    ]
    ids = _ids(online_call)
    assert app.answers[ids["number"]] == "120"
    assert app.answers[ids["choice"]] == "儿童"

    # come back: the draft's values are in the form
    page = member_client.get(reverse("funding_portal_application_edit", args=[app.pk]))
    text = page.content.decode()
    assert 'value="护苗行动"' in text and 'value="120"' in text

    response = member_client.post(
        reverse("funding_portal_application_edit", args=[app.pk]),
        _post_data(online_call, action="submit"),
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    assert app.submitted_online is True
    assert ApplicationSubmission.objects.filter(application=app).count() == 1
    assert Notification.objects.filter(
        recipient=manager, kind=NotificationKind.APPLICATION_SUBMITTED
    ).exists()
    # the organization's other user is told; the one who submitted is not
    assert Notification.objects.filter(
        recipient=colleague, kind=NotificationKind.APPLICATION_RECEIVED
    ).exists()
    assert not Notification.objects.filter(recipient=member).exists()


def test_the_deadline_day_counts_to_235959_beijing_time(online_call, member):
    app = _draft(online_call, member)
    closes = online_call.closes_on
    last_second = datetime.datetime.combine(
        closes, datetime.time(23, 59, 59), tzinfo=SHANGHAI
    )
    too_late = last_second + datetime.timedelta(seconds=1)
    with pytest.raises(FundingError) as refused:
        application_submit_online(
            application=app, organization=member.org, user=member, now=too_late
        )
    assert f"{closes:%Y-%m-%d} 23:59:59" in str(refused.value)
    assert Application.objects.get(pk=app.pk).status == S.DRAFT
    application_submit_online(
        application=app, organization=member.org, user=member, now=last_second
    )
    assert Application.objects.get(pk=app.pk).status == S.SUBMITTED


def test_a_late_submit_on_the_screen_shows_the_deadline(
    online_call, member, member_client
):
    app = _draft(online_call, member)
    yesterday = online_call.opens_on - datetime.timedelta(days=20)
    type(online_call).objects.filter(pk=online_call.pk).update(
        opens_on=yesterday, closes_on=yesterday + datetime.timedelta(days=1)
    )
    response = member_client.post(
        reverse("funding_portal_application", args=[app.pk]), follow=True
    )
    text = response.content.decode()
    deadline = f"{yesterday + datetime.timedelta(days=1):%Y-%m-%d} 23:59:59"
    assert deadline in text
    assert Application.objects.get(pk=app.pk).status == S.DRAFT


def test_every_eligibility_failure_is_listed_and_nothing_is_submitted(
    make_call, member
):
    # the call takes only foundations at province level; the budget adds up wrong
    call = make_call(eligible_types=["foundation"], eligible_levels=["province"])
    app = application_save(
        call=call,
        organization=member.org,
        user=member,
        fields={"title": "助残", "requested_amount": Decimal("100000")},
        budget_lines=[("人员费用", Decimal("90000"))],
        answers={},
    )
    with pytest.raises(FundingError) as refused:
        application_submit_online(application=app, organization=member.org, user=member)
    message = str(refused.value)
    assert "县级" in message  # the registration level refused
    assert "社会服务机构" in message  # the type refused
    assert "90,000.00" in message and "100,000.00" in message  # the budget
    assert Application.objects.get(pk=app.pk).status == S.DRAFT
    assert not ApplicationSubmission.objects.exists()


def test_a_required_answer_missing_is_refused(online_call, member):
    app = _draft(online_call, member)
    Application.objects.filter(pk=app.pk).update(answers={})
    with pytest.raises(FundingError) as refused:
        application_submit_online(application=app, organization=member.org, user=member)
    assert "服务人次" in str(refused.value) and "服务领域" in str(refused.value)


def test_an_amount_over_the_maximum_is_refused(online_call, member, member_client):
    # the call's maximum is 150,000 yuan
    response = member_client.post(
        reverse("funding_portal_application_new", args=[online_call.pk]),
        _post_data(online_call, amount="150000.01"),
    )
    assert response.status_code == 200
    assert "150,000.00" in response.content.decode()
    assert not Application.objects.exists()
    with pytest.raises(FundingError):
        _draft(online_call, member, requested_amount=Decimal("150000.01"))


def test_double_submit_gives_a_message_and_one_submission(
    online_call, member, member_client
):
    app = _draft(online_call, member)
    url = reverse("funding_portal_application", args=[app.pk])
    first = member_client.post(url)
    second = member_client.post(url)
    assert first.status_code == second.status_code == 302
    assert any("已提交" in m for m in _messages(second))
    assert ApplicationSubmission.objects.filter(application=app).count() == 1
    # the edit screen's submit button, clicked again, too
    again = member_client.post(
        reverse("funding_portal_application_edit", args=[app.pk]),
        _post_data(online_call, action="submit"),
    )
    assert any("已提交" in m for m in _messages(again))
    assert ApplicationSubmission.objects.filter(application=app).count() == 1


def test_files_of_a_wrong_type_or_too_large_are_refused(
    online_call, member, member_client, monkeypatch
):
    app = _draft(online_call, member)
    url = reverse("funding_portal_application_edit", args=[app.pk])
    data = _post_data(online_call)
    data["att-attachment_title"] = "机构简介"
    data["att-attachment_file"] = SimpleUploadedFile(
        "intro.html", b"<html><script>alert(1)</script></html>", "text/html"
    )
    response = member_client.post(url, data)
    assert response.status_code == 200
    assert "不接受" in response.content.decode()
    assert app.attachments.count() == 0

    monkeypatch.setattr(portal, "MAX_FILE_SIZE", 10)
    data = _post_data(online_call)
    data["att-attachment_file"] = SimpleUploadedFile("plan.pdf", PDF, "application/pdf")
    response = member_client.post(url, data)
    assert response.status_code == 200
    assert "MB" in response.content.decode()
    assert app.attachments.count() == 0

    monkeypatch.setattr(portal, "MAX_FILE_SIZE", 20 * 1024 * 1024)
    data = _post_data(online_call)
    data["att-attachment_title"] = "实施方案"
    data["att-attachment_file"] = SimpleUploadedFile("plan.pdf", PDF, "application/pdf")
    assert member_client.post(url, data).status_code == 302
    attachment = app.attachments.get()
    assert attachment.title == "实施方案"
    download = member_client.get(
        reverse("funding_portal_application_file", args=[app.pk, attachment.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_limit_per_organization(make_call, member):
    call = make_call(applications_per_organization=1)
    first = application_save(
        call=call,
        organization=member.org,
        user=member,
        fields={"title": "一", "requested_amount": Decimal("1000")},
        budget_lines=[("活动", Decimal("1000"))],
        answers={},
    )
    # a second start while the first is a draft continues it
    # (test_attack_drafts); once it is submitted, the limit refuses another
    Application.objects.filter(pk=first.pk).update(status=S.SUBMITTED)
    with pytest.raises(FundingError) as refused:
        application_save(
            call=call,
            organization=member.org,
            user=member,
            fields={"title": "二", "requested_amount": Decimal("1000")},
            budget_lines=[("活动", Decimal("1000"))],
            answers={},
        )
    assert "1" in str(refused.value)
    assert Application.objects.filter(call=call).count() == 1


# --- more information, resubmission, the record ------------------------------------


def test_more_information_requested_then_resubmitted_with_the_changes_shown(
    online_call, member, member_client, client_for
):
    app = _draft(online_call, member)
    application_submit_online(application=app, organization=member.org, user=member)
    staff = client_for("fund_manager")
    record = reverse("funding_application_record", args=[app.pk])
    page = staff.get(record)
    assert "机构在线提交" in page.content.decode()
    staff.post(record, {"note": "请补充服务人次的测算依据"})
    app.refresh_from_db()
    assert app.status == S.MORE_INFO
    assert app.info_request == "请补充服务人次的测算依据"
    assert Notification.objects.filter(
        recipient=member, kind=NotificationKind.MORE_INFO_REQUESTED
    ).exists()

    detail = member_client.get(reverse("funding_portal_application", args=[app.pk]))
    assert "请补充服务人次的测算依据" in detail.content.decode()

    data = _post_data(
        online_call,
        action="submit",
        amount="90000",
        lines=[("人员费用", "50000"), ("活动费用", "40000")],
        number="150",
    )
    response = member_client.post(
        reverse("funding_portal_application_edit", args=[app.pk]), data
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    assert app.submissions.count() == 2

    text = staff.get(record).content.decode()
    # what changed: the amount 100,000 → 90,000, a budget line, the answer 120 → 150
    assert "100,000.00" in text and "90,000.00" in text
    assert "120人次" in text and "150人次" in text
    assert "人员费用：60,000.00" in text and "人员费用：50,000.00" in text


def test_more_information_needs_a_note(online_call, member, manager):
    app = _draft(online_call, member)
    application_submit_online(application=app, organization=member.org, user=member)
    with pytest.raises(FundingError):
        application_request_more_info(application=app, user=manager, note="  ")
    assert Application.objects.get(pk=app.pk).status == S.SUBMITTED


def test_a_decided_application_is_frozen(
    online_call, member, member_client, make_application
):
    app = make_application(
        status=S.APPROVED, organization=member.org, call=online_call, title="已决定项目"
    )
    response = member_client.post(
        reverse("funding_portal_application_edit", args=[app.pk]),
        _post_data(online_call, title="改了标题"),
    )
    assert response.status_code == 302
    assert any("冻结" in m for m in _messages(response))
    assert Application.objects.get(pk=app.pk).title == "已决定项目"
    with pytest.raises(FundingError):
        application_save(
            call=online_call,
            organization=member.org,
            user=member,
            application=app,
            fields={"title": "改了标题"},
            budget_lines=[],
            answers={},
        )
    assert Application.objects.get(pk=app.pk).title == "已决定项目"


# --- the status bar, feedback, scope ------------------------------------------------


def test_the_status_bar_maps_the_lifecycle_onto_ten_steps():
    steps = status_steps(S.IN_REVIEW)
    assert [s.label for s in steps] == [
        "草稿",
        "已提交",
        "形式审查",
        "评审中",
        "决定",
        "公示",
        "立项",
        "实施中",
        "中期",
        "结项",
    ]
    assert [s.state for s in steps] == ["done"] * 3 + ["current"] + ["todo"] * 6
    assert [s.state for s in status_steps(S.MORE_INFO)][:2] == ["done", "stopped"]
    assert [s.state for s in status_steps(S.AWARDED)][6] == "current"


def test_reviewers_are_never_named_and_feedback_only_when_the_call_publishes_it(
    online_call, member, member_client, make_reviewer, manager
):
    from django.utils import timezone

    from funding.models import Review

    app = _draft(online_call, member)
    application_submit_online(application=app, organization=member.org, user=member)
    Application.objects.filter(pk=app.pk).update(status=S.REVIEWED)
    reviewer = make_reviewer("expert_zhang", first_name="三", last_name="张")
    Review.objects.create(
        application=app,
        reviewer=reviewer,
        status="submitted",
        comment="实施方案清晰，建议细化预算。",
        total=Decimal("86.5"),
    )
    type(online_call).objects.filter(pk=online_call.pk).update(
        review_closed_at=timezone.now()
    )
    url = reverse("funding_portal_application", args=[app.pk])
    text = member_client.get(url).content.decode()
    assert "实施方案清晰" not in text
    type(online_call).objects.filter(pk=online_call.pk).update(publish_feedback=True)
    text = member_client.get(url).content.decode()
    assert "实施方案清晰，建议细化预算。" in text
    assert "张三" not in text and "expert_zhang" not in text and "86.5" not in text


def test_another_organizations_application_answers_404(
    online_call, member, member_client, org_member, make_application
):
    other = org_member()
    theirs = make_application(
        organization=other.organization_membership.organization,
        call=online_call,
        title="别家的项目",
    )
    mine = _draft(online_call, member)
    listing = member_client.get(reverse("funding_portal_applications")).content.decode()
    assert "护苗行动" in listing and "别家的项目" not in listing
    for name, args in [
        ("funding_portal_application", [theirs.pk]),
        ("funding_portal_application_edit", [theirs.pk]),
        ("funding_application_record", [theirs.pk]),
    ]:
        assert member_client.get(reverse(name, args=args)).status_code == 404
    assert (
        member_client.post(
            reverse("funding_portal_application", args=[theirs.pk])
        ).status_code
        == 404
    )
    assert (
        member_client.get(
            reverse("funding_portal_application", args=[mine.pk])
        ).status_code
        == 200
    )


def test_staff_without_an_organization_are_refused_the_portal(client_for):
    staff = client_for("fund_manager")
    response = staff.get(reverse("funding_portal_applications"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
