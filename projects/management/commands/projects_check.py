"""Report stored data that breaks rules added after it was written:
outcome reports of one project whose periods overlap and funding links
to another organization's award or purchase. Changes nothing; exits 1
when anything is found, so it can run in a deployment check."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.choices import FundingKind
from projects.funding_sources import funding_link_is_eligible
from projects.models import FundingLink, OutcomeReport


def stored_overlaps():
    """Pairs (earlier report, later report) of one project whose months overlap."""
    pairs = []
    reports = OutcomeReport.objects.select_related("project").order_by(
        "project_id", "start_date", "pk"
    )
    by_project = {}
    for report in reports:
        by_project.setdefault(report.project_id, []).append(report)
    for items in by_project.values():
        for i, first in enumerate(items):
            for second in items[i + 1 :]:
                if second.start_date > first.end_date:
                    break
                pairs.append((first, second))
    return pairs


def stored_ineligible_links():
    """Funding links to an award or purchase the project's organization may not use."""
    links = FundingLink.objects.exclude(kind=FundingKind.SELF_RAISED).select_related(
        "project__pairing"
    )
    return [link for link in links if not funding_link_is_eligible(link)]


class Command(BaseCommand):
    help = "List overlapping outcome reports and funding links to other organizations."

    def handle(self, *args, **options):
        overlaps = stored_overlaps()
        for first, second in overlaps:
            self.stdout.write(
                _("Overlapping reports: %(project)s — %(first)s and %(second)s")
                % {
                    "project": first.project,
                    "first": f"{first.period_label}（{first.get_status_display()}）",
                    "second": f"{second.period_label}（{second.get_status_display()}）",
                }
            )
        links = stored_ineligible_links()
        for link in links:
            self.stdout.write(
                _(
                    "Funding link to another organization's record: %(project)s — %(link)s"
                )
                % {"project": link.project, "link": link}
            )
        if overlaps or links:
            raise CommandError(
                _(
                    "%(overlaps)s overlapping report pairs, %(links)s funding links to fix."
                )
                % {"overlaps": len(overlaps), "links": len(links)}
            )
        self.stdout.write(_("No overlapping reports and no funding links to fix."))
