from django.core.exceptions import ValidationError


class ProjectsError(ValidationError):
    """A rule of rural-revitalization work was broken; the message says which."""
