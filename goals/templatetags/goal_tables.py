"""{% table_head table %}: a django-tables2 table's header row (goals.tables.written_head)."""

from django import template

from goals.tables import written_head

register = template.Library()


@register.simple_tag(takes_context=True)
def table_head(context, table):
    return written_head(table, context["request"].GET)
