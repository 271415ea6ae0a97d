"""Template filter `display_name`: a person by full name in the reader's order."""

from django import template

from core.people import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user):
    """{{ user|display_name }} → "周敏" (`core.people.display_name`); "—" for none."""
    return _display_name(user) or "—"
