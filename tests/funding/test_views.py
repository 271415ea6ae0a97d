"""The admin screens, per role, through the URLs a user would type."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.documents.models import Document

from core import roles
from funding.choices import ApplicationStatus as S
from funding.choices import Recommendation, ReviewStatus
from funding.models import Attachment, Review
from funding.services.assignment import review_assign
from funding.services.reviews import review_submit
from tests.fixtures.funding import score_form
from tests.support.confirm import post_confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(make_organization):
    return make_organization(
        name="雨花区阳光社会工作服务中心",
        contact_name="李明",
        contact_phone="13800000000",
        contact_email="liming@example.org",
    )


@pytest.fixture
def review_setup(make_call, make_application, applicant, client_for):
    call = make_call(blind_review=True, identifying_fields=["title"])
    app = make_application(
        call=call,
        organization=applicant,
        title="雨花区阳光社工留守儿童项目",
        status=S.ELIGIBLE,
    )
    document = Document.objects.create(
        title="雨花区阳光社会工作服务中心 申报书",
        file=ContentFile(b"%PDF-1.4 demo", name="阳光社工申报书.pdf"),
    )
    Attachment.objects.create(application=app, title=document.title, document=document)
    expert = client_for(roles.REVIEWER, "expert")
    other = client_for(roles.REVIEWER, "other")
    review = review_assign(app, expert.user)
    other_review = review_assign(app, other.user)
    return call, app, expert, other, review, other_review


SECRETS = ["雨花区阳光社会工作服务中心", "李明", "13800000000", "阳光社工"]


def _xlsx_text(content):
    book = load_workbook(BytesIO(content))
    return " ".join(
        str(cell.value) for row in book.active.iter_rows() for cell in row if cell.value
    )


def test_blind_review_hides_identity_in_page_export_and_attachment_name(
    review_setup,
):
    call, app, expert, _other, review, _ = review_setup
    page = expert.get(reverse("funding_review_score", args=[review.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for secret in [*SECRETS, app.organization.uscc]:
        assert secret not in html
    assert f"申报项目 {app.pk:05d}" in html  # the number stands in for the name
    assert "为留守儿童提供课后陪伴" in html  # the summary is not marked identifying
    listing = expert.get(reverse("funding_my_reviews")).content.decode()
    assert not any(secret in listing for secret in SECRETS)
    export = expert.get(reverse("funding_my_reviews_export"))
    text = _xlsx_text(export.content)
    assert "申报项目" in text and not any(secret in text for secret in SECRETS)
    download = expert.get(reverse("funding_review_attachment", args=[review.pk, 1]))
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert "%E9%98%B3%E5%85%89" not in disposition  # 阳光, url-encoded
    assert "attachment" in disposition and ".pdf" in disposition
    assert b"".join(download.streaming_content) == b"%PDF-1.4 demo"


def test_open_review_shows_the_applicant(review_setup):
    call, app, expert, _other, review, _ = review_setup
    call.blind_review = False
    call.save()
    html = expert.get(
        reverse("funding_review_score", args=[review.pk])
    ).content.decode()
    assert "雨花区阳光社会工作服务中心" in html and "李明" in html


def test_a_reviewer_opens_only_their_own_reviews(review_setup):
    call, app, expert, other, review, other_review = review_setup
    assert (
        expert.get(reverse("funding_review_score", args=[other_review.pk])).status_code
        == 404
    )
    assert (
        expert.get(
            reverse("funding_review_attachment", args=[other_review.pk, 1])
        ).status_code
        == 404
    )
    listing = expert.get(reverse("funding_my_reviews")).content.decode()
    assert reverse("funding_review_score", args=[review.pk]) in listing
    assert reverse("funding_review_score", args=[other_review.pk]) not in listing
    # and none of the manager's screens or the application listing
    for url in [
        reverse("funding_call_desk", args=[call.pk]),
        reverse("funding_ranking_export", args=[call.pk]),
        reverse("funding_application_decide", args=[app.pk]),
        reverse("wagtailsnippets_funding_application:list"),
        reverse("wagtailsnippets_funding_application:edit", args=[app.pk]),
        reverse("wagtailsnippets_funding_call:list"),
    ]:
        response = expert.get(url)
        assert response.status_code in (302, 403), url
        assert "雨花区阳光社会工作服务中心" not in response.content.decode()


def test_a_reviewer_never_sees_other_scores_before_the_review_closes(
    review_setup, client_for
):
    call, app, expert, other, review, other_review = review_setup
    review_submit(
        review,
        user=expert.user,
        scores=score_form(call, [20, 30, 20]),
        recommendation=Recommendation.FUND,
    )
    review_submit(
        other_review,
        user=other.user,
        scores=score_form(call, [29, 39, 29]),
        recommendation=Recommendation.FUND,
        comment="非常出色的方案",
    )
    url = reverse("funding_review_score", args=[review.pk])
    assert "非常出色的方案" not in expert.get(url).content.decode()
    manager = client_for(roles.FUND_MANAGER, "manager")
    post_confirmed(
        manager, reverse("funding_call_desk", args=[call.pk]), {"action": "close"}
    )
    assert "非常出色的方案" in expert.get(url).content.decode()


def test_scoring_screen_errors_and_submit(review_setup):
    call, app, expert, _other, review, _ = review_setup
    criteria = list(call.criteria.all())
    url = reverse("funding_review_score", args=[review.pk])
    data = {f"score_{c.pk}": v for c, v in zip(criteria, ["35", "", "20"], strict=True)}
    data["action"] = "submit"
    response = expert.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "分数须在0到30.00之间。" in html and "请选择评审建议。" in html
    assert 'value="35"' in html  # what was typed is kept
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.ASSIGNED
    data.update({f"score_{criteria[0].pk}": "24", f"score_{criteria[1].pk}": "30"})
    data["recommendation"] = Recommendation.FUND
    response = post_confirmed(expert, url, data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    # 30·24/30 + 40·30/40 + 30·20/30 = 24 + 30 + 20 = 74.00
    assert review.total == Decimal("74.00")
    # locked: a second post changes nothing
    data[f"score_{criteria[0].pk}"] = "30"
    assert expert.post(url, data).status_code == 400
    review.refresh_from_db()
    assert review.total == Decimal("74.00")


def test_declaring_a_conflict_through_the_screen(review_setup, make_reviewer):
    call, app, expert, _other, review, _ = review_setup
    spare = make_reviewer("spare")
    response = expert.post(
        reverse("funding_review_score", args=[review.pk]),
        {"action": "conflict", "conflict_reason": "曾在该机构兼职"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.CONFLICT
    assert app.reviews.filter(reviewer=spare).exists()


def test_fund_manager_runs_the_call_desk(
    call, make_application, client_for, make_reviewer
):
    manager = client_for(roles.FUND_MANAGER, "manager")
    for _ in range(3):
        make_reviewer()
    app = make_application(status=S.SUBMITTED)
    bad = make_application(status=S.SUBMITTED, requested_amount=Decimal("999999"))
    desk = reverse("funding_call_desk", args=[call.pk])
    manager.post(desk, {"action": "check"})
    manager.post(desk, {"action": "assign"})
    app.refresh_from_db()
    bad.refresh_from_db()
    assert app.status == S.IN_REVIEW and app.reviews.count() == 3
    assert bad.status == S.INELIGIBLE
    html = manager.get(desk).content.decode()
    assert "超过单项上限" in html
    response = manager.get(reverse("funding_ranking_export", args=[call.pk]))
    assert response.status_code == 200
    headers = [
        c.value
        for c in next(load_workbook(BytesIO(response.content)).active.iter_rows())
    ]
    assert headers[:4] == ["排名", "申报单位", "统一社会信用代码", "项目名称"]


def test_other_roles_cannot_reach_the_funding_screens(call, client_for):
    for role in (roles.OPERATOR, roles.COORDINATOR, roles.EDITOR):
        client = client_for(role)
        for url in (
            reverse("funding_call_desk", args=[call.pk]),
            reverse("funding_my_reviews"),
            reverse("wagtailsnippets_funding_application:list"),
        ):
            assert client.get(url).status_code in (302, 403), (role, url)


def test_the_rubric_locks_after_the_first_submitted_review(review_setup, client_for):
    call, app, expert, _other, review, _ = review_setup
    review_submit(
        review,
        user=expert.user,
        scores=score_form(call, [24, 30, 27]),
        recommendation=Recommendation.FUND,
    )
    manager = client_for(roles.FUND_MANAGER, "manager")
    url = reverse("wagtailsnippets_funding_call:edit", args=[call.pk])
    page = manager.get(url)
    assert page.status_code == 200
    assert "评分标准已锁定：评审专家已开始按此标准评分" in page.content.decode()
    form = page.context["form"]
    data = _form_data(form)
    data["criteria-0-weight"] = "50"
    response = manager.post(url, data)
    assert "评分标准已锁定" in response.content.decode()
    assert call.criteria.first().weight == Decimal("30")


def _form_data(form):
    """The POST data a browser would send for a Wagtail admin form with formsets."""
    data = {}

    def put(key, value):
        if value is None or value is False:
            return
        data[key] = value

    for name in form.fields:
        put(name, form[name].value())
    for formset in form.formsets.values():
        management = formset.management_form
        for name in management.fields:
            put(f"{formset.prefix}-{name}", management[name].value())
        for index, sub in enumerate(formset.forms):
            for name in sub.fields:
                put(f"{formset.prefix}-{index}-{name}", sub[name].value())
            data[f"{formset.prefix}-{index}-ORDER"] = index + 1
    return data


def test_only_a_draft_application_can_be_edited(make_application, client_for):
    manager = client_for(roles.FUND_MANAGER, "manager")
    app = make_application(status=S.ELIGIBLE)
    url = reverse("wagtailsnippets_funding_application:edit", args=[app.pk])
    data = _form_data(manager.get(url).context["form"])
    data["requested_amount"] = "1"
    response = manager.post(url, data)
    assert "只有草稿可以修改" in response.content.decode()
    app.refresh_from_db()
    assert app.requested_amount == Decimal("100000")


def test_a_failed_application_is_returned_for_correction_with_a_reason(
    call, make_application, client_for
):
    manager = client_for(roles.FUND_MANAGER, "manager")
    app = make_application(status=S.INELIGIBLE)
    desk = reverse("funding_call_desk", args=[call.pk])
    manager.post(desk, {"action": "return", "application": app.pk, "note": ""})
    app.refresh_from_db()
    assert app.status == S.INELIGIBLE  # refused: a reason is required
    manager.post(
        desk, {"action": "return", "application": app.pk, "note": "预算明细需重新核对"}
    )
    app.refresh_from_db()
    assert app.status == S.DRAFT
    record = app.history.first()
    assert record.history_user == manager.user
    assert record.history_change_reason == "预算明细需重新核对"


def test_application_history_screen_shows_reviews_and_moves(review_setup, client_for):
    call, app, expert, _other, review, _ = review_setup
    review_submit(
        review,
        user=expert.user,
        scores=score_form(call, [24, 30, 27]),
        recommendation=Recommendation.FUND,
    )
    manager = client_for(roles.FUND_MANAGER, "manager")
    url = reverse("wagtailsnippets_funding_application:history", args=[app.pk])
    html = manager.get(url).content.decode()
    assert "81.00" in html and "形式审查通过 → 评审中" in html
    assert "expert" in html
    assert expert.get(url).status_code in (302, 403)


def test_site_history_shows_a_reviewer_no_review_entries(review_setup):
    call, app, expert, other, review, other_review = review_setup
    review_submit(
        other_review,
        user=other.user,
        scores=score_form(call, [24, 30, 27]),
        recommendation=Recommendation.FUND,
    )
    response = expert.get(reverse("wagtailadmin_reports:site_history"))
    html = response.content.decode() if response.status_code == 200 else ""
    assert "评审已提交" not in html and "雨花区阳光社工" not in html


def test_a_reviewer_cannot_post_to_another_reviewers_review(review_setup):
    call, app, expert, other, review, other_review = review_setup
    data = {f"score_{c.pk}": "1" for c in call.criteria.all()}
    data.update(action="submit", recommendation=Recommendation.REJECT)
    url = reverse("funding_review_score", args=[other_review.pk])
    assert expert.post(url, data).status_code == 404
    conflict = {"action": "conflict", "conflict_reason": "x"}
    assert expert.post(url, conflict).status_code == 404
    other_review.refresh_from_db()
    assert other_review.status == ReviewStatus.ASSIGNED


def test_manager_withdraws_an_unsubmitted_review_with_a_reason(
    review_setup, client_for
):
    call, app, expert, other, review, other_review = review_setup
    manager = client_for(roles.FUND_MANAGER, "manager")
    url = reverse("funding_application_assign", args=[app.pk])
    post_confirmed(
        manager, url, {"action": "withdraw", "review": review.pk, "reason": ""}
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED
    post_confirmed(
        manager,
        url,
        {"action": "withdraw", "review": review.pk, "reason": "专家无法联系"},
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.WITHDRAWN
    assert review.history.first().history_user == manager.user
    # the reviewer no longer has it
    assert (
        expert.get(reverse("funding_review_score", args=[review.pk])).status_code == 404
    )


def test_decision_screen_refuses_an_amount_over_the_request(
    make_application, client_for
):
    manager = client_for(roles.FUND_MANAGER, "manager")
    app = make_application(status=S.REVIEWED)
    url = reverse("funding_application_decide", args=[app.pk])
    response = manager.post(url, {"decision": "approve", "amount": "100001"})
    assert response.status_code == 400
    assert "批准金额不能超过申请金额。" in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.REVIEWED and app.approved_amount is None
    response = manager.post(
        url, {"decision": "approve", "amount": "90000", "note": "核减预算中的设备费"}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.status, app.approved_amount, app.decided_by) == (
        S.APPROVED,
        Decimal("90000"),
        manager.user,
    )
    assert app.decision_note == "核减预算中的设备费"


def test_rejection_needs_a_reason_on_the_decision_screen(make_application, client_for):
    manager = client_for(roles.FUND_MANAGER, "manager")
    app = make_application(status=S.REVIEWED)
    url = reverse("funding_application_decide", args=[app.pk])
    response = manager.post(url, {"decision": "reject", "note": ""})
    assert response.status_code == 400 and "请填写原因。" in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.REVIEWED


def test_manager_creates_a_call_with_widened_eligibility(fund, client_for):
    from funding.models import Call

    manager = client_for(roles.FUND_MANAGER, "manager")
    url = reverse("wagtailsnippets_funding_call:add")
    form = manager.get(url).context["form"]
    data = _form_data(form)
    data.update(
        {
            "fund": fund.pk,
            "name": "2023年度湖南省福彩公益金项目",
            "opens_on": "2023-03-01",
            "closes_on": "2023-04-15",
            "total_budget": "7500000",
            "max_per_award": "150000",
            "eligible_levels": ["province", "city", "county"],
            "eligible_types": ["social_group", "social_service"],
            "reviewers_per_application": "3",
            "blind_review": "on",
            "identifying_fields": ["title"],
            "spread_threshold": "20",
            "public_notice_days": "5",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-MIN_NUM_FORMS": "1",
            "criteria-MAX_NUM_FORMS": "1000",
            "criteria-0-name": "项目必要性",
            "criteria-0-weight": "30",
            "criteria-0-max_score": "30",
            "criteria-0-ORDER": "1",
        }
    )
    response = manager.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    call = Call.objects.get(name="2023年度湖南省福彩公益金项目")
    assert call.eligible_levels == ["province", "city", "county"]
    assert call.identifying_fields == ["title"]
    assert call.criteria.get().max_score == Decimal("30")


def test_call_closing_before_it_opens_is_refused(fund, client_for):
    from funding.models import Call

    manager = client_for(roles.FUND_MANAGER, "manager")
    url = reverse("wagtailsnippets_funding_call:add")
    data = _form_data(manager.get(url).context["form"])
    data.update(
        fund=fund.pk,
        name="错误批次",
        opens_on="2023-05-01",
        closes_on="2023-04-01",
        total_budget="100000",
        max_per_award="200000",
        eligible_levels=["county"],
        eligible_types=["social_service"],
        reviewers_per_application="3",
        spread_threshold="20",
        public_notice_days="5",
    )
    html = manager.post(url, data).content.decode()
    assert "截止日期不能早于开始日期。" in html
    assert "单项资助上限不能超过批次总预算。" in html
    assert not Call.objects.filter(name="错误批次").exists()


def test_a_conflicted_reviewer_never_sees_the_others_scores(
    review_setup, client_for, make_reviewer
):
    call, app, expert, other, review, other_review = review_setup
    make_reviewer("spare")
    expert.post(
        reverse("funding_review_score", args=[review.pk]),
        {"action": "conflict", "conflict_reason": "曾在该机构兼职"},
    )
    review_submit(
        other_review,
        user=other.user,
        scores=score_form(call, [29, 39, 29]),
        recommendation=Recommendation.FUND,
        comment="非常出色的方案",
    )
    manager = client_for(roles.FUND_MANAGER, "manager")
    post_confirmed(
        manager, reverse("funding_call_desk", args=[call.pk]), {"action": "close"}
    )
    page = expert.get(reverse("funding_review_score", args=[review.pk]))
    assert "非常出色的方案" not in page.content.decode()


def test_call_listing_links_to_the_desk(call, client_for):
    manager = client_for(roles.FUND_MANAGER, "manager")
    html = manager.get(reverse("wagtailsnippets_funding_call:list")).content.decode()
    assert reverse("funding_call_desk", args=[call.pk]) in html and "进入工作台" in html


def test_call_desk_pages_the_applications(call, make_application, client_for):
    """A call with thousands of applications: the ranking stays whole, the
    applications with their action forms come 50 to a page."""
    from funding.views.calls import APPLICATIONS_PER_PAGE

    for n in range(APPLICATIONS_PER_PAGE + 3):
        make_application(title=f"申请项目{n:03d}号")
    manager = client_for(roles.FUND_MANAGER, "manager")
    desk = reverse("funding_call_desk", args=[call.pk])

    first = manager.get(desk).content.decode()
    assert first.count("申请项目") == APPLICATIONS_PER_PAGE
    assert "申请项目000号" in first and "申请项目052号" not in first
    assert "第 1 / 2 页（共 53 份申请）" in first
    assert "?page=2#applications" in first

    second = manager.get(desk + "?page=2").content.decode()
    assert second.count("申请项目") == 3
    assert "申请项目052号" in second
    # A page past the end shows the last page, not an error.
    assert "申请项目052号" in manager.get(desk + "?page=99").content.decode()
