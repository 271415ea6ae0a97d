"""Importing government service purchases from Excel/CSV: the purchase columns,
then the importer.

A province's contracts with social organizations (政府购买服务) and their
performance-evaluation scores, recorded through `funding.services.purchases.
purchase_record`; every row validated, then all written at once.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import BaseImporter, register
from core.spreadsheets import Column, choice_parser, parse_date
from funding.imports.cells import parse_amount, parse_score, text_limit
from funding.models import PerformanceEvaluation, ServicePurchase
from funding.models.purchases import ProcurementMethod, ServiceCategory
from funding.services.purchases import purchase_record, purchase_record_refusals
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
        export="supplier.uscc",
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
        export="evaluation.score",
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
        export="evaluation.evaluator",
    ),
]


@register
class PurchaseImporter(BaseImporter):
    """Service purchases, one per row, their supplier a registered organization
    found by its credit code. The natural key is (department, category, supplier
    code, period start): a row whose key is already stored, or twice in the file,
    is refused (this importer creates only). Records are dicts of the parsed cells
    with the `supplier`."""

    kind = "purchases"
    label = gettext_lazy("Import service purchases")
    columns = PURCHASE_COLUMNS
    permissions_required = (
        "funding.add_servicepurchase",
        "funding.add_performanceevaluation",
    )
    model = ServicePurchase
    index_url_name = "wagtailsnippets_funding_servicepurchase:list"
    natural_key = (
        "purchasing_department",
        "service_category",
        "supplier_uscc",
        "starts_on",
    )

    def prepare(self):
        self.organizations = OrganizationsByCode()
        self.recorded = set(
            ServicePurchase.objects.filter(supplier__uscc__isnull=False).values_list(
                "purchasing_department",
                "service_category",
                "supplier__uscc",
                "starts_on",
            )
        )
        self.seen = {}

    def validate_row(self, row):
        values, error = row.values, row.error
        supplier = self.organizations.find(row, "supplier_uscc")
        for field, message in purchase_record_refusals(
            starts_on=values.get("starts_on"),
            ends_on=values.get("ends_on"),
            score=values.get("score"),
        ).items():
            error(field, message)
        if all(k in values for k in self.natural_key):
            key = tuple(values[k] for k in self.natural_key)
            if key in self.recorded:
                error(
                    "supplier_uscc",
                    _(
                        "This purchase (department, category, supplier, start of "
                        "the period) is already recorded."
                    ),
                )
            elif key in self.seen:
                error(
                    "supplier_uscc",
                    _(
                        "The same purchase (department, category, supplier, start "
                        "of the period) is already in row %(row)s of this file."
                    )
                    % {"row": self.seen[key]},
                )
            else:
                self.seen[key] = row.number
        return {**values, "supplier": supplier}

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
