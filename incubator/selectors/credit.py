"""Reads of the credit publication (双公示): a day's decisions and its confirmation."""

from django.utils.translation import gettext as _

from incubator.models import CreditDecision


def day_decisions(day):
    """The credit decisions of `day` (a date), by organization name."""
    return (
        CreditDecision.objects.filter(decided_on=day)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )


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
