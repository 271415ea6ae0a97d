"""Listing filters of the registry and incubation viewsets."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from core.filters import ValuesModelChoiceFilter
from core.models import Region
from incubator.choices import (
    CreditStatus,
    OrganizationType,
    Rating,
    RegistrationLevel,
)
from incubator.models import (
    ActivityKind,
    BaseLevel,
    IncubationBase,
    Organization,
    Residency,
    ServiceActivity,
    ServiceField,
    Stage,
)
from incubator.permissions import bases_visible_to


def _region_choices(request):
    return Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.CITY])


def region_label(name, parent_name, grandparent_name):
    """A region's full name from the values of its name and its ancestors'
    (None above the top), as `Region.full_name` writes it."""
    return Region.join_names((grandparent_name, parent_name, name))


class OrganizationFilterSet(WagtailFilterSet):
    org_type = django_filters.ChoiceFilter(
        label=_("type"), choices=OrganizationType.choices
    )
    registration_level = django_filters.ChoiceFilter(
        label=_("registration level"), choices=RegistrationLevel.choices
    )
    region = ValuesModelChoiceFilter(
        label=_("region"),
        queryset=_region_choices,
        label_fields=("name", "parent__name", "parent__parent__name"),
        label_from_values=region_label,
        method="filter_region",
        help_text=_("A province or prefecture: includes everything under it."),
    )
    rating = django_filters.ChoiceFilter(label=_("rating"), choices=Rating.choices)
    credit_status = django_filters.ChoiceFilter(
        label=_("credit status"), choices=CreditStatus.choices, method="filter_credit"
    )
    service_fields = ValuesModelChoiceFilter(
        label=_("service field"),
        queryset=ServiceField.objects.all(),
        label_fields=("name",),
        label_from_values=str,  # ServiceField.__str__ is its name
    )

    class Meta:
        model = Organization
        fields = [
            "org_type",
            "registration_level",
            "region",
            "rating",
            "credit_status",
            "service_fields",
        ]

    def filter_region(self, queryset, name, value):
        if value.level == Region.Level.PROVINCE:
            prefix = value.code[:2]
        elif value.level == Region.Level.CITY:
            prefix = value.code[:4]
        else:
            prefix = value.code
        return queryset.filter(region__code__startswith=prefix)

    def filter_credit(self, queryset, name, value):
        return queryset.credit_status(value)


# --- incubation ----------------------------------------------------------------


def _visible_bases(request):
    if request is None:
        return IncubationBase.objects.none()
    return bases_visible_to(request.user)


class ResidencyFilterSet(WagtailFilterSet):
    stage = django_filters.ChoiceFilter(label=_("stage"), choices=Stage.choices)
    base = django_filters.ModelChoiceFilter(
        label=_("incubation base"), queryset=_visible_bases
    )
    base__level = django_filters.ChoiceFilter(
        label=_("base level"), choices=BaseLevel.choices
    )

    class Meta:
        model = Residency
        fields = ["stage", "base", "base__level"]


class ActivityFilterSet(WagtailFilterSet):
    base = django_filters.ModelChoiceFilter(
        label=_("incubation base"), queryset=_visible_bases
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ActivityKind.choices)
    year = django_filters.NumberFilter(
        label=_("year"), field_name="held_on", lookup_expr="year"
    )

    class Meta:
        model = ServiceActivity
        fields = ["base", "kind", "year"]


class BaseFilterSet(WagtailFilterSet):
    level = django_filters.ChoiceFilter(label=_("level"), choices=BaseLevel.choices)

    class Meta:
        model = IncubationBase
        fields = ["level"]
