"""The one error type of rural-revitalization rules."""

from core.errors import DomainError


class ProjectsError(DomainError):
    """A rule of rural-revitalization work was broken; the message says which."""
