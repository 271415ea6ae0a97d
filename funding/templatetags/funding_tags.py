"""Template filters of the funding screens (a person's name as shown)."""

from django import template

from core.people import display_name

register = template.Library()


@register.filter
def person_name(user):
    """The person's full name (`core.people.display_name`); "—" for none."""
    return display_name(user) or "—"
