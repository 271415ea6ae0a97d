from django.core.exceptions import ValidationError


class IncubationError(ValidationError):
    """A rule of incubation refused the request; the message says why, in the
    user's language."""
