"""
A program's quarter as it stands, read only (the approval page, and the
entry page once the quarter is submitted or approved), written in one pass:
through templates each row took three nested includes and a dozen filters;
at 500 indicators (a thousand rows) that was most of the page.
Every value goes through goals.formatting, as the templates' filters do
elsewhere, and every text is escaped.
"""

from html import escape

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import formatting as fmt
from .people import display_name

EMPTY = "-"


def _quantity(value, unit):
    return escape(str(fmt.quantity(value, unit) or EMPTY))


def figure_cells(line, labels=None):
    """The cells before a line's value: target, so far, last quarter. With
    `labels` (the columns' names, escaped), each cell carries its name for a
    narrow screen to write before it (the entry page)."""
    unit = line.unit
    label = line.so_far_label
    so_far = _quantity(line.cumulative, unit)
    if label:
        so_far += f' <span class="muted">({escape(str(label))})</span>'
    names = ([f' data-label="{labels[name]}"' for name in ("연간 목표", "누계", "전분기")]
             if labels else ["", "", ""])
    return (f'<td class="num"{names[0]}>{_quantity(line.target, unit)}</td>'
            f'<td class="num"{names[1]}>{so_far}</td>'
            f'<td class="num"{names[2]}>{_quantity(line.last_quarter, unit)}</td>')


def saved_by(result):
    """Who saved `result` last, and when (escaped); empty for no result."""
    if not result:
        return ""
    who = display_name(result.updated_by) if result.updated_by is not None else ""
    when = date_format(timezone.localtime(result.updated_at), "m-d H:i")
    return f"{escape(who)} {when}"


def _row(line, labels):
    result = line.result
    row_class = "" if line.is_indicator else ' class="unit-row"'
    return (f'<tr{row_class}><th scope="row">{escape(line.name)}</th>'
            f'{figure_cells(line, labels)}'
            f'<td class="num" data-label="{labels["value"]}">'
            f'{_quantity(line.value, line.unit)}</td>'
            f'<td data-label="{labels["비고"]}">{escape(result.note if result else "")}</td>'
            f'<td class="muted" data-label="{labels["마지막 저장"]}">{saved_by(result)}</td></tr>')


def _total_row(group, labels):
    line = group.total
    return (f'<tr class="indicator-row"><th scope="row">{escape(line.name)} '
            f'<span class="muted">({escape(str(group.combined_label))})</span></th>'
            f'{figure_cells(line, labels)}'
            f'<td class="num" data-total="{escape(line.key)}" data-label="{labels["value"]}">'
            f'{_quantity(line.value, line.unit)}</td><td></td><td></td></tr>')


def table(pq, quarter):
    """The read-only table of `pq` (a goals.quarter_page.ProgramQuarter) as
    HTML; each cell carries its column's name, which a narrow screen writes
    before it."""
    caption = _("%(name)s %(quarter)s분기 실적") % {"name": pq.program.name, "quarter": quarter}
    labels = {name: escape(str(_(name))) for name in ("연간 목표", "누계", "전분기", "비고",
                                                      "마지막 저장")}
    labels["value"] = escape(_("%(quarter)s분기 실적") % {"quarter": quarter})
    parts = [
        '<table class="entry-table">',
        f"<caption>{escape(caption)}</caption>",
        "<thead><tr>",
        *(f'<th scope="col">{escape(str(text))}</th>' for text in (
            _("성과지표·단위사업"), _("연간 목표"), _("누계"), _("전분기"),
            _("%(quarter)s분기 실적") % {"quarter": quarter}, _("비고"), _("마지막 저장"))),
        "</tr></thead><tbody>",
    ]
    for group in pq.groups:
        if not group.entered_directly:
            parts.append(_total_row(group, labels))
        parts.extend(_row(line, labels) for line in group.lines)
    if pq.loose:
        loose = escape(_("성과지표에 집계되지 않는 단위사업"))
        parts.append(f'<tr class="indicator-row"><th scope="rowgroup" colspan="7">{loose}</th></tr>')
        parts.extend(_row(line, labels) for line in pq.loose)
    parts.append("</tbody></table>")
    return mark_safe("".join(parts))
