"""The filters of the applications listing (by call and status)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from funding.choices import ApplicationStatus
from funding.models import Application, Call


class ApplicationFilterSet(WagtailFilterSet):
    call = django_filters.ModelChoiceFilter(
        label=_("call"), queryset=Call.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ApplicationStatus.choices
    )

    class Meta:
        model = Application
        fields = ["call", "status"]
