"""The supervision pages of the public site, as the 公示公告 index lists them: each
year's annual-inspection results (`published_results`, page
/supervision/inspections/<year>/) and each drawn spot check's list of who was
checked (`public_checks`, page /supervision/spot-checks/<id>/). Without this list
a visitor had no link leading to either page."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from incubator.choices import SpotCheckCampaignStatus
from incubator.models import InspectionCampaign, SpotCheckCampaign


def public_supervision_pages():
    """[(title, url, date)] newest first, exactly the pages those views publish:
    ("2025年度社会组织年检结果公告", "/supervision/inspections/2025/", date the
    campaign closed, or the day it opened while it runs) for every campaign, and
    (campaign name, "/supervision/spot-checks/<id>/", day of the draw, Asia/Shanghai)
    for every drawn spot-check campaign."""
    pages = [
        (
            _("%(year)s annual inspection results") % {"year": campaign.year},
            reverse("incubator_public_inspections", args=[campaign.year]),
            campaign.closed_on or campaign.opened_on,
        )
        for campaign in InspectionCampaign.objects.order_by("-year")
    ]
    pages += [
        (
            campaign.name,
            reverse("incubator_public_spotchecks", args=[campaign.pk]),
            timezone.localdate(campaign.drawn_at) if campaign.drawn_at else None,
        )
        for campaign in SpotCheckCampaign.objects.filter(
            status=SpotCheckCampaignStatus.DRAWN
        ).order_by("-drawn_at", "-pk")
    ]
    return sorted(pages, key=lambda page: page[2] or timezone.localdate(), reverse=True)
