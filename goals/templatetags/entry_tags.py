"""Template filters of the entry and approval pages."""

from django import template

from goals.entry import display_name

register = template.Library()


@register.filter
def person(user):
    """A user's name as pages show it; empty for nobody."""
    return display_name(user) if user is not None else ""


@register.simple_tag
def quarter_values_table(pq, quarter):
    """A program's quarter, read only: goals.quarter_values writes the table
    templates/goals/includes/quarter_values.html holds, without a template a row."""
    from goals.quarter_values import table

    return table(pq, quarter)
