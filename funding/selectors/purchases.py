"""Roll-ups of government service purchases: per department, category, method or
year, and the share bought from social organizations. Computed at request time."""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from core.db import statistics_reads
from core.money import CENT
from funding.models.awards import DisbursementStatus
from funding.models.purchases import (
    ProcurementMethod,
    PurchasePayment,
    ServiceCategory,
    ServicePurchase,
    SupplierKind,
)

DIMENSIONS = OrderedDict(
    [
        ("department", _("Purchasing department")),
        ("category", _("Service category")),
        ("method", _("Procurement method")),
        ("year", _("Year")),
    ]
)
_FIELDS = {
    "department": "purchasing_department",
    "category": "service_category",
    "method": "procurement_method",
    "year": "year",
}
_LABELS = {
    "category": dict(ServiceCategory.choices),
    "method": dict(ProcurementMethod.choices),
}
ZERO = Decimal("0")


@dataclass
class Row:
    key: object
    label: str
    purchases: int = 0
    contract_total: Decimal = ZERO
    social_total: Decimal = ZERO
    paid_total: Decimal = ZERO
    suppliers: set = field(default_factory=set)

    @property
    def social_share(self):
        """Share (percent) of the contract money going to social organizations."""
        if not self.contract_total:
            return None
        return (self.social_total * 100 / self.contract_total).quantize(CENT)

    @property
    def social_suppliers(self):
        return len(self.suppliers)


def _base(queryset=None, year=None):
    queryset = queryset if queryset is not None else ServicePurchase.objects.all()
    queryset = queryset.annotate(year=ExtractYear("signed_on"))
    if year:
        queryset = queryset.filter(signed_on__year=year)
    return queryset


@statistics_reads()
def purchase_rollup(dimension, *, year=None, queryset=None):
    """Rows per dimension value plus a total row (the total counts each purchase
    once). Social share = contract money with social-organization suppliers ÷ all
    contract money."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    purchases = _base(queryset, year)
    paid = {
        row["purchase"]: row["total"]
        for row in PurchasePayment.objects.filter(
            purchase__in=purchases, status=DisbursementStatus.PAID
        )
        .values("purchase")
        .annotate(total=Sum("amount"))
    }
    rows = OrderedDict()
    total = Row(key=None, label=str(_("Total")))
    for p in purchases.values(
        "pk",
        "purchasing_department",
        "service_category",
        "procurement_method",
        "year",
        "contract_amount",
        "supplier_kind",
        "supplier_id",
    ):
        key = p[_FIELDS[dimension]]
        label = str(_LABELS.get(dimension, {}).get(key, key))
        for row in (rows.setdefault(key, Row(key=key, label=label)), total):
            row.purchases += 1
            row.contract_total += p["contract_amount"]
            row.paid_total += paid.get(p["pk"], ZERO)
            if p["supplier_kind"] == SupplierKind.SOCIAL_ORGANIZATION:
                row.social_total += p["contract_amount"]
                if p["supplier_id"]:
                    row.suppliers.add(p["supplier_id"])
    ordered = sorted(rows.values(), key=lambda r: (-r.contract_total, str(r.label)))
    return ordered, total


@statistics_reads()
def purchase_summary(queryset=None):
    """The headline: money, years covered and distinct social-organization
    suppliers (e.g. Suzhou: 2.2 billion yuan over ten years from 5,500+)."""
    purchases = _base(queryset)
    totals = purchases.aggregate(
        contract_total=Coalesce(
            Sum("contract_amount"), Value(ZERO, output_field=DecimalField())
        ),
        social_total=Coalesce(
            Sum("contract_amount", filter=_social()),
            Value(ZERO, output_field=DecimalField()),
        ),
        suppliers=Count("supplier", filter=_social(), distinct=True),
        purchases=Count("pk"),
    )
    years = sorted(set(purchases.values_list("year", flat=True)))
    totals["first_year"] = years[0] if years else None
    totals["last_year"] = years[-1] if years else None
    totals["years"] = (years[-1] - years[0] + 1) if years else 0
    totals["social_share"] = (
        (totals["social_total"] * 100 / totals["contract_total"]).quantize(CENT)
        if totals["contract_total"]
        else None
    )
    return totals


def _social():
    return Q(supplier_kind=SupplierKind.SOCIAL_ORGANIZATION)
