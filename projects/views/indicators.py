"""Admin listing of the indicator catalogue."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList

from core.viewsets import HistorySnippetViewSet
from projects.forms import IndicatorForm
from projects.models import Indicator


class IndicatorViewSet(HistorySnippetViewSet):
    model = Indicator
    icon = "order"
    menu_label = _("Indicator catalogue")
    list_display = ["name", "code", "unit", "aggregation", "evidence_kind", "is_active"]
    list_filter = ["aggregation", "is_active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in (
                "code",
                "name",
                "unit",
                "aggregation",
                "group",
                "in_group_total",
                "evidence_kind",
                "evidence_note",
                "description",
                "sort_order",
                "is_active",
            )
        ],
        base_form_class=IndicatorForm,
    )
