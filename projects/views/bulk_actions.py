"""Bulk approval of outcome reports: the listing's “approve” bulk action, with its
confirmation screen listing what will be approved and what is refused, and why."""

from django.contrib import messages
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from projects.models import OutcomeReport
from projects.permissions import reports_visible_to
from projects.selectors.reports import report_approval_refusal
from projects.services.reports import reports_approve


class ApproveReportsBulkAction(SnippetBulkAction):
    """Approve the selected outcome reports. Only reports in the user's pairings
    are taken (an id outside them is ignored; none at all answers 404); each is
    approved through `reports_approve` under the one-report rules
    (`report_approval_refusal`), and every refusal is shown with its reason, on the
    confirmation screen and again after approving."""

    display_name = pgettext_lazy("outcome report", "Approve")
    action_type = "approve"
    aria_label = _("Approve the selected outcome reports")
    template_name = "projects/bulk_approve.html"
    action_priority = 10
    models = [OutcomeReport]

    def get_all_objects_in_listing_query(self, parent_id):
        return reports_visible_to(self.request.user).values_list("pk", flat=True)

    @cached_property
    def selection(self):
        """(approvable reports, [(report, reason)]) of the selected ids."""
        ids = self.request.GET.getlist("id")
        if "all" in ids:
            ids = list(self.get_all_objects_in_listing_query(None))
        ids = [i for i in ids if str(i).isdigit()]
        reports = list(
            reports_visible_to(self.request.user)
            .filter(pk__in=ids)
            .select_related("project__pairing", "created_by")
            .order_by("project__title", "year", "number")
        )
        if not reports:
            raise Http404
        approvable, refused = [], []
        for report in reports:
            reason = report_approval_refusal(report, self.request.user)
            if reason:
                refused.append((report, reason))
            else:
                approvable.append(report)
        return approvable, refused

    def get_actionable_objects(self):
        approvable, refused = self.selection
        return approvable, {"items_with_no_access": [], "refused": refused}

    def get_execution_context(self):
        return {"self": self}

    @classmethod
    def execute_action(cls, objects, **kwargs):
        action = kwargs["self"]
        approved, refused = reports_approve(objects, user=action.request.user)
        action.refused_now = refused
        return len(approved), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        refused = self.selection[1] + getattr(self, "refused_now", [])
        if refused:
            messages.warning(
                self.request,
                _("Not approved: %(reports)s")
                % {
                    "reports": "；".join(
                        f"{report} —— {reason}" for report, reason in refused
                    )
                },
            )
        return ngettext(
            "%(count)d outcome report approved.",
            "%(count)d outcome reports approved.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
