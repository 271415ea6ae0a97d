"""Template filters of the funding screens (a person's name as shown)."""

from django import template

register = template.Library()


@register.filter
def person_name(user):
    """Chinese order: family name first, no space; the username when no name."""
    if user is None:
        return "—"
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.get_username()
