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
from .members import OrganizationMembership
from .organizations import (
    AnnualInspection,
    CreditEntry,
    Organization,
    ServiceField,
)
from .residencies import Milestone, Residency, Stage, StageTransition
from .spotchecks import CreditDecision, Inspector, SpotCheck, SpotCheckCampaign

__all__ = [
    "ActivityKind",
    "AnnualInspection",
    "Assessment",
    "AssessmentCriterion",
    "AssessmentScore",
    "BaseLevel",
    "CreditDecision",
    "CreditEntry",
    "CriterionKind",
    "IncubationBase",
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
]
