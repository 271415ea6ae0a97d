"""Attack on the funding screens after the reorganisation — another
reviewer's review, the two steps of a payment, replayed payments and assignments
(the permission matrix's world)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core import roles
from funding.models import Review
from funding.models.awards import Disbursement, DisbursementStatus
from tests.support.attack_world import (  # noqa: F401 - fixtures
    _attack_world_once,
    as_user,
    attack_world_fixture,
)
from tests.support.confirm import confirmation_token, post_confirmed
from tests.support.payments import pay_form_data

pytestmark = pytest.mark.django_db


def test_another_reviewers_review_is_404_and_unchanged(attack_world):
    w = attack_world
    client = as_user(w, roles.REVIEWER)
    score = reverse("funding_review_score", args=[w.review_b.pk])
    before = Review.objects.filter(pk=w.review_b.pk).values().get()
    assert client.get(score).status_code == 404
    for action in ["submit", "draft", "conflict"]:
        response = client.post(
            score, {"action": action, "recommendation": "fund", "conflict_reason": "x"}
        )
        assert response.status_code == 404, action
    attachment = reverse("funding_review_attachment", args=[w.review_b.pk, 1])
    assert client.get(attachment).status_code == 404
    assert Review.objects.filter(pk=w.review_b.pk).values().get() == before


def test_payment_steps_are_separated_and_a_replayed_payment_pays_once(attack_world):
    w = attack_world
    d = w.disbursement
    manager = as_user(w, roles.FUND_MANAGER)
    finance = as_user(w, roles.FINANCE)
    url = lambda step: reverse(  # noqa: E731
        "funding_disbursement_action", kwargs={"pk": d.pk, "step": step}
    )
    finance.post(url("approve"), {})
    assert (
        Disbursement.objects.get(pk=d.pk).status == d.status
    )  # finance may not approve
    post_confirmed(manager, url("approve"), {})
    post_confirmed(manager, url("approve"), {})
    approved = Disbursement.objects.get(pk=d.pk)
    manager.post(url("pay"), {"paid_on": "2023-07-01"})
    assert Disbursement.objects.get(pk=d.pk).status == approved.status  # nor FM pay
    # the confirming POST replayed, token and all
    desk = reverse("funding_finance_batch", args=["pay"])
    data = pay_form_data([f"award-{d.pk}"], ["2026-0009"])
    token = confirmation_token(finance.post(desk, data))
    for _attempt in range(2):
        finance.post(desk, {**data, "confirm_token": token})
    paid = Disbursement.objects.get(pk=d.pk)
    assert paid.status == DisbursementStatus.PAID
    from wagtail.models import ModelLogEntry

    pays = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Disbursement),
        object_id=str(d.pk),
        action__contains="pa",
    )
    assert pays.count() <= 1, list(pays.values_list("action", flat=True))


def test_a_replayed_assignment_assigns_once(attack_world):
    w = attack_world
    manager = as_user(w, roles.FUND_MANAGER)
    url = reverse("funding_application_assign", args=[w.application_own.pk])
    reviewer = w.reviewer_b
    for _attempt in range(2):
        manager.post(url, {"reviewer": reviewer.pk})
    assert (
        Review.objects.filter(application=w.application_own, reviewer=reviewer)
        .exclude(status="withdrawn")
        .count()
        <= 1
    )
