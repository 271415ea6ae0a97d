"""The one error incubation's rules raise."""

from core.errors import DomainError


class IncubationError(DomainError):
    """A rule of incubation refused the request; the message says why, in the
    user's language."""


class SupervisionError(IncubationError):
    """A rule of supervision (annual inspections, dormant organizations) refused
    the request; the message says why, in the user's language."""
