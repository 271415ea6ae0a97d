"""The registry summary panel of the admin dashboard."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from incubator.selectors.registry import registry_summary


class RegistrySummaryPanel(Component):
    """Dashboard panel: the registry in the figures the provincial reports quote."""

    name = "registry_summary"
    order = 50
    template_name = "incubator/panels/registry_summary.html"
    heading = _("Social organizations at a glance")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["summary"] = registry_summary()
        context["heading"] = self.heading
        return context
