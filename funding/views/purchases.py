"""The purchase screens: the approval steps of a purchase payment and the purchase
figures (roll-ups, with their Excel export)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import FilterForm
from core.numbers import year_param
from funding.models.purchases import PurchasePayment
from funding.permissions import APPROVE_PURCHASE, PAY_PURCHASE, VIEW_PURCHASES
from funding.selectors.purchases import DIMENSIONS, purchase_rollup, purchase_summary
from funding.services import purchases as purchase_services
from funding.views.awards import PaymentActionView
from funding.views.base import XLSX, PermissionView
from funding.views.exports import rollup_workbook


class PurchasePaymentActionView(PaymentActionView):
    model = PurchasePayment
    steps = {
        "approve": (APPROVE_PURCHASE, purchase_services.purchase_payment_approve),
        "pay": (PAY_PURCHASE, purchase_services.purchase_payment_pay),
        "reject": (APPROVE_PURCHASE, purchase_services.purchase_payment_reject),
    }
    list_url_name = "wagtailsnippets_funding_purchasepayment:list"
    desk_kind = "purchase"


class PurchaseRollupView(PermissionView):
    permission = VIEW_PURCHASES
    template_name = "funding/purchase_rollup.html"
    page_title = gettext_lazy("Government service purchases: figures")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        self.dimension = request.GET.get("by") or "department"
        if self.dimension not in DIMENSIONS:
            self.dimension = "department"
        # any text: a year of a contract, or every year
        self.year = year_param(request.GET.get("year"), first=1949, last=2100)
        self.rows, self.total = purchase_rollup(self.dimension, year=self.year)
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(
                rollup_workbook(DIMENSIONS[self.dimension], self.rows, self.total),
                content_type=XLSX,
            )
            response["Content-Disposition"] = (
                f'attachment; filename="purchases-{self.dimension}.xlsx"'
            )
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = purchase_summary()
        years = self._years(summary)
        context.update(
            filters=FilterForm(
                fields=[
                    (
                        "by",
                        _("Roll up by"),
                        [(k, str(v)) for k, v in DIMENSIONS.items()],
                        self.dimension,
                    ),
                    (
                        "year",
                        _("Year"),
                        [("", _("All years"))] + [(y, y) for y in years],
                        self.year or "",
                    ),
                ]
            ),
            dimension=self.dimension,
            dimension_label=DIMENSIONS[self.dimension],
            year=self.year,
            rows=self.rows,
            total=self.total,
            summary=summary,
            years=years,
        )
        return context

    def _years(self, summary):
        """The years to choose from, newest first: those the purchases cover, and
        the year asked for in the URL even when it has none."""
        years = set()
        if summary["first_year"]:
            years.update(range(summary["first_year"], summary["last_year"] + 1))
        if self.year:
            years.add(self.year)
        return sorted(years, reverse=True)
