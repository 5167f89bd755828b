"""{% target_revisions book as revised %}: the report's 당초/변경 targets (reports.revisions)."""

from django import template

from reports.revisions import revised_targets

register = template.Library()


@register.simple_tag
def target_revisions(book):
    return revised_targets(book)
