"""Importing government service purchases from Excel/CSV: the purchase columns,
then the importer.

A province's contracts with social organizations (政府购买服务) and their
performance-evaluation scores, recorded through `funding.services.purchases.
purchase_record`; every row validated, then all written at once.
"""

from django.utils.translation import gettext_lazy

from core.imports import BaseImporter, register
from core.spreadsheets import Column, choice_parser, parse_date
from funding.imports.cells import parse_amount, parse_score, text_limit
from funding.models import PerformanceEvaluation, ServicePurchase
from funding.models.purchases import ProcurementMethod, ServiceCategory
from funding.services.purchases import (
    PURCHASE_FIELDS,
    purchase_record,
    purchase_record_refusals,
    purchase_update,
    purchase_update_refusals,
)
from incubator.selectors.organizations import OrganizationsByCode

PURCHASE_COLUMNS = [
    Column(
        "purchasing_department",
        gettext_lazy("purchasing department"),
        required=True,
        parse=text_limit(ServicePurchase, "purchasing_department"),
        aliases=("购买部门", "购买主体"),
    ),
    Column(
        "service_category",
        gettext_lazy("service category"),
        required=True,
        parse=choice_parser(ServiceCategory.choices),
        export="get_service_category_display",
    ),
    Column(
        "procurement_method",
        gettext_lazy("procurement method"),
        required=True,
        parse=choice_parser(ProcurementMethod.choices),
        export="get_procurement_method_display",
    ),
    Column(
        "contract_amount",
        gettext_lazy("contract amount (yuan)"),
        required=True,
        parse=parse_amount,
        aliases=("合同金额",),
        wan_aliases=("合同金额（万元）",),
    ),
    Column(
        "supplier_uscc",
        gettext_lazy("supplier's unified social credit code"),
        required=True,
        aliases=("供应方信用代码", "承接方统一社会信用代码"),
        export="supplier_uscc",
    ),
    Column(
        "supplier", gettext_lazy("Supplier"), export="supplier_display", read_only=True
    ),
    Column(
        "starts_on",
        gettext_lazy("contract period from"),
        required=True,
        parse=parse_date,
        aliases=("合同开始日期", "服务期起"),
    ),
    Column(
        "ends_on",
        gettext_lazy("contract period to"),
        required=True,
        parse=parse_date,
        aliases=("合同结束日期", "服务期止"),
    ),
    Column(
        "score",
        gettext_lazy("performance evaluation score"),
        parse=parse_score,
        aliases=("绩效评价分数", "评价得分"),
        export="evaluation_score",
    ),
    Column(
        "title",
        gettext_lazy("service"),
        parse=text_limit(ServicePurchase, "title"),
        aliases=("服务项目名称", "项目名称"),
    ),
    Column(
        "contract_number",
        gettext_lazy("contract number"),
        parse=text_limit(ServicePurchase, "contract_number"),
    ),
    Column("signed_on", gettext_lazy("contract signed on"), parse=parse_date),
    Column(
        "evaluator",
        gettext_lazy("evaluator"),
        parse=text_limit(PerformanceEvaluation, "evaluator"),
        export="evaluation_evaluator",
    ),
    Column("grade", gettext_lazy("grade"), export="evaluation_grade", read_only=True),
    Column("region", gettext_lazy("Region"), read_only=True),
    Column(
        "supplier_kind",
        gettext_lazy("Supplier type"),
        export="get_supplier_kind_display",
        read_only=True,
    ),
    # Annotated by the listing's export.
    Column("paid", gettext_lazy("Paid (yuan)"), export="paid_sum", read_only=True),
]


@register
class PurchaseImporter(BaseImporter):
    """Service purchases, one per row, their supplier a registered organization
    found by its credit code. The natural key is (department, category, supplier
    code, period start). A row matching a stored purchase updates it after the
    preview's confirmation (`purchase_update`: contract, period end, the
    evaluation's score and evaluator); two rows with the same key are refused.
    Records are dicts of the parsed cells with the `supplier`; an empty title is
    "<department> · <category>" and an empty signing date the period's start, as
    `purchase_record` writes them."""

    kind = "purchases"
    label = gettext_lazy("Import service purchases")
    columns = PURCHASE_COLUMNS
    permissions_required = (
        "funding.add_servicepurchase",
        "funding.add_performanceevaluation",
    )
    model = ServicePurchase
    index_url_name = "wagtailsnippets_funding_servicepurchase:list"
    # The supplier first: a refused key is reported in its column.
    natural_key = (
        "supplier_uscc",
        "purchasing_department",
        "service_category",
        "starts_on",
    )
    exists_message = gettext_lazy(
        "This purchase (department, category, supplier, start of the period) is "
        "already recorded."
    )
    duplicate_message = gettext_lazy(
        "The same purchase (department, category, supplier, start of the period) "
        "is already in row %(row)s of this file."
    )

    def prepare(self):
        self.organizations = OrganizationsByCode()
        self.categories = dict(ServiceCategory.choices)

    def validate_row(self, row):
        values, error = row.values, row.error
        supplier = self.organizations.find(row, "supplier_uscc")
        for field, message in purchase_record_refusals(
            starts_on=values.get("starts_on"),
            ends_on=values.get("ends_on"),
            score=values.get("score"),
        ).items():
            error(field, message)
        department = values.get("purchasing_department")
        category = values.get("service_category")
        if "title" in self.present and not values.get("title") and department:
            if category:
                values["title"] = f"{department} · {self.categories[category]}"[:200]
        if "signed_on" in self.present and not values.get("signed_on"):
            values["signed_on"] = values.get("starts_on")
        return {**values, "supplier": supplier}

    def row_key(self, values):
        """(supplier's code in capitals, department, category value, start)."""
        key = super().row_key(values)
        if key is None:
            return None
        uscc, department, category, starts_on = key
        return ((uscc or "").strip().upper(), department, category, starts_on)

    def existing(self, keys):
        """The stored purchases of these keys (with their evaluation); one query."""
        stored = (
            ServicePurchase.objects.filter(
                supplier__uscc__in={key[0] for key in keys},
                purchasing_department__in={key[1] for key in keys},
            )
            .select_related("supplier", "evaluation")
            .order_by("pk")
        )
        found = {}
        for purchase in stored:
            key = (
                purchase.supplier.uscc,
                purchase.purchasing_department,
                purchase.service_category,
                purchase.starts_on,
            )
            if key in keys:
                found.setdefault(key, purchase)
        return found

    def changes(self, instance, record):
        """The core's comparison, less an empty evaluator cell: the stored
        evaluator stays (`_updates`)."""
        evaluator = str(self._labels()["evaluator"])
        return [
            change
            for change in super().changes(instance, record)
            if change.column != evaluator or record.get("evaluator")
        ]

    def update_refusals(self, instance, record, changes):
        """A matched purchase's changes checked against
        `purchase_update_refusals`."""
        return purchase_update_refusals(instance, self._updates(record))

    def _updates(self, record):
        """The record's values of the columns the file has, over
        `PURCHASE_FIELDS`, empty cells as None; an empty evaluator is left out
        (the stored one stays)."""
        updates = {
            field: record.get(field) or None
            for field in PURCHASE_FIELDS
            if field in self.present
        }
        if updates.get("evaluator") is None:
            updates.pop("evaluator", None)
        return updates

    def apply(self, instance, record):
        """Write the row's changes through `purchase_update`, the history naming
        the importing user."""
        purchase_update(
            instance,
            changes=self._updates(record),
            user=getattr(instance, "_history_user", None),
        )

    def write(self, records, user):
        """Record each purchase (and its evaluation); returns how many. Inside the
        caller's transaction."""
        for record in records:
            purchase_record(
                purchasing_department=record["purchasing_department"],
                service_category=record["service_category"],
                procurement_method=record["procurement_method"],
                contract_amount=record["contract_amount"],
                supplier=record["supplier"],
                starts_on=record["starts_on"],
                ends_on=record["ends_on"],
                title=record.get("title", ""),
                contract_number=record.get("contract_number", ""),
                signed_on=record.get("signed_on"),
                score=record.get("score"),
                evaluator=record.get("evaluator", ""),
                user=user,
            )
        return len(records)
