"""Template tags and filters of the entry and approval pages."""


from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from goals import formatting as fmt
from goals.templatetags.fields import form_field
from goals.widgets import escaped as _e
from goals.quarter_values import figure_cells, saved_by
from goals.people import display_name

register = template.Library()


@register.filter
def person(user):
    """A user's name as pages show it; empty for nobody."""
    return display_name(user)


@register.simple_tag
def quarter_values_table(pq, quarter):
    """A program's quarter, read only (goals.quarter_values), without a template a row."""
    from goals.quarter_values import table

    return table(pq, quarter)


# What the entry page repeats for every program and row, written here rather
# than through template includes: a page of 500 indicators has a hundred
# programs, hundreds of rows and thousands of inputs, and an include (with
# its context, its tags and filters) costs a millisecond a row and a few a
# program where this costs tens of microseconds (issue 17: the page within 3×
# of a plain table). templates/goals/entry.html keeps the page's outline, and
# what is written once a page or rarely (errors, a program's evidence list).


# What the tags write on every row or section, translated once a language and
# escaped, as {% translate %} writes them (_labels()); each marked where
# makemessages finds it, keyed by its message (quarter_values.figure_cells
# reads the columns' names by theirs). Messages with a value in them are
# translated where they are written, as {% blocktranslate %} writes them: the
# translation as it is, the value escaped.
_TEXTS = {
    "연간 목표": gettext_lazy("연간 목표"),
    "누계": gettext_lazy("누계"),
    "전분기": gettext_lazy("전분기"),
    "비고": gettext_lazy("비고"),
    "마지막 저장": gettext_lazy("마지막 저장"),
    "(선택)": gettext_lazy("(선택)"),
    "성과지표·단위사업": gettext_lazy("성과지표·단위사업"),
    "원": gettext_lazy("원"),
    "사업비": gettext_lazy("사업비"),
    "집행률": gettext_lazy("집행률"),
    "집행액 반영": gettext_lazy("집행액 반영"),
    "예산 집행": gettext_lazy("예산 집행"),
    "증빙 올리기": gettext_lazy("증빙 올리기"),
    "잠김": gettext_lazy("잠김"),
    "반려 사유": gettext_lazy("반려 사유"),
    "승인자 의견": gettext_lazy("승인자 의견"),
}


def _labels():
    """_TEXTS in the active language, escaped."""
    language = get_language()
    labels = _LABELS.get(language)
    if labels is None:
        labels = _LABELS[language] = {name: _e(text) for name, text in _TEXTS.items()}
    return labels


_LABELS = {}  # by language; emptied when a test changes the translations


@receiver(setting_changed)
def _forget_labels(setting, **kwargs):
    if setting in ("LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS"):
        _LABELS.clear()


def _figures(line, labels=None):
    return mark_safe(figure_cells(line, labels or _labels()))


def _described(field, warning):
    if field.errors:
        return f' aria-invalid="true" aria-describedby="{_e(field.auto_id)}_error"'
    if warning:
        return f' aria-describedby="{_e(field.auto_id)}_warning"'
    return ""


@register.simple_tag
def entry_row(row, not_measured):
    """One input of the quarter form: its figures, value, note and last save."""
    line, value, note, warning = row.line, row.value, row.note, row.warning
    labels = _labels()
    value_id = _e(value.auto_id)
    shown = value.value()
    shown = "" if shown is None else str(shown)
    if line.steps:
        options = [f'<option value="">{labels["(선택)"]}</option>']
        for step in [*line.steps, not_measured]:
            options.append(f'<option value="{_e(step)}"{" selected" if step == shown else ""}>'
                           f'{_e(step)}</option>')
        control = (f'<select name="{_e(value.html_name)}" id="{value_id}" form="entry-form"'
                   f'{_described(value, warning)}>{"".join(options)}</select>')
    else:
        control = (
            f'<input form="entry-form" type="text" name="{_e(value.html_name)}" id="{value_id}" '
            f'value="{_e(shown)}" class="num" inputmode="decimal" size="8" maxlength="50" '
            f'autocomplete="off"{_described(value, warning)}> '
            f'<span class="unit">{_e(line.unit)}</span>')
    hidden = "".join(
        f'<input form="entry-form" type="hidden" name="{_e(field.html_name)}" '
        f'value="{_e("" if field.value() is None else field.value())}">'
        for field in row.hidden)
    if value.errors:
        after = (f'<div class="field-error" id="{value_id}_error">'
                 f'{_e(" ".join(value.errors))}</div>')
    elif warning:
        after = (f'<div class="field-warning" id="{value_id}_warning">{_e(warning.message)} '
                 f'<label class="confirm"><input form="entry-form" type="checkbox" '
                 f'name="{_e(row.confirm.html_name)}" value="{_e(warning.value)}"> '
                 f'{_e(row.confirm.label)}</label></div>')
    else:
        after = ""
    note_id, note_value = _e(note.auto_id), note.value()
    note_error = (f'<div class="field-error" id="{note_id}_error">{_e(" ".join(note.errors))}'
                  f'</div>' if note.errors else "")
    note_input = (
        f'<label class="visually-hidden" for="{note_id}">{_e(note.label)}</label>'
        f'<input form="entry-form" type="text" name="{_e(note.html_name)}" id="{note_id}" '
        f'value="{_e("" if note_value is None else note_value)}" class="note-input" '
        f'maxlength="500"{_described(note, None)}>{note_error}')
    row_class = "" if line.is_indicator else ' class="unit-row"'
    return mark_safe(
        f'<tr{row_class}><th scope="row">'
        f'<label for="{value_id}">{_e(line.name)}</label></th>{_figures(line, labels)}'
        f'<td class="input-cell">{control}{hidden}{after}</td>'
        f'<td data-label="{labels["비고"]}">{note_input}</td>'
        f'<td class="muted" data-label="{labels["마지막 저장"]}">{saved_by(line.result)}</td></tr>')


@register.simple_tag
def entry_rows(rows, not_measured):
    """entry_row of each of `rows`, without a template loop's context a row."""
    return mark_safe("".join(entry_row(row, not_measured) for row in rows))


# A program's action of the page's quarter is reversed once a page, with a
# stand-in for the program's id, and each program's URL made by putting its
# id in the stand-in's place (reverse() costs some 20 µs, three a program).
# Should the institution's code or the year contain the stand-in, the URL
# does not split in two and is reversed a program at a time.
_ANY_PROGRAM = 987_654_321


def _quarter_url(context, name, program):
    """The URL `name` of `program`'s quarter on this page, escaped."""
    args = [context["institution"].code, context["plan"].year, context["quarter"]]
    parts = context.render_context.setdefault("entry_tags.urls", {})
    key = (name, *args)
    if key not in parts:
        parts[key] = _e(reverse(name, args=[*args, _ANY_PROGRAM])).split(f"/{_ANY_PROGRAM}/")
    before, *after = parts[key]
    if len(after) != 1:
        return _e(reverse(name, args=[*args, program.pk]))
    return f"{before}/{program.pk}/{after[0]}"


def _csrf_input(context):
    """What {% csrf_token %} writes: the page's one token (the context's)."""
    token = context.get("csrf_token")
    if not token or str(token) == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(token)}">'


@register.simple_tag(takes_context=True)
def submit_form(context, pq):
    """A program's 제출 of its quarter, saying what is still empty."""
    missing = len(pq.missing)
    if missing:
        said = ngettext(
            "빈 값이 %(counter)s개 있습니다. 모두 입력해야 제출할 수 있습니다(실적이 없으면 0, "
            "측정하지 않는 분기이면 해당 없음).",
            "빈 값이 %(counter)s개 있습니다. 모두 입력해야 제출할 수 있습니다(실적이 없으면 0, "
            "측정하지 않는 분기이면 해당 없음).", missing) % {"counter": missing}
    else:
        said = _e(_("모든 값이 입력되었습니다. 제출하면 승인자가 검토하는 동안 값을 바꿀 수 없습니다."))
    return mark_safe(
        f'<form method="post" action="{_quarter_url(context, "goals:entry_submit", pq.program)}" '
        f'class="submit-form">{_csrf_input(context)}<p>{said}</p>'
        f'<button type="submit" class="button">'
        f'{_("%(quarter)s분기 제출") % {"quarter": context["quarter"]}}</button></form>')


@register.simple_tag
def program_heading(pq):
    """A program's name and its quarter's state, with the approver's word on it."""
    labels, program, status = _labels(), pq.program, pq.status
    locked = f' · {labels["잠김"]}' if status == "approved" else ""
    comment = pq.submission.comment if pq.submission else ""
    if comment:
        said = labels["반려 사유"] if status == "returned" else labels["승인자 의견"]
        comment = f'<p class="notice">{said}: {_e(comment)}</p>'
    return mark_safe(
        f'<h2 id="program-{program.pk}-title">{_e(program.numbered_name)} '
        f'<span class="status status--{_e(status)}">{_e(pq.status_label)}{locked}</span></h2>'
        f'{comment}')


@register.simple_tag
def entry_table_head(pq, quarter):
    """The caption and the columns' heads of a program's entry table."""
    labels = _labels()
    quarter_results = _("%(quarter)s분기 실적") % {"quarter": quarter}
    caption = _("%(name)s %(quarter)s분기 실적") % {"name": _e(pq.program.name),
                                                  "quarter": quarter}
    heads = "".join(f'<th scope="col">{name}</th>' for name in (
        labels["성과지표·단위사업"], labels["연간 목표"], labels["누계"], labels["전분기"],
        quarter_results, labels["비고"], labels["마지막 저장"]))
    return mark_safe(f"<caption>{caption}</caption><thead><tr>{heads}</tr></thead>")


@register.simple_tag
def indicator_total_row(group):
    """An indicator made of unit projects: its quarter as the selector adds them up."""
    line = group.total
    return mark_safe(
        f'<tr class="indicator-row"><th scope="row">{_e(line.name)} <span class="muted">'
        f'({_e(group.combined_label)})</span></th>{_figures(line)}'
        f'<td class="num" data-total="{_e(line.key)}">'
        f'{_e(fmt.quantity(line.value, line.unit) or "-")}</td><td></td><td></td></tr>')


def _program_form(context, url_name, pq, form, inside, multipart=False):
    """A small form of a program's quarter (its spending, its evidence),
    posting to `url_name`, with its problems summed up above it."""
    summary = (render_to_string("goals/includes/error_summary.html", {"form": form})
               if form.errors else "")
    enctype = ' enctype="multipart/form-data"' if multipart else ""
    return (f'{summary}<form method="post"{enctype} '
            f'action="{_quarter_url(context, url_name, pq.program)}" class="inline-fields" '
            f'novalidate>{_csrf_input(context)}{inside}</form>')


@register.simple_tag(takes_context=True)
def evidence_entry(context, pq, form):
    """A program's evidence upload, while its quarter is open."""
    return mark_safe(_program_form(
        context, "goals:evidence_add", pq, form,
        f'{form_field(form["file"])}{form_field(form["key"])}<button type="submit" '
        f'class="button">{_labels()["증빙 올리기"]}</button>', multipart=True))


@register.simple_tag(takes_context=True)
def execution_entry(context, pq, form):
    """집행액 of a program's quarter (goals.execution): the program's spending
    so far and, while the quarter is open, its own small form, saved apart
    from the results. Written here for the reason the rows are: a section a
    program, a hundred on a large page."""
    figures, quarter, pk, labels = pq.figures, context["quarter"], pq.program.pk, _labels()

    def won(amount):  # "-" alone where there is no amount, not "-원"
        return fmt.EMPTY if amount is None else f'{fmt.won(amount)}{labels["원"]}'

    spending = (f'{labels["사업비"]} {won(figures.budget_won)} · '
                f'{_("%(quarter)s분기 말 누계 집행액") % {"quarter": quarter}} '
                f'{won(figures.executed_won)} · {labels["집행률"]} '
                f'<span class="execution-rate">{fmt.rate(figures.execution_rate)}</span>')
    if pq.is_open:
        entry = _program_form(
            context, "goals:execution_save", pq, form,
            f'{form_field(form["version"])}{form_field(form["amount"])}'
            f'{form_field(form["reason"])}<div class="field"><button type="submit" '
            f'class="button">{labels["집행액 반영"]}</button></div>')
    else:
        entered = won(form.stored.amount_won) if form.stored else fmt.EMPTY
        entry = f'<p>{_("%(quarter)s분기 집행액") % {"quarter": quarter}}: {entered}</p>'
    return mark_safe(
        f'<section class="execution-entry" aria-labelledby="execution-{pk}-title">'
        f'<h3 id="execution-{pk}-title">{labels["예산 집행"]}</h3>'
        f'<p class="muted">{spending}</p>{entry}</section>')
