"""Admin screens of rural revitalization: the snippet viewsets (one module per
aggregate), the report review, file downloads and the roll-ups, and the menu group
of the viewsets (registered by `projects.wagtail_hooks`)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from projects.views.indicators import IndicatorViewSet
from projects.views.pairings import AllianceViewSet, PairingViewSet, VillageViewSet
from projects.views.projects import ProjectViewSet
from projects.views.reports import OutcomeReportViewSet


class RevitalizationGroup(SnippetViewSetGroup):
    items = (
        PairingViewSet,
        AllianceViewSet,
        VillageViewSet,
        ProjectViewSet,
        OutcomeReportViewSet,
        IndicatorViewSet,
    )
    menu_icon = "site"
    menu_label = _("Rural revitalization")
    menu_order = 400
