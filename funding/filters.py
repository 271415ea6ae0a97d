"""The filters of the applications listing (by call and status)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from core.filters import ValuesModelChoiceFilter
from funding.choices import ApplicationStatus
from funding.models import Application, Call


class ApplicationFilterSet(WagtailFilterSet):
    call = ValuesModelChoiceFilter(
        label=_("call"),
        queryset=Call.objects.all(),
        label_fields=("name",),
        label_from_values=str,  # Call.__str__ is its name
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ApplicationStatus.choices
    )

    class Meta:
        model = Application
        fields = ["call", "status"]
