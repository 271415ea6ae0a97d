"""A rubric never changes under reviews in a way that makes the
screen, the total and the export of a review disagree.

The worked figures: criteria A (社会效益) and B (预算合理性), weight 50 and maximum
10 each; the reviewer's draft scores A = 10, B = 0 "偏弱"; the manager tries to
delete B; the reviewer submits A = 5.
"""

import importlib
from decimal import Decimal
from io import BytesIO

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from openpyxl import load_workbook

from core import roles
from funding.choices import ApplicationStatus as S
from funding.choices import Recommendation, ReviewStatus
from funding.models import Criterion, Review, Score
from funding.selectors.results import call_results
from funding.services.assignment import review_assign
from funding.services.reviews import review_save_draft, review_submit
from tests.funding.test_views import _form_data

pytestmark = pytest.mark.django_db

D = Decimal
LOCKED = "评分标准已锁定：评审专家已开始按此标准评分。评分项不能再增加、删除或修改"


@pytest.fixture
def setup(make_call, make_application, client_for):
    call = make_call(
        criteria=[("社会效益", 50, 10), ("预算合理性", 50, 10)],
        reviewers_per_application=1,
        blind_review=False,
    )
    app = make_application(call=call, title="社区养老互助项目", status=S.ELIGIBLE)
    expert = client_for(roles.REVIEWER, "expert")
    manager = client_for(roles.FUND_MANAGER, "manager")
    review = review_assign(app, expert.user)
    a, b = call.criteria.all()
    return call, app, expert, manager, review, a, b


def _draft(review, user, a, b, *, a_score="10", b_score="0"):
    return review_save_draft(
        review,
        user=user,
        scores={
            a.pk: {"score": a_score, "comment": "效益明显"},
            b.pk: {"score": b_score, "comment": "偏弱"},
        },
    )


def _sheet(content):
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _edit(manager, call, change):
    url = reverse("wagtailsnippets_funding_call:edit", args=[call.pk])
    data = _form_data(manager.get(url).context["form"])
    change(data)
    return manager.post(url, data)


def _delete_b(data):
    data["criteria-1-DELETE"] = "on"


def _weight_b(data):
    data["criteria-1-weight"] = "60"


def _max_b(data):
    data["criteria-1-max_score"] = "20"


def _add_c(data):
    data["criteria-TOTAL_FORMS"] = "3"
    data.update(
        {
            "criteria-2-name": "可持续性",
            "criteria-2-weight": "20",
            "criteria-2-max_score": "10",
            "criteria-2-ORDER": "3",
        }
    )


@pytest.mark.parametrize("change", [_delete_b, _weight_b, _max_b, _add_c])
def test_once_a_draft_is_saved_the_rubric_is_frozen(setup, change):
    call, _app, expert, manager, review, a, b = setup
    _draft(review, expert.user, a, b)
    response = _edit(manager, call, change)
    assert response.status_code == 200  # the form again, with the reason
    assert LOCKED in response.content.decode()
    assert [(c.name, c.weight, c.max_score) for c in call.criteria.all()] == [
        ("社会效益", D("50"), D("10")),
        ("预算合理性", D("50"), D("10")),
    ]
    assert [(s.criterion_name, s.score, s.comment) for s in review.scores.all()] == [
        ("社会效益", D("10"), "效益明显"),
        ("预算合理性", D("0"), "偏弱"),
    ]


def test_before_anyone_scores_the_rubric_can_still_change(setup):
    call, _app, _expert, manager, _review, _a, _b = setup
    desk = manager.get(reverse("funding_call_desk", args=[call.pk])).content.decode()
    assert "评分标准仍可修改：尚无评审专家开始评分" in desk
    response = _edit(manager, call, _weight_b)
    assert response.status_code == 302
    assert call.criteria.get(name="预算合理性").weight == D("60")


def test_screen_total_and_exports_agree_after_the_refused_deletion(setup):
    """Deletion refused: the reviewer submits A = 5, B = 0 → (50·5/10 + 50·0/10)
    / 100 × 100 = 25.00 on the screen, in the ranking and in both exports."""
    call, app, expert, manager, review, a, b = setup
    _draft(review, expert.user, a, b)
    _edit(manager, call, _delete_b)
    review_submit(
        review,
        user=expert.user,
        scores={
            a.pk: {"score": "5", "comment": "效益一般"},
            b.pk: {"score": "0", "comment": "偏弱"},
        },
        recommendation=Recommendation.REJECT,
    )
    review.refresh_from_db()
    assert review.total == D("25.00")
    page = expert.get(reverse("funding_review_score", args=[review.pk]))
    html = page.content.decode()
    assert 'id="review-total">25.00<' in html
    assert [(r["name"], r["score"]) for r in page.context["criteria_rows"]] == [
        ("社会效益", D("5")),
        ("预算合理性", D("0")),
    ]
    [result], _fallback = call_results(call)
    assert (result.mean, result.score) == (D("25"), D("25.00"))
    ranking = _sheet(
        manager.get(reverse("funding_ranking_export", args=[call.pk])).content
    )
    assert ranking[0]["平均分"] == 25.0
    mine = _sheet(expert.get(reverse("funding_my_reviews_export")).content)
    assert mine[0]["总分（百分制）"] == 25.0
    assert mine[0]["各评分项得分"] == "社会效益 5/10；预算合理性 0/10"


def test_a_criterion_gone_anyway_never_shows_nor_counts(setup):
    """B removed behind the form's back (the database, a shell) under the draft:
    the draft no longer shows B = 0 "偏弱"; submitting A = 5 gives 50·5/10 / 50
    × 100 = 50.00, and the locked screen, the ranking and the export read the same
    single criterion — B's leftover score is not kept on the review."""
    call, _app, expert, manager, review, a, b = setup
    _draft(review, expert.user, a, b)
    Criterion.objects.filter(pk=b.pk).delete()
    url = reverse("funding_review_score", args=[review.pk])
    draft_page = expert.get(url)
    assert "偏弱" not in draft_page.content.decode()
    assert [r["name"] for r in draft_page.context["criteria_rows"]] == ["社会效益"]
    review_submit(
        review,
        user=expert.user,
        scores={a.pk: {"score": "5", "comment": "效益一般"}},
        recommendation=Recommendation.REJECT,
    )
    review.refresh_from_db()
    assert review.total == D("50.00")
    assert [(s.criterion_name, s.score) for s in review.scores.all()] == [
        ("社会效益", D("5"))
    ]
    locked = expert.get(url)
    html = locked.content.decode()
    assert "偏弱" not in html and "预算合理性" not in html
    assert 'id="review-total">50.00<' in html
    [result], _fallback = call_results(call)
    assert result.score == D("50.00")
    mine = _sheet(expert.get(reverse("funding_my_reviews_export")).content)
    assert (mine[0]["各评分项得分"], mine[0]["总分（百分制）"]) == (
        "社会效益 5/10",
        50.0,
    )
    # the removed draft score is still in the history, with why it went
    gone = Score.history.filter(criterion_name="预算合理性", history_type="-").first()
    assert gone is not None and gone.history_user == expert.user


def test_reviews_stored_before_the_fix_are_repaired(setup):
    """Data left by the old code: a submitted review totalled 50.00 on A alone
    still holds B = 0 "偏弱" (criterion gone). The migration removes that row
    (recording the deletion in history), so its screen shows what its total
    counts. A review whose total does count all its rows is left alone."""
    call, app, expert, _manager, review, a, b = setup
    Review.objects.filter(pk=review.pk).update(
        status=ReviewStatus.SUBMITTED, total=D("50.00"), recommendation="reject"
    )
    Score.objects.create(
        review=review,
        criterion=a,
        criterion_name="社会效益",
        weight=50,
        max_score=10,
        score=5,
        comment="效益一般",
    )
    Score.objects.create(
        review=review,
        criterion=b,
        criterion_name="预算合理性",
        weight=50,
        max_score=10,
        score=0,
        comment="偏弱",
    )
    Criterion.objects.filter(pk=b.pk).delete()
    migration = importlib.import_module(
        "funding.migrations.0004_review_excluded_for_conflict"
    )
    migration.drop_draft_leftovers(django_apps, None)
    assert [s.criterion_name for s in review.scores.all()] == ["社会效益"]
    assert Score.history.filter(
        criterion_name="预算合理性",
        history_type="-",
        history_change_reason="draft score of a deleted criterion",
    ).exists()
    html = expert.get(
        reverse("funding_review_score", args=[review.pk])
    ).content.decode()
    assert "偏弱" not in html and 'id="review-total">50.00<' in html
