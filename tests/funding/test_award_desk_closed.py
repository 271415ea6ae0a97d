"""A terminated or completed award's desk offers no form its services would refuse
(a walk found 登记拨付 on a completed, fully paid award)."""

import pytest
from django.urls import reverse

from funding.services.awards import award_terminate

pytestmark = pytest.mark.django_db


def _desk(client, manager, award):
    client.force_login(manager)
    response = client.get(reverse("funding_award_desk", args=[award.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_running_award_offers_its_forms(client, manager, make_award):
    html = _desk(client, manager, make_award())
    for form in ("disburse-form", "report-form", "terminate-form"):
        assert f'data-testid="{form}"' in html
    assert 'data-testid="award-closed"' not in html


def test_a_terminated_award_offers_none_and_says_why(client, manager, make_award):
    award = make_award()
    award_terminate(award, user=manager, reason="机构注销，项目无法继续")
    html = _desk(client, manager, award)
    for form in ("disburse-form", "report-form", "terminate-form"):
        assert f'data-testid="{form}"' not in html
    assert "本项目已终止：此处不再登记拨付、项目报告，也不再结项或终止。" in html
