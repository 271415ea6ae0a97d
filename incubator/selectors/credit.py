"""Reads of the credit publication (双公示): a day's decisions and its confirmation."""

from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from incubator.models import CreditDecision, CreditPublicationExport


def day_decisions(day):
    """The credit decisions on the file of `day` (a date), by organization name:
    those decided that day, and the late ones (补报) carried by it; a decision
    recorded after its day's file was exported is on a later file
    (`CreditDecision.listed_on`)."""
    return (
        CreditDecision.objects.annotate(file_day=Coalesce("listed_on", "decided_on"))
        .filter(file_day=day)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )


def day_exported(day):
    """Whether the file of `day` was exported (downloaded, written or published)."""
    return CreditPublicationExport.objects.filter(day=day).exists()


def day_exports(day):
    """The exports of the file of `day`, newest first."""
    return CreditPublicationExport.objects.filter(day=day).select_related("exported_by")


def publication_confirmation(day):
    """The confirmation of publishing the decisions of `day`: each one waiting,
    and that publication cannot be undone. Refused when none waits."""
    from core.confirmations import Confirmation

    waiting = [d for d in day_decisions(day) if d.published_at is None]
    return Confirmation(
        action=_("Publish"),
        subject=_("Credit decisions of %(day)s") % {"day": day.isoformat()},
        lines=[
            _(
                "%(count)s decisions will be marked published for the provincial "
                "credit platform; a published decision can no longer be changed."
            )
            % {"count": len(waiting)}
        ],
        headings=(_("name"), _("decision type"), _("reason")),
        rows=[
            (d.organization.name, d.get_decision_type_display(), d.reason)
            for d in waiting
        ],
        facts={"day": day.isoformat(), "ids": [d.pk for d in waiting]},
        refusal="" if waiting else _("No decision of this day waits to be published."),
    )
