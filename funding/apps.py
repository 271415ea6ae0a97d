"""The funding app config: registers awards and purchases as funding sources of
projects, the internal-documents signals, the importers (past awards, service
purchases) and the service-only permission policies."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        # Projects' funding links may point to our awards and purchases, never
        # claiming more than the award or the contract holds, and only those of the
        # project's own organization or its alliance (`owner`).
        from funding.models import Award, ServicePurchase
        from projects.choices import FundingKind
        from projects.funding_sources import funding_source_register

        funding_source_register(
            FundingKind.GRANT_AWARD,
            Award,
            capacity=lambda award: award.approved_amount,
            fund_label=lambda award: str(award.application.call.fund),
            queryset=lambda: Award.objects.select_related("application__organization"),
            owner="application__organization",
        )
        funding_source_register(
            FundingKind.PURCHASE,
            ServicePurchase,
            capacity=lambda purchase: purchase.contract_amount,
            fund_label=lambda purchase: purchase.purchasing_department,
            queryset=lambda: ServicePurchase.objects.order_by("-signed_on", "title"),
            owner="supplier",
        )

        from funding import signals  # noqa: F401 - internal documents stay restricted
        from funding.imports import (  # noqa: F401 - registers the importers
            awards,
            purchases,
        )
        from funding.permissions import register_policies

        register_policies()

        # the purchase share of the targets board (incubator.selectors.metrics)
        from funding.selectors.metrics import register_metrics

        register_metrics()
