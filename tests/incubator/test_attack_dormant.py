"""Attacks on the dormant-organization case page: a refused step must not leave
its uploaded document behind (a replayed refused POST would pile up files in the
internal collection)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model

from incubator.models import DormantCase
from incubator.services.dormant import dormant_campaign_open

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_refused_step_keeps_no_document(make_organization, make_user, client):
    user = make_user("registrar", "registrar")
    organization = make_organization()
    today = timezone.localdate()
    campaign = dormant_campaign_open(title="专项清理", user=user)
    case = DormantCase.objects.create(
        campaign=campaign,
        organization=organization,
        missed_years="2022、2023",
        found_on=today,
        changed_on=today,
    )
    client.force_login(user)
    url = reverse("incubator_dormant_step", args=[case.pk])
    for _replay in range(2):
        response = client.post(
            url,
            {
                "to_status": "interviewed",
                "on": (today - datetime.timedelta(days=1)).isoformat(),
                "note": "约谈负责人",
                "file": SimpleUploadedFile("约谈记录.pdf", PDF, "application/pdf"),
            },
        )
        assert response.status_code == 200
        assert "不能早于" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "found"
    assert get_document_model().objects.count() == 0
