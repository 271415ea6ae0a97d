from django.core.exceptions import ValidationError


class FundingError(ValidationError):
    """A funding rule refused the request; the message is for the user."""
