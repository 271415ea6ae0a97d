"""The funding models, one module per aggregate; every model is re-exported here.

- `calls`: `Fund`, `Call` (+ `Criterion`: the rubric, `CallFormVersion`: its own
  application form as it was), `FundingLine` (+ entries);
- `applications`: `Application` (+ `BudgetLine`, `Attachment`), and
  `ApplicationSubmission` (each online submission as sent);
- `reviews`: `Review` (+ `Score`), `ReviewerProfile`, `DeclaredConflict`,
  `ReviewerAccess`;
- `awards`: `PublicNotice`, `Award` (+ `Tranche`), `Objection`, `AwardReport`,
  `Disbursement`;
- `documents`: `DocumentNumber` (文号 of printed documents), `DocumentKind`;
- `purchases`: `ServicePurchase` (+ `Deliverable`, `PaymentInstalment`),
  `PurchasePayment`, `PerformanceEvaluation`;
- `performance`: `IndicatorFramework` (+ `Indicator`), `IndicatorEvaluation`,
  `EvaluatorSheet`, `IndicatorScore` (绩效评价 by indicators).
"""

from funding.models.applications import (
    Application,
    ApplicationSubmission,
    Attachment,
    BudgetLine,
)
from funding.models.awards import (
    Award,
    AwardReport,
    Disbursement,
    Objection,
    PublicNotice,
    ReportStatus,
    Tranche,
)
from funding.models.calls import (
    Call,
    CallFormVersion,
    Criterion,
    Fund,
    FundingLine,
    FundingLineEntry,
)
from funding.models.documents import DocumentKind, DocumentNumber
from funding.models.performance import (
    EvaluationStatus,
    EvaluatorSheet,
    FirstLevel,
    Indicator,
    IndicatorEvaluation,
    IndicatorFramework,
    IndicatorScore,
)
from funding.models.purchases import (
    Deliverable,
    PaymentInstalment,
    PerformanceEvaluation,
    PurchasePayment,
    ServicePurchase,
)
from funding.models.reviews import (
    DeclaredConflict,
    Review,
    ReviewerAccess,
    ReviewerProfile,
    Score,
)

__all__ = [
    "ReportStatus",
    "Application",
    "ApplicationSubmission",
    "Attachment",
    "Award",
    "AwardReport",
    "BudgetLine",
    "Call",
    "CallFormVersion",
    "Criterion",
    "DeclaredConflict",
    "DocumentKind",
    "DocumentNumber",
    "Deliverable",
    "Disbursement",
    "EvaluationStatus",
    "EvaluatorSheet",
    "FirstLevel",
    "Fund",
    "FundingLine",
    "FundingLineEntry",
    "Indicator",
    "IndicatorEvaluation",
    "IndicatorFramework",
    "IndicatorScore",
    "Objection",
    "PaymentInstalment",
    "PerformanceEvaluation",
    "PublicNotice",
    "PurchasePayment",
    "Review",
    "ReviewerAccess",
    "ReviewerProfile",
    "Score",
    "ServicePurchase",
    "Tranche",
]
