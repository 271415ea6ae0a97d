"""Concluding a graduation assessment and closing a residency ask first, with a
summary: the first POST writes nothing, the confirming one does it, a stale or
replayed confirmation does nothing."""

import pytest
from django.urls import reverse

from incubator.models import Residency, Stage
from incubator.services.assessments import assessment_create
from incubator.services.residencies import residency_admit, residency_advance
from tests.support.confirm import confirmation_token

STALE = "未执行：确认页显示之后情况已有变化"


@pytest.fixture
def assessing(two_bases, make_organization):
    residency = residency_admit(
        organization=make_organization(name="雨花区阳光社工服务中心"),
        base=two_bases.base_a,
        enter=True,
    )
    residency = residency_advance(residency, Stage.INCUBATING)
    residency = residency_advance(residency, Stage.ASSESSING)
    two_bases.residency = residency
    two_bases.assessment = assessment_create(
        residency=residency, assessors=[two_bases.operator_a]
    )
    return two_bases


def test_concluding_states_the_result_and_the_outcome(assessing):
    client = assessing.client_a
    url = reverse("incubator_assessment_score", args=[assessing.assessment.pk])
    criteria = list(assessing.base_a.criteria.all())
    data = {f"score_{c.pk}": "80" for c in criteria}
    data[f"score_{criteria[0].pk}"] = "90"

    # before every score is in, the page names what is missing and offers no button
    html = client.post(url, {"conclude": "1"}).content.decode()
    assert "尚有评估人未完成评分" in html
    assert 'data-testid="confirm-button"' not in html

    client.post(url, data)
    first = client.post(url, {"conclude": "1"})
    html = first.content.decode()
    # 20×.9 + 20×.8 + 20×.8 + 15×.8 + 10×.8 + 15×.8 = 82.00
    assert "评估结果：82.00 分" in html and "结论：通过。" in html
    assessing.assessment.refresh_from_db()
    assert assessing.assessment.concluded_at is None

    token = confirmation_token(first)
    data[f"score_{criteria[0].pk}"] = "100"  # a score changes meanwhile
    client.post(url, data)
    stale = client.post(url, {"conclude": "1", "confirm_token": token})
    assert stale.status_code == 409 and STALE in stale.content.decode()
    assert "评估结果：84.00 分" in stale.content.decode()
    assessing.assessment.refresh_from_db()
    assert assessing.assessment.concluded_at is None

    token = confirmation_token(stale)
    client.post(url, {"conclude": "1", "confirm_token": token})
    assessing.assessment.refresh_from_db()
    concluded_at = assessing.assessment.concluded_at
    assert str(assessing.assessment.result) == "84.00" and concluded_at

    replay = client.post(url, {"conclude": "1", "confirm_token": token})
    assert replay.status_code == 409
    assessing.assessment.refresh_from_db()
    assert assessing.assessment.concluded_at == concluded_at


def test_withdrawing_a_residency_asks_first(assessing):
    client = assessing.client_a
    residency = assessing.residency
    url = reverse("incubator_residency_move", args=[residency.pk])
    data = {"to_stage": Stage.WITHDRAWN, "reason": "机构主动退出", "note": ""}
    first = client.post(url, data)
    html = first.content.decode()
    assert "雨花区阳光社工服务中心 将于" in html and "转为“已退出”" in html
    assert "原因：机构主动退出" in html
    assert Residency.objects.get(pk=residency.pk).stage == Stage.ASSESSING

    client.post(url, {**data, "confirm_token": confirmation_token(first)})
    assert Residency.objects.get(pk=residency.pk).stage == Stage.WITHDRAWN
