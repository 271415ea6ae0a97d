"""The one domain error every app's errors subclass."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A rule of the domain refused the request; the message is for the user.

    Each domain app subclasses it once in its `errors.py` (`IncubationError`,
    `FundingError`, `ProjectsError`). Services raise their app's subclass, in the
    user's language; views catch `DomainError` (or `ValidationError`) and show the
    message. Being a `ValidationError`, it also reaches form errors unchanged."""
