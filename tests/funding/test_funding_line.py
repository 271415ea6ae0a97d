"""The funding line: results, reduce or skip, its reason, the budget, ranking."""

from decimal import Decimal

import pytest

from funding.choices import ApplicationStatus as S
from funding.choices import LineOutcome, ReviewStatus, ShortfallRule
from funding.errors import FundingError
from funding.models import Application, Review
from funding.selectors.results import call_results
from funding.services.funding_line import (
    application_approve,
    funding_line_apply,
    funding_line_draw,
)

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def reviewed(make_call, make_application, make_reviewer):
    """A 300,000-yuan call with four reviewed applications.

    A asks 120,000 with five reviews 90 70 85 60 80 → mean 77.00, trimmed
      (70+80+85)/3 = 78.33;
    B asks 100,000 with totals 75 75 75 → 75.00;
    C asks  90,000 with totals 90 70 50 → 70.00, spread 40 ≥ 20 flagged;
    D asks  50,000 with totals 60 65 70 → 65.00.
    """
    call = make_call(total_budget=D("300000"), max_per_award=D("150000"))
    experts = [make_reviewer() for _ in range(5)]
    plan = {
        "A": (D("120000"), [90, 70, 85, 60, 80]),
        "B": (D("100000"), [75, 75, 75]),
        "C": (D("90000"), [90, 70, 50]),
        "D": (D("50000"), [60, 65, 70]),
    }
    apps = {}
    for name, (requested, totals) in plan.items():
        app = make_application(
            call=call, title=name, requested_amount=requested, status=S.REVIEWED
        )
        for expert, total in zip(experts, totals, strict=False):
            Review.objects.create(
                application=app,
                reviewer=expert,
                status=ReviewStatus.SUBMITTED,
                total=D(total),
            )
        apps[name] = app
    # a conflicted review with no scores drops out of every average
    Review.objects.create(
        application=apps["B"], reviewer=experts[4], status=ReviewStatus.CONFLICT
    )
    return call, apps


def test_results_per_application(reviewed):
    call, apps = reviewed
    results, _fallback = call_results(call)
    by_title = {r.application.title: r for r in results}
    a = by_title["A"]
    assert (a.review_count, round(a.mean, 2), round(a.trimmed_mean, 2)) == (
        5,
        D("77.00"),
        D("78.33"),
    )
    assert a.score == D("78.33")  # ≥ 5 reviews: ranked by the trimmed mean
    assert by_title["B"].review_count == 3 and by_title["B"].score == D("75.00")
    assert by_title["C"].spread == D("40") and by_title["C"].spread_flag
    assert not by_title["D"].spread_flag  # 70 − 60 = 10 < 20
    assert [r.application.title for r in results] == ["A", "B", "C", "D"]


def test_draw_line_reduce_then_apply(reviewed, make_user):
    call, apps = reviewed
    manager = make_user("manager")
    line = funding_line_draw(
        call,
        rule=ShortfallRule.REDUCE,
        reason="资金有限，按剩余额度缩减资助第三名",
        user=manager,
    )
    # 300,000: A 120,000 → 180,000 left; B 100,000 → 80,000 left;
    # C asks 90,000 → offered 80,000; D below the line.
    entries = [
        (e.application.title, e.outcome, e.proposed_amount) for e in line.entries.all()
    ]
    assert entries == [
        ("A", LineOutcome.FUNDED, D("120000")),
        ("B", LineOutcome.FUNDED, D("100000")),
        ("C", LineOutcome.REDUCED, D("80000")),
        ("D", LineOutcome.BELOW_LINE, D("0")),
    ]
    assert line.total_awarded == D("300000")
    assert line.reason.startswith("资金有限")
    funding_line_apply(line, user=manager)
    approved = dict(
        Application.objects.filter(call=call).values_list("title", "approved_amount")
    )
    assert approved == {"A": D("120000"), "B": D("100000"), "C": D("80000"), "D": None}
    assert Application.objects.get(pk=apps["D"].pk).status == S.REJECTED


def test_draw_line_skip(reviewed, make_user):
    call, _apps = reviewed
    line = funding_line_draw(
        call, rule=ShortfallRule.SKIP, reason="不缩减，资助下一个", user=make_user("m")
    )
    # C (90,000) does not fit in 80,000 → skipped; D (50,000) fits: 270,000 spent
    outcomes = [e.outcome for e in line.entries.all()]
    assert outcomes == [
        LineOutcome.FUNDED,
        LineOutcome.FUNDED,
        LineOutcome.SKIPPED,
        LineOutcome.FUNDED,
    ]
    assert line.total_awarded == D("270000")


def test_drawing_the_line_needs_a_reason(reviewed, make_user):
    call, _apps = reviewed
    with pytest.raises(FundingError):
        funding_line_draw(call, rule=ShortfallRule.SKIP, reason=" ", user=None)
    assert not call.funding_lines.exists()


def test_approval_never_exceeds_the_budget_left(reviewed, make_user):
    call, apps = reviewed
    manager = make_user("manager")
    application_approve(apps["A"], amount=D("120000"), user=manager)
    application_approve(apps["B"], amount=D("100000"), user=manager)
    with pytest.raises(FundingError) as excinfo:
        application_approve(apps["C"], amount=D("90000"), user=manager)
    assert "80,000.00" in excinfo.value.messages[0]
    assert Application.objects.get(pk=apps["C"].pk).status == S.REVIEWED
    with pytest.raises(FundingError):
        application_approve(apps["D"], amount=D("60000"), user=manager)  # > request


def test_normalised_ranking_when_the_call_asks_for_it(
    make_call, make_application, make_reviewer
):
    """Harsh H and lenient L each review three applications; X is reviewed only
    by the harsh one, Y only by the lenient one.

    H: P 60, Q 70, X 80 (μ 70, σ 8.165); L: P 80, Q 90, Y 85 (μ 85, σ 4.082).
    Raw means: P 70, Q 80, X 80, Y 85 — Y first only because its reviewer is lenient.
    All six totals: 60 70 80 80 90 85 → μ 77.5,
    σ = √((306.25+56.25+6.25+6.25+156.25+56.25)/6) = √97.917 = 9.895.
    H: X z = (80−70)/8.165 = 1.2247 → 77.5 + 1.2247·9.895 = 89.62;
    L: Y z = (85−85)/4.082 = 0 → 77.5.
    Q: H z 0 → 77.5; L z (90−85)/4.082 = 1.2247 → 89.62; mean 83.56.
    P: H z −1.2247 → 65.38; L z −1.2247 → 65.38.
    Normalised ranking: X 89.62, Q 83.56, Y 77.50, P 65.38.
    """
    call = make_call(normalise_scores=True)
    harsh, lenient = make_reviewer(), make_reviewer()
    plan = {
        "P": [(harsh, 60), (lenient, 80)],
        "Q": [(harsh, 70), (lenient, 90)],
        "X": [(harsh, 80)],
        "Y": [(lenient, 85)],
    }
    for title, reviews in plan.items():
        app = make_application(call=call, title=title, status=S.REVIEWED)
        for expert, total in reviews:
            Review.objects.create(
                application=app,
                reviewer=expert,
                status=ReviewStatus.SUBMITTED,
                total=D(total),
            )
    results, fallback = call_results(call)
    assert fallback == set()
    assert [(r.application.title, r.score) for r in results] == [
        ("X", D("89.62")),
        ("Q", D("83.56")),
        ("Y", D("77.50")),
        ("P", D("65.38")),
    ]


def test_ranked_list_export_has_chinese_headers_and_the_numbers(reviewed, make_user):
    from io import BytesIO

    from openpyxl import load_workbook

    from funding.views.exports import ranking_workbook

    call, apps = reviewed
    funding_line_draw(
        call, rule=ShortfallRule.REDUCE, reason="缩减资助第三名", user=make_user("m")
    )
    rows = list(load_workbook(BytesIO(ranking_workbook(call))).active.values)
    header = dict(zip(rows[0], rows[1], strict=True))
    assert header["排名"] == 1 and header["项目名称"] == "A"
    assert header["平均分"] == 77.0 and header["去极值平均分"] == 78.33
    assert header["拟资助金额（元）"] == 120000
    third = dict(zip(rows[0], rows[3], strict=True))
    assert third["项目名称"] == "C" and third["专家意见分歧"] == "是"
    assert third["资助线"] == "核减资助" and third["拟资助金额（元）"] == 80000
