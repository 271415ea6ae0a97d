"""Rural revitalization models, one module per aggregate: pairings (with villages
and alliances), projects (with their funding links), indicators, outcome reports
(with their lines and evidence). Everything is re-exported here."""

from core.storage import (  # noqa: F401 - named by migrations and tests
    _private_storage,
    private_storage,
)
from projects.models.indicators import Indicator
from projects.models.pairings import Alliance, Pairing, PairingQuerySet, Village
from projects.models.projects import FundingLink, Project
from projects.models.reports import (
    NumberField,
    OutcomeEvidence,
    OutcomeLine,
    OutcomeReport,
    OutcomeReportQuerySet,
)
from projects.models.totals import (
    OutcomeRollupTotal,
    OutcomeTotal,
    RollupProjectCount,
)

__all__ = [
    "Alliance",
    "FundingLink",
    "Indicator",
    "NumberField",
    "OutcomeEvidence",
    "OutcomeLine",
    "OutcomeReport",
    "OutcomeReportQuerySet",
    "OutcomeRollupTotal",
    "OutcomeTotal",
    "Pairing",
    "PairingQuerySet",
    "Project",
    "RollupProjectCount",
    "Village",
    "private_storage",
]
