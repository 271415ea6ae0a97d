"""The supervision demo: three campaigns with a mix of results, a clean-up with a
case in every state, and nothing new when it runs twice."""

import io

import pytest

from incubator.choices import DormantStatus, InspectionResult
from incubator.demo import organizations, supervision
from incubator.models import DormantCase, Inspection, InspectionCampaign

pytestmark = pytest.mark.django_db


def test_demo_is_shaped_like_the_reports_and_idempotent():
    out = io.StringIO()
    organizations.seed(out)
    supervision.seed(out)
    counts = (
        InspectionCampaign.objects.count(),
        Inspection.objects.count(),
        DormantCase.objects.count(),
    )
    assert counts[0] == 3
    [open_campaign] = InspectionCampaign.objects.filter(status="open")
    results = set(open_campaign.inspections.values_list("result", flat=True))
    assert {
        InspectionResult.PASSED,
        InspectionResult.BASICALLY_PASSED,
        InspectionResult.FAILED,
        "",
    } <= results
    assert open_campaign.inspections.filter(submitted=False).exists()
    assert set(DormantCase.objects.values_list("status", flat=True)) == {
        s.value for s in DormantStatus
    }
    supervision.seed(out)
    assert (
        InspectionCampaign.objects.count(),
        Inspection.objects.count(),
        DormantCase.objects.count(),
    ) == counts
