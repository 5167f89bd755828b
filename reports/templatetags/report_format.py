"""The report's template tags: goals.formatting for what the goal_format
filters do not cover (a figure with its note, periods and terms)."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from goals import access
from goals import formatting as fmt
from goals.models import circled

register = template.Library()

register.filter("circled", circled)


@register.simple_tag
def figure(value, unit="", note=""):
    """60회; 1건(2개소); 구축완료; "-" when there is none."""
    return fmt.quantity(value, unit, note) or fmt.EMPTY


@register.simple_tag
def marked_figure(value, unit="", is_unapproved=False):
    """A figure, with 미승인 beside it when it counts a value not approved yet."""
    text = fmt.quantity(value, unit) or fmt.EMPTY
    if is_unapproved and value is not None:
        return format_html('{} <span class="unapproved">{}</span>', text, fmt.UNAPPROVED)
    return text


@register.simple_tag
def quarter_figure(figure, quarter):
    """An indicator's value in `quarter`, marked when not approved yet."""
    return marked_figure(figure.quarters[quarter], figure.indicator.unit,
                         figure.is_unapproved(quarter))


@register.simple_tag
def period(program):
    return fmt.period_text(program.period_start, program.period_end)


@register.simple_tag
def term(status):
    return fmt.term_text(status.head_term_start, status.head_term_end)


register.filter("shares", fmt.shares_text)


@register.simple_tag(takes_context=True)
def may_keep_plan(context, institution):
    """Whether the user may upload a plan's workbook (planning staff)."""
    return access.can_keep_plan(context["request"].user, institution)


@register.simple_tag
def export_buttons():
    """The year's download buttons: (report, format, with the quarters, label)."""
    return [("plan", "pdf", False, _("PDF 내려받기")), ("plan", "pdf", True, _("PDF(분기별 실적 포함)")),
            ("plan", "xlsx", False, _("XLSX 내려받기")), ("plan", "hwpx", False, _("HWPX 내려받기")),
            ("results", "pdf", False, _("실적 보고서 PDF")),
            ("results", "xlsx", False, _("실적 보고서 XLSX")),
            ("results", "hwpx", False, _("실적 보고서 HWPX"))]


WORD_JOINER = "\u2060"


@register.filter(needs_autoescape=True)
def keep_words(text, autoescape=True):
    """Korean lines break between words, not inside them (CSS word-break:
    keep-all, which WeasyPrint lacks): a word joiner between the letters of a
    word keeps it whole. It has no glyph, so it neither shows nor comes out
    of the PDF's text, and costs far less than a box per word."""
    escape = conditional_escape if autoescape else str
    return mark_safe(" ".join(escape(WORD_JOINER.join(word)) for word in str(text).split()))
