"""A conflict of interest recorded after the assignment takes
effect at once.

The worked figures: an application reviewed 80, 90 and — by the reviewer the
manager then records a conflict for — 100. Mean before: 90.00; after: 85.00.
Criteria of the default call: 项目必要性 (w 30, max 30), 实施方案 (w 40, max 40),
组织能力 (w 30, max 30); scores [24, 32, 24] → 80.00, [27, 36, 27] → 90.00,
[30, 40, 30] → 100.00.
"""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import roles
from funding.choices import ApplicationStatus as S
from funding.choices import Recommendation, ReviewStatus, ShortfallRule
from funding.errors import FundingError
from funding.models import DeclaredConflict, Review, ReviewerProfile
from funding.selectors.results import call_results
from funding.services.assignment import call_assign_reviewers, review_assign
from funding.services.funding_line import funding_line_apply, funding_line_draw
from funding.services.reviews import review_save_draft, review_submit
from tests.fixtures.funding import score_form

pytestmark = pytest.mark.django_db

D = Decimal
SCORES = {80: [24, 32, 24], 90: [27, 36, 27], 100: [30, 40, 30], 88: [27, 34, 27]}
EXCLUDED_MARK = "1 份评审因利益冲突已排除"


def _submit(review, total):
    return review_submit(
        review,
        user=review.reviewer,
        scores=score_form(review.application.call, SCORES[total]),
        recommendation=Recommendation.FUND,
    )


@pytest.fixture
def world(call, make_application, make_organization, make_reviewer, client_for):
    """X (雨花区阳光社工) reviewed 80, 90, 100 (the last by `conflicted`);
    Y reviewed 88.00 three times — Y ranks below X before the conflict and above it
    after."""
    manager = client_for(roles.FUND_MANAGER, "manager")
    conflicted = client_for(roles.REVIEWER, "conflicted")
    r1, r2 = make_reviewer("expert1"), make_reviewer("expert2")
    applicant = make_organization(name="雨花区阳光社会工作服务中心")
    x = make_application(
        organization=applicant, title="阳光社工留守儿童项目", status=S.ELIGIBLE
    )
    y = make_application(title="社区养老互助项目", status=S.ELIGIBLE)
    for reviewer, total in ((r1, 80), (r2, 90), (conflicted.user, 100)):
        _submit(review_assign(x, reviewer), total)
    for reviewer in (r1, r2, conflicted.user):
        _submit(review_assign(y, reviewer), 88)
    return manager, conflicted, applicant, x, y


def conflict_record(**kwargs):
    """The service, imported when called (the module then also runs on code
    without it, to show which behaviour is missing)."""
    from funding.services.assignment import conflict_record as record

    return record(**kwargs)


def _record_in_admin(manager, reviewer, organization, reason="配偶在该机构任职"):
    return manager.post(
        reverse("wagtailsnippets_funding_declaredconflict:add"),
        {"reviewer": reviewer.pk, "organization": organization.pk, "reason": reason},
        follow=True,
    )


def test_a_submitted_review_leaves_every_figure_and_the_desk_says_so(call, world):
    manager, conflicted, applicant, x, y = world
    [first, second], _ = call_results(call)
    assert (first.key, first.mean) == (x.pk, D("90"))
    response = _record_in_admin(manager, conflicted.user, applicant)
    assert "利益冲突已生效：1 份已提交的评审已排除出平均分、排名和资助线" in (
        response.content.decode()
    )
    review = Review.objects.get(application=x, reviewer=conflicted.user)
    # excluded, not deleted: the scores, the total and the reason are kept
    assert review.status == ReviewStatus.EXCLUDED
    assert review.total == D("100.00") and review.scores.count() == 3
    assert "配偶在该机构任职" in review.conflict_reason
    assert review.history.first().history_user == manager.user
    [first, second], _ = call_results(call)
    assert (first.key, first.score) == (y.pk, D("88.00"))
    assert (second.key, second.mean, second.trimmed_mean, second.score) == (
        x.pk,
        D("85"),
        D("85"),
        D("85.00"),
    )
    assert (second.review_count, second.spread, second.excluded) == (2, D("10"), 1)
    desk = manager.get(reverse("funding_call_desk", args=[call.pk])).content.decode()
    assert EXCLUDED_MARK in desk
    assert "因利益冲突排除" in desk
    sheet = load_workbook(
        BytesIO(manager.get(reverse("funding_ranking_export", args=[call.pk])).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    by_title = {row[header.index("项目名称")]: row for row in rows[1:]}
    assert by_title["阳光社工留守儿童项目"][header.index("平均分")] == 85.0
    assert by_title["阳光社工留守儿童项目"][header.index("排名")] == 2
    line = funding_line_draw(
        call, rule=ShortfallRule.SKIP, reason="按排名", user=manager.user
    )
    assert [(e.application_id, e.score) for e in line.entries.all()] == [
        (y.pk, D("88.00")),
        (x.pk, D("85.00")),
    ]


def test_the_excluded_reviewer_can_no_longer_open_it(world):
    manager, conflicted, applicant, x, _y = world
    review = Review.objects.get(application=x, reviewer=conflicted.user)
    url = reverse("funding_review_score", args=[review.pk])
    assert conflicted.get(url).status_code == 200
    conflict_record(
        reviewer=conflicted.user,
        organization=applicant,
        reason="配偶在该机构任职",
        user=manager.user,
    )
    assert conflicted.get(url).status_code == 404
    mine = conflicted.get(reverse("funding_my_reviews")).content.decode()
    assert "因利益冲突排除" in mine and url not in mine


def test_a_pending_review_is_withdrawn_and_reassigned(
    call, make_application, make_organization, make_reviewer, client_for
):
    manager = client_for(roles.FUND_MANAGER, "manager")
    conflicted = client_for(roles.REVIEWER, "conflicted")
    r1, r2 = make_reviewer("expert1"), make_reviewer("expert2")
    applicant = make_organization(name="雨花区阳光社会工作服务中心")
    app = make_application(organization=applicant, status=S.ELIGIBLE)
    mine = review_assign(app, conflicted.user)
    review_assign(app, r1)
    review_assign(app, r2)
    review_save_draft(mine, user=conflicted.user, scores=score_form(call, [30, 40, 30]))
    spare = make_reviewer("spare")
    _record_in_admin(manager, conflicted.user, applicant)
    mine.refresh_from_db()
    assert mine.status == ReviewStatus.CONFLICT
    assert mine.scores.count() == 0  # the draft's scores are gone (kept in history)
    replacement = Review.objects.get(application=app, reviewer=spare)
    assert replacement.status == ReviewStatus.ASSIGNED
    # a raw POST of the old form is refused, and so is the service
    url = reverse("funding_review_score", args=[mine.pk])
    data = {"action": "submit", "recommendation": "fund"}
    data.update({f"score_{c.pk}": "30" for c in call.criteria.all()})
    assert conflicted.post(url, data).status_code == 404
    with pytest.raises(FundingError):
        _submit(mine, 100)
    mine.refresh_from_db()
    assert (mine.status, mine.total) == (ReviewStatus.CONFLICT, None)
    desk = manager.get(reverse("funding_call_desk", args=[call.pk])).content.decode()
    assert "spare（已分配）" in desk


def test_with_nobody_to_take_over_the_desk_shows_the_gap(
    call, make_application, make_organization, make_reviewer, manager
):
    conflicted = make_reviewer("conflicted")
    applicant = make_organization()
    app = make_application(organization=applicant, status=S.ELIGIBLE)
    review = review_assign(app, conflicted)
    review_assign(app, make_reviewer("expert1"))
    review_assign(app, make_reviewer("expert2"))
    _record, outcome = conflict_record(
        reviewer=conflicted, organization=applicant, reason="亲属关系", user=manager
    )
    assert outcome.withdrawn == [(review, None)]
    from django.test import Client

    client = Client()
    client.force_login(manager)
    desk = client.get(reverse("funding_call_desk", args=[call.pk])).content.decode()
    assert "评审专家不足：已分配 2 / 3 人" in desk


def test_a_conflict_stored_without_the_service_is_still_refused(
    call, make_application, make_organization, make_reviewer, client_for
):
    """Even if the record was written some other way (a shell, an import), the
    reviewer can neither open nor submit: the check is in the reviewer's views
    and in the scoring service."""
    conflicted = client_for(roles.REVIEWER, "conflicted")
    applicant = make_organization()
    app = make_application(organization=applicant, status=S.ELIGIBLE)
    review = review_assign(app, conflicted.user)
    DeclaredConflict.objects.create(
        reviewer=conflicted.user, organization=applicant, reason="曾任该机构理事"
    )
    url = reverse("funding_review_score", args=[review.pk])
    assert conflicted.get(url).status_code == 404
    with pytest.raises(FundingError) as excinfo:
        _submit(review, 100)
    assert "您与该申报组织存在利益冲突" in excinfo.value.messages[0]


def test_a_line_drawn_before_the_exclusion_cannot_be_applied(call, world):
    manager, conflicted, applicant, x, y = world
    line = funding_line_draw(
        call, rule=ShortfallRule.SKIP, reason="按排名", user=manager.user
    )
    conflict_record(
        reviewer=conflicted.user,
        organization=applicant,
        reason="配偶在该机构任职",
        user=manager.user,
    )
    with pytest.raises(FundingError) as excinfo:
        funding_line_apply(line, user=manager.user)
    assert "请先重新划定资助线" in excinfo.value.messages[0]
    x.refresh_from_db()
    assert x.status == S.REVIEWED
    desk = manager.get(reverse("funding_call_desk", args=[call.pk])).content.decode()
    assert "资助线划定后有评审因利益冲突被排除" in desk


def test_a_reviewer_profile_that_now_ties_them_to_the_applicant_counts_too(call, world):
    """The same kind: the manager records on the reviewer's profile that they work
    for the applicant — a detected conflict, applied at once."""
    manager, conflicted, applicant, x, _y = world
    manager.post(
        reverse("wagtailsnippets_funding_reviewerprofile:add"),
        {"user": conflicted.user.pk, "organization": applicant.pk, "work_unit": ""},
    )
    assert ReviewerProfile.objects.filter(user=conflicted.user).exists()
    review = Review.objects.get(application=x, reviewer=conflicted.user)
    assert review.status == ReviewStatus.EXCLUDED
    assert review.conflict_reason == "评审专家在申报组织任职。"
    [first, second], _ = call_results(call)
    assert second.mean == D("85")


def test_a_conflict_recorded_before_assignment_is_respected(
    call, make_application, make_organization, make_reviewer, manager
):
    conflicted = make_reviewer("conflicted")
    others = [make_reviewer(f"expert{n}") for n in range(3)]
    applicant = make_organization()
    app = make_application(organization=applicant, status=S.ELIGIBLE)
    conflict_record(
        reviewer=conflicted, organization=applicant, reason="亲属关系", user=manager
    )
    call_assign_reviewers(call, user=manager)
    assert set(app.reviews.values_list("reviewer", flat=True)) == {o.pk for o in others}
    with pytest.raises(FundingError):
        review_assign(app, conflicted, user=manager)
