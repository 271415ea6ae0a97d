"""A confirmation with its summary before each bulk or irreversible funding action:
the first request writes nothing and states what will happen, the confirming POST
does it, a stale confirmation is refused, a replay does nothing more."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core import roles
from funding.choices import ApplicationStatus as S
from funding.choices import Recommendation, ReviewStatus, ShortfallRule
from funding.models import Application, Review
from funding.models.awards import Disbursement, DisbursementStatus
from funding.services.disbursements import disbursement_approve, disbursement_record
from funding.services.funding_line import application_approve, funding_line_draw
from tests.fixtures.funding import score_form
from tests.support.confirm import confirmation_token, post_confirmed
from tests.support.payments import pay_form_data

D = Decimal
STALE = "未执行：确认页显示之后情况已有变化"


def _text(response):
    return response.content.decode()


@pytest.fixture
def closing_call(make_call, make_application, make_reviewer):
    """Three applications in review, three reviews required: A has 2 submitted and
    1 assigned, B 2 submitted and 1 draft, C 3 submitted."""
    call = make_call()
    experts = [make_reviewer() for _ in range(3)]
    apps = {}
    for title, last in (("A", ReviewStatus.ASSIGNED), ("B", ReviewStatus.DRAFT)):
        app = make_application(call=call, title=title, status=S.IN_REVIEW)
        for expert, status in zip(
            experts, [ReviewStatus.SUBMITTED, ReviewStatus.SUBMITTED, last], strict=True
        ):
            Review.objects.create(
                application=app, reviewer=expert, status=status, total=D(80)
            )
        apps[title] = app
    app = make_application(call=call, title="C", status=S.IN_REVIEW)
    for expert in experts:
        Review.objects.create(
            application=app, reviewer=expert, status=ReviewStatus.SUBMITTED, total=D(90)
        )
    apps["C"] = app
    return call, apps


def test_closing_the_review_states_the_withdrawals_first(closing_call, client_for):
    call, apps = closing_call
    manager = client_for(roles.FUND_MANAGER, "manager")
    desk = reverse("funding_call_desk", args=[call.pk])

    first = manager.post(desk, {"action": "close"})
    assert first.status_code == 200
    html = _text(first)
    assert "将撤回 2 份未提交的评审（其中草稿 1 份）" in html
    assert "2 个申请的已提交评审将少于要求的 3 份" in html
    assert "3 个申请转为已评审" in html
    call.refresh_from_db()
    assert call.review_closed_at is None
    assert Review.objects.filter(status=ReviewStatus.WITHDRAWN).count() == 0

    token = confirmation_token(first)
    manager.post(desk, {"action": "close", "confirm_token": token})
    call.refresh_from_db()
    closed_at = call.review_closed_at
    assert closed_at is not None
    assert Review.objects.filter(status=ReviewStatus.WITHDRAWN).count() == 2

    replay = manager.post(desk, {"action": "close", "confirm_token": token})
    assert replay.status_code == 409
    assert "评审已经结束" in _text(replay) or "已结束" in _text(replay)
    call.refresh_from_db()
    assert call.review_closed_at == closed_at


def test_a_stale_close_confirmation_is_refused(closing_call, client_for):
    call, apps = closing_call
    manager = client_for(roles.FUND_MANAGER, "manager")
    desk = reverse("funding_call_desk", args=[call.pk])
    token = confirmation_token(manager.post(desk, {"action": "close"}))
    # meanwhile the third expert of A submits: one review fewer to withdraw
    Review.objects.filter(application=apps["A"], status=ReviewStatus.ASSIGNED).update(
        status=ReviewStatus.SUBMITTED
    )
    stale = manager.post(desk, {"action": "close", "confirm_token": token})
    assert stale.status_code == 409
    html = _text(stale)
    assert STALE in html
    assert "将撤回 1 份未提交的评审（其中草稿 1 份）" in html
    call.refresh_from_db()
    assert call.review_closed_at is None
    assert Review.objects.filter(status=ReviewStatus.WITHDRAWN).count() == 0


@pytest.fixture
def drawn_line(make_call, make_application, make_reviewer, manager):
    """Four reviewed applications of 92,000 yuan each and a budget of 276,000:
    three above the line, the fourth skipped."""
    call = make_call(total_budget=D("276000"), max_per_award=D("100000"))
    experts = [make_reviewer() for _ in range(3)]
    apps = []
    for n, total in enumerate([95, 90, 85, 80]):
        app = make_application(
            call=call,
            title=f"项目{n + 1}",
            requested_amount=D("92000"),
            status=S.REVIEWED,
        )
        for expert in experts:
            Review.objects.create(
                application=app,
                reviewer=expert,
                status=ReviewStatus.SUBMITTED,
                total=D(total),
            )
        apps.append(app)
    line = funding_line_draw(
        call, rule=ShortfallRule.SKIP, reason="按排名资助", user=manager
    )
    return call, line, apps


def _statuses(apps):
    return [Application.objects.get(pk=a.pk).status for a in apps]


def test_deciding_by_the_line_states_how_many_and_how_much(drawn_line, client_for):
    call, line, apps = drawn_line
    client = client_for(roles.FUND_MANAGER, "manager2")
    desk = reverse("funding_call_desk", args=[call.pk])
    data = {"action": "apply", "line": line.pk}

    first = client.post(desk, data)
    html = _text(first)
    assert "将批准 3 个项目，合计 276,000.00 元（27.60 万元）" in html
    assert "将以资助线以下为由驳回 1 个申请" in html
    assert _statuses(apps) == [S.REVIEWED] * 4

    token = confirmation_token(first)
    client.post(desk, {**data, "confirm_token": token})
    assert _statuses(apps) == [S.APPROVED] * 3 + [S.REJECTED]
    histories = Application.history.count()

    replay = client.post(desk, {**data, "confirm_token": token})
    assert replay.status_code == 409
    assert "该资助线上没有待决定的申请" in _text(replay)
    assert Application.history.count() == histories


def test_a_stale_line_confirmation_decides_nothing(drawn_line, client_for, manager):
    call, line, apps = drawn_line
    client = client_for(roles.FUND_MANAGER, "manager2")
    desk = reverse("funding_call_desk", args=[call.pk])
    data = {"action": "apply", "line": line.pk}
    token = confirmation_token(client.post(desk, data))
    # meanwhile the first one is decided by hand
    application_approve(apps[0], amount="92000", note="", user=manager)
    stale = client.post(desk, {**data, "confirm_token": token})
    assert stale.status_code == 409
    html = _text(stale)
    assert STALE in html
    assert "将批准 2 个项目，合计 184,000.00 元（18.40 万元）" in html
    assert _statuses(apps) == [S.APPROVED] + [S.REVIEWED] * 3


@pytest.fixture
def approved_disbursement(make_award, manager, make_user):
    award = make_award()
    clerk = make_user("clerk", roles.FUND_MANAGER)
    d = disbursement_record(award.tranches.first(), amount="60000", user=clerk)
    disbursement_approve(d, user=manager)
    d.refresh_from_db()
    return award, d


def test_paying_states_who_gets_what(approved_disbursement, finance, client):
    award, d = approved_disbursement
    client.force_login(finance)
    url = reverse("funding_finance_batch", args=["pay"])
    data = pay_form_data([f"award-{d.pk}"], ["2026-0007"])
    page = client.post(url, data)
    html = _text(page)
    assert award.application.organization.name in html
    assert "60,000.00" in html and "2026-0007" in html
    assert "合计：60,000.00 元（6.00 万元）。" in html
    assert "第1期" in html
    d.refresh_from_db()
    assert d.status == DisbursementStatus.APPROVED  # the summary writes nothing

    token = confirmation_token(page)
    client.post(url, {**data, "confirm_token": token})
    d.refresh_from_db()
    assert (d.status, d.paid_by, d.voucher_number) == (
        DisbursementStatus.PAID,
        finance,
        "2026-0007",
    )

    replay = client.post(url, {**data, "confirm_token": token})
    assert replay.status_code == 404  # nothing of it waits for payment any more
    assert Disbursement.objects.get(pk=d.pk).status == DisbursementStatus.PAID
    assert Disbursement.history.filter(id=d.pk).count() == d.history.count()


def test_a_stale_payment_confirmation_pays_nothing(
    approved_disbursement, finance, client
):
    award, d = approved_disbursement
    client.force_login(finance)
    url = reverse("funding_finance_batch", args=["pay"])
    data = pay_form_data([f"award-{d.pk}"], ["2026-0008"])
    token = confirmation_token(client.post(url, data))
    Disbursement.objects.filter(pk=d.pk).update(amount=D("50000"))
    stale = client.post(url, {**data, "confirm_token": token})
    assert stale.status_code == 409
    assert "合计：50,000.00 元（5.00 万元）。" in _text(stale)
    d.refresh_from_db()
    assert d.status == DisbursementStatus.APPROVED


def test_terminating_states_what_was_paid_and_what_is_dropped(
    make_award, manager, make_user, client_for
):
    award = make_award()
    clerk = make_user("clerk", roles.FUND_MANAGER)
    first = award.tranches.first()
    d = disbursement_record(first, amount="30000", user=clerk)
    disbursement_approve(d, user=manager)
    from funding.services.disbursements import disbursement_pay

    disbursement_pay(
        d,
        user=make_user("finance9", roles.FINANCE),
        voucher_number="V1",
        paid_on=timezone.localdate(),
    )
    pending = disbursement_record(first, amount="30000", user=clerk)
    client = client_for(roles.FUND_MANAGER, "manager3")
    desk = reverse("funding_award_desk", args=[award.pk])
    data = {"action": "terminate", "reason": "机构注销"}

    page = client.post(desk, data)
    html = _text(page)
    assert (
        "已拨付：30,000.00 元（3.00 万元），总额 100,000.00 元（10.00 万元），记录保留"
        in html
    )
    assert "将驳回 1 笔未支付的拨付，合计 30,000.00 元（3.00 万元）" in html
    assert "机构注销" in html  # the reason typed is kept in the form
    award.application.refresh_from_db()
    assert award.application.status != S.TERMINATED

    response = post_confirmed(client, desk, data)
    assert response.status_code == 302
    award.refresh_from_db()
    award.application.refresh_from_db()
    assert award.application.status == S.TERMINATED
    assert award.termination_reason == "机构注销"
    pending.refresh_from_db()
    assert pending.status == DisbursementStatus.REJECTED


def test_submitting_a_review_states_the_total_and_locks_only_when_confirmed(
    make_call, make_application, client_for
):
    from funding.services.assignment import review_assign

    call = make_call()
    app = make_application(call=call, status=S.ELIGIBLE)
    expert = client_for(roles.REVIEWER, "expert")
    review = review_assign(app, expert.user)
    url = reverse("funding_review_score", args=[review.pk])
    data = {"action": "submit", "recommendation": Recommendation.FUND, "comment": ""}
    for pk, entry in score_form(call, [24, 32, 27]).items():
        data[f"score_{pk}"] = entry["score"]
        data[f"comment_{pk}"] = entry["comment"]

    first = expert.post(url, data)
    assert first.status_code == 200
    assert "总分：83.00。" in _text(first)
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED and not review.scores.exists()

    token = confirmation_token(first)
    stale = expert.post(
        url, {**data, f"score_{call.criteria.first().pk}": "25", "confirm_token": token}
    )
    assert stale.status_code == 409
    assert "总分：84.00。" in _text(stale)
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED

    expert.post(url, {**data, "confirm_token": token})
    review.refresh_from_db()
    assert (review.status, review.total) == (ReviewStatus.SUBMITTED, D("83.00"))
    submitted_at = review.submitted_at

    replay = expert.post(url, {**data, "confirm_token": token})
    assert replay.status_code == 400
    assert "已锁定" in _text(replay)
    review.refresh_from_db()
    assert review.submitted_at == submitted_at


def test_closing_a_notice_states_awards_and_holds(
    approved_application, manager, client_for
):
    from funding.services.notices import notice_publish, objection_record

    apps = [approved_application(D("100000")), approved_application(D("56500"))]
    notice = notice_publish(
        apps[0].call,
        title="立项公示",
        starts_on=datetime.date(2023, 6, 5),
        working_days=5,
        objection_contact="省民政厅 0731-00000000",
        user=manager,
    )
    objection_record(
        apps[1].award,
        received_on=datetime.date(2023, 6, 6),
        objector="张三",
        content="材料不实",
        user=manager,
    )
    client = client_for(roles.FUND_MANAGER, "manager4")
    url = reverse("funding_notice_close", args=[notice.pk])
    html = _text(client.get(url))
    assert "将正式立项 1 个，合计 100,000.00 元（10.00 万元）" in html
    assert "1 个因异议未处理而暂缓" in html
    notice.refresh_from_db()
    assert notice.closed_on is None

    post_confirmed(client, url)
    notice.refresh_from_db()
    assert notice.closed_on is not None
    assert Application.objects.get(pk=apps[0].pk).status == S.AWARDED
    assert Application.objects.get(pk=apps[1].pk).status == S.IN_PUBLIC_NOTICE


def test_publishing_a_notice_states_how_many_and_how_much(
    approved_application, client_for
):
    from funding.models.awards import PublicNotice

    first = approved_application(D("100000"))
    approved_application(D("56500"))
    manager = client_for(roles.FUND_MANAGER, "manager5")
    url = reverse("wagtailsnippets_funding_publicnotice:add")
    data = {
        "call": first.call.pk,
        "title": "2023年度福彩公益金资助项目立项公示",
        "starts_on": "2023-06-05",
        "working_days": "5",
        "objection_contact": "省民政厅 0731-00000000",
    }
    page = manager.post(url, data)
    html = _text(page)
    assert "将公示 2 个已批准的项目，合计 156,500.00 元（15.65 万元）" in html
    assert "公示期自 2023-06-05 至 2023-06-09（5 个工作日）" in html
    assert not PublicNotice.objects.exists()
    assert Application.objects.get(pk=first.pk).status == S.APPROVED

    token = confirmation_token(page)
    approved_application(D("10000"))  # a third is approved meanwhile
    stale = manager.post(url, {**data, "confirm_token": token})
    assert stale.status_code == 409
    assert "将公示 3 个已批准的项目，合计 166,500.00 元（16.65 万元）" in _text(stale)
    assert not PublicNotice.objects.exists()

    manager.post(url, {**data, "confirm_token": confirmation_token(stale)})
    assert PublicNotice.objects.count() == 1
    assert Application.objects.filter(status=S.IN_PUBLIC_NOTICE).count() == 3
