"""注销 / 撤销登记 of a dormant-organization case are confirmed on a summary page
first; the decision document uploaded with the step is held back (not a document,
not in the internal collection) until the step is confirmed. Going back from the
summary leaves no file and no document; a held-back file whose page was left open
is removed after a day; confirming stores it as the step's document."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model

from core.staging import STAGE_DIR, staged_discard, staged_purge
from core.storage import private_storage
from incubator.models import DormantCase
from incubator.services.dormant import dormant_campaign_open
from tests.support.confirm import confirmation_token

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _staged():
    storage = private_storage()
    return set(storage.listdir(STAGE_DIR)[1]) if storage.exists(STAGE_DIR) else set()


@pytest.fixture
def case_page(make_organization, make_user, client):
    user = make_user("registrar", "registrar")
    today = timezone.localdate()
    campaign = dormant_campaign_open(title="专项清理", user=user)
    case = DormantCase.objects.create(
        campaign=campaign,
        organization=make_organization(),
        missed_years="2022、2023",
        found_on=today,
        changed_on=today,
    )
    client.force_login(user)
    return case, client, reverse("incubator_dormant_step", args=[case.pk])


def _deregister(client, url):
    return client.post(
        url,
        {
            "to_status": "deregistered",
            "note": "连续两年未参加年检，经约谈同意注销",
            "file": SimpleUploadedFile("注销决定.pdf", PDF, "application/pdf"),
        },
    )


def _hidden(response, name):
    import re

    found = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    return found.group(1)


def test_going_back_from_the_summary_keeps_no_file_and_no_document(case_page):
    case, client, url = case_page
    before = _staged()
    summary = _deregister(client, url)
    assert summary.status_code == 200 and confirmation_token(summary)
    assert get_document_model().objects.count() == 0
    assert len(_staged() - before) == 1  # held back, not a document
    back = client.post(
        url,
        {
            "to_status": "deregistered",
            "note": "连续两年未参加年检，经约谈同意注销",
            "staged": _hidden(summary, "staged"),
            "abandon": "1",
        },
    )
    assert back.status_code == 302
    assert _staged() == before
    assert get_document_model().objects.count() == 0
    case.refresh_from_db()
    assert case.status == "found" and not case.steps.exists()


def test_a_summary_left_open_loses_its_file_after_a_day(case_page):
    _case, client, url = case_page
    before = _staged()
    _deregister(client, url)
    assert len(_staged() - before) == 1
    assert staged_purge() == 0  # not yet
    assert staged_purge(timezone.now() + datetime.timedelta(days=1, minutes=1)) >= 1
    assert _staged() - before == set()
    assert get_document_model().objects.count() == 0


def test_confirming_stores_the_document_with_the_step(case_page):
    case, client, url = case_page
    before = _staged()
    summary = _deregister(client, url)
    done = client.post(
        url,
        {
            "to_status": "deregistered",
            "on": timezone.localdate().isoformat(),
            "note": "连续两年未参加年检，经约谈同意注销",
            "staged": _hidden(summary, "staged"),
            "confirm_token": confirmation_token(summary),
        },
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == "deregistered"
    step = case.steps.get()
    assert step.document.title.endswith("注销决定.pdf")
    assert step.document.file.read() == PDF
    assert get_document_model().objects.count() == 1
    assert _staged() == before


def test_a_forged_stage_token_stores_nothing(case_page):
    case, client, url = case_page
    summary = _deregister(client, url)
    client.post(
        url,
        {
            "to_status": "deregistered",
            "on": timezone.localdate().isoformat(),
            "note": "连续两年未参加年检，经约谈同意注销",
            "staged": "staged/../../secret",
            "confirm_token": confirmation_token(summary),
        },
    )
    case.refresh_from_db()
    assert case.status == "deregistered"  # the step, without a document
    assert case.steps.get().document is None
    staged_discard(_hidden(summary, "staged"), user=case.steps.get().actor)
