"""The funding app's domain error."""

from core.errors import DomainError


class FundingError(DomainError):
    """A funding rule refused the request; the message is for the user."""
