"""Incubator models, one module per aggregate; re-exported here."""

from .activities import ActivityKind, ServiceActivity
from .assessments import Assessment, AssessmentScore
from .bases import (
    AssessmentCriterion,
    BaseLevel,
    CriterionKind,
    IncubationBase,
    MilestoneTemplate,
)
from .members import (
    INVITATION_DAYS,
    AccountRequest,
    AccountRequestStatus,
    OrganizationInvitation,
    OrganizationMembership,
)
from .organizations import (
    AnnualInspection,
    CreditEntry,
    Organization,
    ServiceField,
)
from .residencies import (
    ClaimStatus,
    Milestone,
    MilestoneClaim,
    Residency,
    Stage,
    StageTransition,
)
from .spotchecks import (
    CreditDecision,
    CreditPublicationExport,
    Inspector,
    SpotCheck,
    SpotCheckCampaign,
)
from .supervision import (
    DormantCampaign,
    DormantCase,
    DormantStep,
    Inspection,
    InspectionCampaign,
)
from .targets import Comparison, Target

__all__ = [
    "INVITATION_DAYS",
    "AccountRequest",
    "AccountRequestStatus",
    "ClaimStatus",
    "MilestoneClaim",
    "OrganizationInvitation",
    "ActivityKind",
    "AnnualInspection",
    "Assessment",
    "AssessmentCriterion",
    "AssessmentScore",
    "Comparison",
    "BaseLevel",
    "CreditDecision",
    "CreditPublicationExport",
    "CreditEntry",
    "CriterionKind",
    "DormantCampaign",
    "DormantCase",
    "DormantStep",
    "IncubationBase",
    "Inspection",
    "InspectionCampaign",
    "Inspector",
    "Milestone",
    "MilestoneTemplate",
    "Organization",
    "OrganizationMembership",
    "Residency",
    "ServiceActivity",
    "ServiceField",
    "SpotCheck",
    "SpotCheckCampaign",
    "Stage",
    "StageTransition",
    "Target",
]
