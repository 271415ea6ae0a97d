"""Reads of the dormant-organization clean-up (僵尸型社会组织).

Dormant: a registered organization that went two or more consecutive years without
inspection — in each of the latest closed annual-inspection campaigns, of
consecutive years, it did not submit (未参检 or no report). Only closed campaigns
count: an open one may still get the report. Source: 民政部《关于开展“僵尸型”社会
组织专项整治的通知》 (连续两年未参加年检).

Progress of a clean-up: found (列入清理的组织), done (整改完成, 注销 or 撤销登记:
`incubator.choices.DORMANT_DONE`) and in progress (the rest) — Anhui: 3,491 found,
2,627 done, 864 in progress.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from incubator.choices import (
    DORMANT_DONE,
    CampaignStatus,
    DormantStatus,
    InspectionResult,
    RegistrationStatus,
)
from incubator.models import DormantCase, Inspection, InspectionCampaign
from incubator.models.supervision import DORMANT_OPEN

#: Consecutive years without inspection from which an organization is dormant.
DORMANT_YEARS = 2


def missed_streaks(campaign_years, missed):
    """{organization id: [years]} of the consecutive years, ending with the latest
    closed campaign, in which each organization missed the inspection.

    `campaign_years`: the years of the closed campaigns; `missed`: a set of
    (organization id, year) pairs with no report. A gap in the campaigns' years
    (no campaign in a year) ends a streak."""
    years = sorted(campaign_years, reverse=True)
    streaks = {}
    for organization in {org for org, _year in missed}:
        streak = []
        for i, year in enumerate(years):
            if i and years[i - 1] != year + 1:
                break
            if (organization, year) not in missed:
                break
            streak.append(year)
        if streak:
            streaks[organization] = sorted(streak)
    return streaks


def dormant_organizations():
    """{organization id: [years without inspection]} of every registered
    organization that missed the latest `DORMANT_YEARS` or more consecutive closed
    campaigns."""
    years = list(
        InspectionCampaign.objects.filter(status=CampaignStatus.CLOSED).values_list(
            "year", flat=True
        )
    )
    if len(years) < DORMANT_YEARS:
        return {}
    missed = set(
        Inspection.objects.filter(
            campaign__status=CampaignStatus.CLOSED,
            organization__registration_status=RegistrationStatus.ACTIVE,
        )
        .filter(Q(submitted=False) | Q(result=InspectionResult.NOT_INSPECTED))
        .values_list("organization_id", "campaign__year")
    )
    return {
        organization: streak
        for organization, streak in missed_streaks(years, missed).items()
        if len(streak) >= DORMANT_YEARS
    }


def dormant_not_in_a_case():
    """Dormant organizations without an open case in any clean-up: {id: [years]}."""
    dormant = dormant_organizations()
    taken = set(
        DormantCase.objects.filter(
            organization_id__in=dormant, status__in=DORMANT_OPEN
        ).values_list("organization_id", flat=True)
    )
    return {org: years for org, years in dormant.items() if org not in taken}


@dataclass(frozen=True)
class Progress:
    """A clean-up's figures: cases found, done and in progress (whole numbers), and
    the cases per status ({DormantStatus value: count})."""

    found: int
    done: int
    in_progress: int
    by_status: dict

    @property
    def done_share(self):
        """Done ÷ found in % (one decimal), or None when nothing was found."""
        from incubator.selectors.inspections import inspection_rate

        return inspection_rate(self.done, self.found)


def progress_of(statuses):
    """`Progress` of a collection of case statuses (`DormantStatus` values)."""
    counts = Counter(statuses)
    found = sum(counts.values())
    done = sum(counts[s] for s in DORMANT_DONE)
    return Progress(
        found=found,
        done=done,
        in_progress=found - done,
        by_status={s.value: counts.get(s.value, 0) for s in DormantStatus},
    )


def campaign_progress(campaign):
    """`Progress` of one clean-up campaign, counted from its cases."""
    rows = campaign.cases.values("status").annotate(n=Count("pk"))
    counts = Counter({row["status"]: row["n"] for row in rows})
    return progress_of(counts.elements())


def cases_waiting():
    """Open cases (listed, interviewed, rectifying), the longest waiting first."""
    return (
        DormantCase.objects.filter(status__in=DORMANT_OPEN)
        .select_related("organization", "campaign")
        .order_by("changed_on", "pk")
    )


def cases_list_confirmation(campaign):
    """The summary before listing the dormant organizations in a clean-up
    (`core.confirmations.Confirmation`): who will be listed, with their years
    without inspection; refused when there is nobody to list."""
    from django.utils.translation import gettext as _

    from core.confirmations import Confirmation
    from incubator.models import Organization

    dormant = dormant_not_in_a_case()
    names = dict(Organization.objects.filter(pk__in=dormant).values_list("pk", "name"))
    rows = sorted(
        (names[pk], "、".join(str(y) for y in years)) for pk, years in dormant.items()
    )
    return Confirmation(
        action=_("List the dormant organizations"),
        subject=str(campaign),
        lines=[
            _(
                "%(count)s registered organizations missed the annual inspection "
                "two or more years running and are in no open case: each gets a "
                "case “Listed” in this clean-up."
            )
            % {"count": len(rows)}
        ],
        headings=(_("organization"), _("years without inspection")),
        rows=rows,
        facts=sorted(dormant),
        refusal=""
        if rows
        else _("No organization is dormant outside an open case: nothing to list."),
    )


def case_step_confirmation(case, to_status, on, note):
    """The summary before a move that ends an organization's registration (注销,
    撤销登记): it cannot be undone."""
    from django.utils.translation import gettext as _

    from core.confirmations import Confirmation

    label = DormantStatus(to_status).label
    return Confirmation(
        action=_("Record “%(step)s”") % {"step": label},
        subject=str(case.organization),
        lines=[
            _(
                "The case moves from “%(from)s” to “%(to)s” on %(date)s; it "
                "cannot move again."
            )
            % {
                "from": case.get_status_display(),
                "to": label,
                "date": on.isoformat(),
            },
            _(
                "%(organization)s's registration ends (its registration status "
                "becomes “%(to)s”). This cannot be undone."
            )
            % {"organization": case.organization, "to": label},
        ],
        facts={"case": case.pk, "status": case.status, "to": str(to_status)},
        serious=True,
    )
