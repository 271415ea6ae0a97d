"""Listing filters of the rural-revitalization admin: pairings, projects, outcome reports."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from core.models import Region
from projects.choices import PeriodType, ProjectCategory, ProjectStatus, ReportStatus
from projects.models import Alliance, OutcomeReport, Pairing, Project


def _counties(request):
    # Labels are full names (province + prefecture + county): parents at once.
    return (
        Region.objects.filter(level=Region.Level.COUNTY, pairings__isnull=False)
        .select_related("parent__parent")
        .distinct()
    )


class PairingFilterSet(WagtailFilterSet):
    county = django_filters.ModelChoiceFilter(label=_("county"), queryset=_counties)
    alliance = django_filters.ModelChoiceFilter(
        label=_("alliance"), queryset=Alliance.objects.all()
    )
    cross_province = django_filters.BooleanFilter(
        label=_("cross-province"), method="filter_cross_province"
    )
    key_county = django_filters.BooleanFilter(
        label=_("key county"), field_name="county__is_key_county"
    )

    class Meta:
        model = Pairing
        fields = ["county", "alliance", "cross_province", "key_county"]

    def filter_cross_province(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.cross_province(value)


class ProjectFilterSet(WagtailFilterSet):
    category = django_filters.ChoiceFilter(
        label=_("category"), choices=ProjectCategory.choices
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ProjectStatus.choices
    )
    county = django_filters.ModelChoiceFilter(
        label=_("county"), queryset=_counties, field_name="pairing__county"
    )

    class Meta:
        model = Project
        fields = ["category", "status", "county"]


class OutcomeReportFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ReportStatus.choices
    )
    period_type = django_filters.ChoiceFilter(
        label=_("period type"), choices=PeriodType.choices
    )
    year = django_filters.NumberFilter(label=_("year"))

    class Meta:
        model = OutcomeReport
        fields = ["status", "period_type", "year"]
