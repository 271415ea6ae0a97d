from .organizations import (
    AnnualInspection,
    CreditEntry,
    Organization,
    ServiceField,
)

__all__ = ["AnnualInspection", "CreditEntry", "Organization", "ServiceField"]
