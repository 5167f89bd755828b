"""Template filters of the entry and approval pages."""

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from goals import formatting as fmt
from goals.people import display_name

register = template.Library()


@register.filter
def person(user):
    """A user's name as pages show it; empty for nobody."""
    return display_name(user)


@register.simple_tag
def quarter_values_table(pq, quarter):
    """A program's quarter, read only: goals.quarter_values writes the table
    templates/goals/includes/quarter_values.html holds, without a template a row."""
    from goals.quarter_values import table

    return table(pq, quarter)


# The rows of the entry page, written here rather than through a template
# include per row: a page of 500 indicators has hundreds of rows and thousands
# of inputs, and an include (with its context and its filters) costs a
# millisecond a row where this costs a few tens of microseconds (issue 17:
# the page within 3× of a plain table).


def _labels():
    """The columns' names, which a narrow screen writes before each cell."""
    return {name: escape(_(name)) for name in ("연간 목표", "누계", "전분기", "비고", "마지막 저장")}


def _figures(line, labels=None):
    labels = labels or _labels()
    unit, label = line.unit, line.so_far_label
    label = f' <span class="muted">({escape(label)})</span>' if label else ""
    return mark_safe(
        f'<td class="num" data-label="{labels["연간 목표"]}">'
        f'{escape(fmt.quantity(line.target, unit) or "-")}</td>'
        f'<td class="num" data-label="{labels["누계"]}">'
        f'{escape(fmt.quantity(line.cumulative, unit) or "-")}{label}</td>'
        f'<td class="num" data-label="{labels["전분기"]}">'
        f'{escape(fmt.quantity(line.last_quarter, unit) or "-")}</td>')


def _last_saved(line):
    result = line.result
    if not result:
        return ""
    return f"{person(result.updated_by)} {date_format(localtime(result.updated_at), 'm-d H:i')}"


def _described(field, warning):
    if field.errors:
        return format_html(' aria-invalid="true" aria-describedby="{}_error"', field.auto_id)
    if warning:
        return format_html(' aria-describedby="{}_warning"', field.auto_id)
    return ""


@register.simple_tag
def entry_row(row, not_measured):
    """One input of the quarter form: its figures, value, note and last save."""
    line, value, note, warning = row.line, row.value, row.note, row.warning
    shown = value.value()
    shown = "" if shown is None else str(shown)
    if line.steps:
        options = [f'<option value="">{escape(_("(선택)"))}</option>']
        for step in [*line.steps, not_measured]:
            options.append(f'<option value="{escape(step)}"{" selected" if step == shown else ""}>'
                           f'{escape(step)}</option>')
        control = format_html('<select name="{}" id="{}" form="entry-form"{}>{}</select>',
                              value.html_name, value.auto_id, _described(value, warning),
                              mark_safe("".join(options)))
    else:
        control = format_html(
            '<input form="entry-form" type="text" name="{}" id="{}" value="{}" class="num" '
            'inputmode="decimal" size="8" maxlength="50" autocomplete="off"{}> '
            '<span class="unit">{}</span>',
            value.html_name, value.auto_id, shown, _described(value, warning), line.unit)
    hidden = mark_safe("".join(
        f'<input form="entry-form" type="hidden" name="{escape(field.html_name)}" '
        f'value="{escape("" if field.value() is None else field.value())}">'
        for field in row.hidden))
    if value.errors:
        after = format_html('<div class="field-error" id="{}_error">{}</div>', value.auto_id,
                            " ".join(value.errors))
    elif warning:
        after = format_html(
            '<div class="field-warning" id="{}_warning">{} <label class="confirm"><input '
            'form="entry-form" type="checkbox" name="{}" value="{}"> {}</label></div>',
            value.auto_id, warning.message, row.confirm.html_name, warning.value,
            row.confirm.label)
    else:
        after = ""
    note_value = note.value()
    note_input = format_html(
        '<label class="visually-hidden" for="{}">{}</label><input form="entry-form" type="text" '
        'name="{}" id="{}" value="{}" class="note-input" maxlength="500"{}>{}',
        note.auto_id, note.label, note.html_name, note.auto_id,
        "" if note_value is None else note_value,
        _described(note, None),
        format_html('<div class="field-error" id="{}_error">{}</div>', note.auto_id,
                    " ".join(note.errors)) if note.errors else "")
    labels = _labels()
    return format_html(
        '<tr{}><th scope="row"><label for="{}">{}</label></th>{}<td class="input-cell">{}{}{}'
        '</td><td data-label="{}">{}</td><td class="muted" data-label="{}">{}</td></tr>',
        "" if line.is_indicator else mark_safe(' class="unit-row"'), value.auto_id, line.name,
        _figures(line, labels), control, hidden, after, labels["비고"], note_input,
        labels["마지막 저장"], _last_saved(line))


@register.simple_tag
def indicator_total_row(group):
    """An indicator made of unit projects: its quarter as the selector adds them up."""
    line = group.total
    return format_html(
        '<tr class="indicator-row"><th scope="row">{} <span class="muted">({})</span></th>{}'
        '<td class="num" data-total="{}">{}</td><td></td><td></td></tr>',
        line.name, group.combined_label, _figures(line), line.key,
        fmt.quantity(line.value, line.unit) or "-")


@register.simple_tag
def evidence_fields(form):
    """The evidence form's file and its indicator, written without Django's
    widget templates (a program each: a hundred on a large page); what
    goals/includes/field.html would write."""
    upload, key = form["file"], form["key"]
    chosen = key.value() or ""
    options = mark_safe("".join(
        f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
        f'{escape(label)}</option>' for value, label in key.field.widget.choices))
    return format_html(
        '<div class="field{}"><label for="{}">{}</label><input type="file" name="{}" accept="{}" '
        'required aria-describedby="{}_helptext{}"{} id="{}"><div class="help muted" '
        'id="{}_helptext">{}</div>{}</div>'
        '<div class="field"><label for="{}">{}</label><select name="{}" id="{}">{}</select></div>',
        " field--error" if upload.errors else "", upload.auto_id, upload.label,
        upload.html_name, upload.field.widget.attrs.get("accept", ""), upload.auto_id,
        format_html(" {}_error", upload.auto_id) if upload.errors else "",
        mark_safe(' aria-invalid="true"') if upload.errors else "", upload.auto_id,
        upload.auto_id, upload.help_text,
        format_html('<div class="field-error" id="{}_error">{}</div>', upload.auto_id,
                    " ".join(upload.errors)) if upload.errors else "",
        key.auto_id, key.label, key.html_name, key.auto_id, options)
