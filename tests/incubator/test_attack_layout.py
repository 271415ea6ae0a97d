"""Attack on the incubation screens after the reorganisation, opened with
another base's ids and replayed, as the first base's operator (the world of the
permission matrix: two bases, each with its operator)."""

import pytest
from django.urls import reverse

from core import roles
from core.models import ImportJob
from incubator.models import Assessment, Residency, ServiceActivity, Stage
from tests.support.attack_world import (  # noqa: F401 - fixtures
    _attack_world_once,
    as_user,
    attack_world_fixture,
)
from tests.support.spreadsheets import upload

pytestmark = pytest.mark.django_db

OP = roles.OPERATOR


def test_stage_move_of_another_base_is_404_and_moves_nothing(attack_world):
    w = attack_world
    client = as_user(w, OP)
    url = reverse("incubator_residency_move", args=[w.residency_b.pk])
    before = w.residency_b.transitions.count()
    for _attempt in range(2):
        response = client.post(url, {"to_stage": "incubating", "note": "攻击"})
        assert response.status_code == 404
    w.residency_b.refresh_from_db()
    assert w.residency_b.stage == Stage.ENTERED
    assert w.residency_b.transitions.count() == before


def test_a_replayed_stage_move_moves_once(attack_world):
    w = attack_world
    client = as_user(w, OP)
    url = reverse("incubator_residency_move", args=[w.residency_a.pk])
    before = w.residency_a.transitions.count()
    first = client.post(url, {"to_stage": "incubating", "note": "一"})
    second = client.post(url, {"to_stage": "incubating", "note": "一"})
    assert first.status_code == 302
    assert second.status_code == 200  # the form shows why it is refused
    w.residency_a.refresh_from_db()
    assert w.residency_a.stage == Stage.INCUBATING
    assert w.residency_a.transitions.count() == before + 1


def test_snippet_screens_of_another_base_are_404(attack_world):
    w = attack_world
    client = as_user(w, OP)
    objects = {
        "incubationbase": w.base_b,
        "residency": w.residency_b,
        "serviceactivity": w.activity_b,
        "assessment": w.assessment_b,
    }
    for model, obj in objects.items():
        for view in ["edit", "delete", "usage", "history", "history_results"]:
            url = reverse(f"wagtailsnippets_incubator_{model}:{view}", args=[obj.pk])
            assert client.get(url).status_code == 404, (model, view)


def test_posted_edit_of_another_base_changes_nothing(attack_world):
    w = attack_world
    url = reverse(
        "wagtailsnippets_incubator_serviceactivity:edit", args=[w.activity_b.pk]
    )
    response = as_user(w, OP).post(url, {"topic": "攻击", "base": w.base_a.pk})
    assert response.status_code == 404
    assert ServiceActivity.objects.get(pk=w.activity_b.pk).topic == w.activity_b.topic


def test_choosers_do_not_hand_over_another_base(attack_world):
    w = attack_world
    client = as_user(w, OP)
    for model, obj in [("residency", w.residency_b), ("incubationbase", w.base_b)]:
        chosen = client.get(
            reverse(f"wagtailsnippetchoosers_incubator_{model}:chosen", args=[obj.pk])
        )
        assert chosen.status_code == 404, model
        listing = client.get(
            reverse(f"wagtailsnippetchoosers_incubator_{model}:choose")
        )
        assert str(w.base_b.name) not in listing.content.decode(), model


def test_scores_and_conclusion_of_another_base_are_404(attack_world):
    w = attack_world
    client = as_user(w, OP)
    url = reverse("incubator_assessment_score", args=[w.assessment_b.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"conclude": "1"}).status_code == 404
    assessment = Assessment.objects.get(pk=w.assessment_b.pk)
    assert assessment.result is None
    assert not assessment.scores.exists()


def test_listing_export_filtered_on_another_base_shows_nothing_of_it(attack_world):
    w = attack_world
    response = as_user(w, OP).get(
        reverse("wagtailsnippets_incubator_residency:list"),
        {"base": w.base_b.pk, "export": "csv"},
    )
    assert response.status_code in (200, 302)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert w.residency_b.organization.name not in body.decode("utf-8-sig", "replace")


WRONG_FILES = [
    ("residents.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    ("residents.csv", b"MZ\x90\x00\x03" + b"\x00" * 64),
    ("residents.xlsx", b"PK\x03\x04not really a workbook" + b"\x00" * 64),
]


def test_a_file_of_the_wrong_type_with_the_right_name_writes_nothing(attack_world):
    w = attack_world
    client = as_user(w, OP)
    before = (Residency.objects.count(), w.organization.__class__.objects.count())
    for kind in ["incubator_residency_import", "incubator_organization_import"]:
        for name, data in WRONG_FILES:
            response = client.post(reverse(kind), {"file": upload(name, data)})
            assert response.status_code in (200, 302), (kind, name)
    jobs = ImportJob.objects.filter(created_by=w.users[OP])
    assert all(job.status == ImportJob.Status.FAILED for job in jobs)
    after = (Residency.objects.count(), w.organization.__class__.objects.count())
    assert after == before
