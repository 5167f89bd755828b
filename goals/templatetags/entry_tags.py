"""Template filters of the entry and approval pages."""

from django import template

from goals.entry import display_name

register = template.Library()


@register.filter
def person(user):
    """A user's name as pages show it; empty for nobody."""
    return display_name(user) if user is not None else ""
