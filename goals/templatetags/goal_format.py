"""Template filters over goals.formatting: a figure reads the same on every page."""

from django import template

from goals import formatting as fmt
from goals import overview

register = template.Library()

register.filter("number", fmt.number)
register.filter("rate", fmt.rate)
register.filter("change", fmt.change)
register.filter("cheon", fmt.cheon)
register.filter("unit_total", fmt.unit_total)
register.filter("pace", fmt.pace)
register.filter("won", fmt.won)
register.filter("divergence", fmt.divergence)


@register.filter
def quantity(value, unit=""):
    return fmt.quantity(value, unit)


@register.filter
def score(value, places=2):
    return fmt.score(value, int(places))


@register.filter
def level(value, unit=""):
    return fmt.level(value, unit)


@register.filter
def eok(won, places=2):
    return fmt.eok(won, int(places))


@register.simple_tag
def baseline(figure):
    """전년 실적(전년 목표) of an IndicatorFigures."""
    return fmt.baseline(figure.baseline_actual, figure.baseline_target, figure.baseline_unit,
                        figure.baseline_note)


@register.simple_tag
def unapproved_mark(is_unapproved):
    """미승인 beside a value (or a figure made of one) not approved yet."""
    return overview.unapproved_mark() if is_unapproved else ""


@register.filter
def minutes(duration):
    """A timedelta in whole minutes (the login lockout's cool-off)."""
    return int(duration.total_seconds() // 60) if duration else 0
