"""Funding's metric for the targets board (`incubator.selectors.metrics`): the
share of new government service purchases bought from social organizations.

Registered from `funding/apps.py`, so the incubator never imports funding."""

from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from incubator.selectors.metric_registry import (
    Metric,
    metric_register,
    region_prefix,
)


def purchases_from_social_organizations(*, on, region):
    """(yuan bought from social organizations, yuan bought in all): contract
    amounts of the government service purchases signed from 1 January of `on`'s
    year to `on`, within the region (a purchase's region; purchases without one
    count only without a region). Source: 内蒙古 to 2025, ≥ 30% of new purchases
    of public services from social organizations."""
    from funding.models.purchases import ServicePurchase, SupplierKind

    purchases = ServicePurchase.objects.filter(
        signed_on__gte=date(on.year, 1, 1), signed_on__lte=on
    )
    prefix = region_prefix(region)
    if prefix:
        purchases = purchases.filter(region__code__startswith=prefix)
    total = purchases.aggregate(s=Sum("contract_amount"))["s"] or 0
    social = (
        purchases.filter(supplier_kind=SupplierKind.SOCIAL_ORGANIZATION).aggregate(
            s=Sum("contract_amount")
        )["s"]
        or 0
    )
    return social, total


def register_metrics():
    """Put funding's metric in the targets' registry (called once by ready())."""
    metric_register(
        Metric(
            key="purchases_social",
            label=_("Share of new service purchases from social organizations"),
            definition=_(
                "Contract amounts (yuan) of the government service purchases signed "
                "this year from social organizations, of all signed this year."
            ),
            count=purchases_from_social_organizations,
            unit=_("yuan"),
            money=True,
        )
    )
