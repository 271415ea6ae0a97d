"""Reviewer assignment: balanced load, conflicts of interest refused or reassigned."""

from collections import Counter

import pytest

from funding.choices import ApplicationStatus as S
from funding.choices import ReviewStatus
from funding.errors import FundingError
from funding.models import DeclaredConflict, Review, ReviewerProfile
from funding.services.assignment import (
    call_assign_reviewers,
    conflict_reason,
    conflict_reasons,
    review_assign,
    review_declare_conflict,
)

pytestmark = pytest.mark.django_db


def test_automatic_assignment_balances_the_load(call, make_application, make_reviewer):
    experts = [make_reviewer() for _ in range(4)]
    apps = [make_application(status=S.ELIGIBLE) for _ in range(4)]
    made = call_assign_reviewers(call)
    # 4 applications × 3 reviewers = 12 reviews over 4 experts: 3 each
    assert len(made) == 12
    assert Counter(r.reviewer_id for r in made) == {e.pk: 3 for e in experts}
    for app in apps:
        app.refresh_from_db()
        assert app.status == S.IN_REVIEW
        assert app.reviews.count() == 3


def test_automatic_assignment_never_picks_a_conflicted_reviewer(
    call, make_application, make_reviewer, make_organization
):
    applicant = make_organization(business_supervisor="长沙市民政局")
    sister = make_organization(business_supervisor="长沙市民政局")
    works_there = make_reviewer()
    ReviewerProfile.objects.create(user=works_there, organization=applicant)
    same_supervisor = make_reviewer()
    ReviewerProfile.objects.create(user=same_supervisor, organization=sister)
    supervisor_staff = make_reviewer()
    ReviewerProfile.objects.create(user=supervisor_staff, work_unit="长沙市民政局")
    declared = make_reviewer()
    DeclaredConflict.objects.create(
        reviewer=declared, organization=applicant, reason="曾任该机构理事"
    )
    free = [make_reviewer() for _ in range(3)]
    app = make_application(organization=applicant, status=S.ELIGIBLE)
    call_assign_reviewers(call)
    assert set(app.reviews.values_list("reviewer_id", flat=True)) == {
        e.pk for e in free
    }
    assert "曾任该机构理事" in conflict_reason(declared, app)
    assert conflict_reason(works_there, app) == "评审专家在申报组织任职。"


def test_a_pool_s_conflicts_read_at_once_are_each_reviewer_s_conflict(
    call, make_application, make_reviewer, make_organization
):
    applicant = make_organization(business_supervisor="长沙市民政局")
    sister = make_organization(business_supervisor="长沙市民政局")
    works_there = make_reviewer()
    ReviewerProfile.objects.create(user=works_there, organization=applicant)
    same_supervisor = make_reviewer()
    ReviewerProfile.objects.create(user=same_supervisor, organization=sister)
    supervisor_staff = make_reviewer()
    ReviewerProfile.objects.create(user=supervisor_staff, work_unit="长沙市民政局")
    declared = make_reviewer()
    DeclaredConflict.objects.create(
        reviewer=declared, organization=applicant, reason="曾任该机构理事"
    )
    stepped_aside = make_reviewer()
    free = make_reviewer()
    ReviewerProfile.objects.create(user=free, work_unit="湖南师范大学")
    no_profile = make_reviewer()
    app = make_application(organization=applicant, status=S.ELIGIBLE)
    Review.objects.create(
        application=app,
        reviewer=stepped_aside,
        status=ReviewStatus.CONFLICT,
        conflict_reason="与申报机构负责人系亲属",
    )
    pool = [
        works_there,
        same_supervisor,
        supervisor_staff,
        declared,
        stepped_aside,
        free,
        no_profile,
    ]
    expected = {
        works_there.pk: "评审专家在申报组织任职。",
        same_supervisor.pk: (
            "评审专家任职的组织与申报组织的业务主管单位相同（长沙市民政局）。"
        ),
        supervisor_staff.pk: "评审专家的工作单位是申报组织的业务主管单位。",
        declared.pk: "已申请回避：曾任该机构理事",
        stepped_aside.pk: "已申请回避：与申报机构负责人系亲属",
        free.pk: "",
        no_profile.pk: "",
    }
    assert conflict_reasons(pool, app) == expected
    assert {r.pk: conflict_reason(r, app) for r in pool} == expected


def test_not_enough_reviewers_assigns_nothing(call, make_application, make_reviewer):
    make_reviewer()
    make_reviewer()
    app = make_application(status=S.ELIGIBLE)
    with pytest.raises(FundingError):
        call_assign_reviewers(call)
    assert not Review.objects.exists()
    app.refresh_from_db()
    assert app.status == S.ELIGIBLE


def test_assigning_by_hand_refuses_a_conflict_with_the_reason(
    make_application, make_reviewer, make_organization
):
    applicant = make_organization()
    expert = make_reviewer()
    ReviewerProfile.objects.create(user=expert, organization=applicant)
    app = make_application(organization=applicant, status=S.ELIGIBLE)
    with pytest.raises(FundingError) as excinfo:
        review_assign(app, expert)
    assert "评审专家在申报组织任职" in excinfo.value.messages[0]
    other = make_reviewer()
    review_assign(app, other)
    with pytest.raises(FundingError):
        review_assign(app, other)  # twice
    assert app.reviews.count() == 1


def test_assignment_needs_a_passed_eligibility_check(make_application, make_reviewer):
    app = make_application(status=S.SUBMITTED)
    with pytest.raises(FundingError):
        review_assign(app, make_reviewer())


def test_declaring_a_conflict_reassigns_the_application(
    call, make_application, make_reviewer
):
    experts = [make_reviewer() for _ in range(4)]
    app = make_application(status=S.ELIGIBLE)
    call_assign_reviewers(call)
    review = app.reviews.get(reviewer=experts[0])
    _review, replacement = review_declare_conflict(
        review, "与申报机构负责人系亲属", user=experts[0]
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.CONFLICT
    assert review.conflict_reason == "与申报机构负责人系亲属"
    assert replacement.reviewer == experts[3]
    active = app.reviews.exclude(status=ReviewStatus.CONFLICT)
    assert set(active.values_list("reviewer_id", flat=True)) == {
        e.pk for e in experts[1:]
    }
    # the conflicted reviewer is never picked again for this application
    assert conflict_reason(experts[0], app)


def test_only_the_assigned_reviewer_declares_a_conflict(
    make_application, make_reviewer
):
    app = make_application(status=S.ELIGIBLE)
    expert, intruder = make_reviewer(), make_reviewer()
    review = review_assign(app, expert)
    with pytest.raises(FundingError):
        review_declare_conflict(review, "x", user=intruder)
    with pytest.raises(FundingError):
        review_declare_conflict(review, "  ", user=expert)
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED
