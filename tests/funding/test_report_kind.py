"""A forged report kind on the award desk is refused in its field, nothing stored."""

import pytest
from django.urls import reverse

from funding.models import AwardReport

pytestmark = pytest.mark.django_db


def test_a_report_of_no_known_kind_is_refused_and_nothing_is_stored(
    client, manager, make_award
):
    award = make_award()
    client.force_login(manager)
    response = client.post(
        reverse("funding_award_desk", args=[award.pk]),
        {"action": "report", "kind": "不存在", "submitted_on": "2024-03-05"},
    )
    assert response.status_code == 200
    assert "请选择报告类型。" in response.content.decode()
    assert not AwardReport.objects.filter(award=award).exists()
