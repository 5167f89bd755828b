"""{% form_field field %}: what templates/goals/includes/field.html writes for
a form's field (its label, widget, help and errors, linked for screen
readers), written in Python for the widgets the app's forms use. Through the
template, with Django's widget templates, a field costs some hundred
microseconds; the entry page has three a program, and every page with a
filter form several (issue 17). Another widget, or one in a state no form
here puts it in, goes through the template, and what is written is exactly
what the templates write (tests/goals/test_form_field_tag.py). A hidden
field is written as its input alone, as a template writes `{{ field }}`."""

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from goals.widgets import attributes, escaped

register = template.Library()

# The widgets written here; any other goes through the templates.
PLAIN_WIDGETS = (forms.TextInput, forms.HiddenInput, forms.Select, forms.CheckboxInput,
                 forms.FileInput, forms.ClearableFileInput)


def _options(widget, value):
    """A select's options as select.html and select_option.html write them;
    None for choices in groups."""
    chosen = [str(each) if each is not None else ""
              for each in (value if isinstance(value, (list, tuple)) else [value])]
    options, has_selected = [], False
    for option_value, label in widget.choices:
        if isinstance(label, (list, tuple)):
            return None
        option_value = "" if option_value is None else option_value
        selected = not has_selected and str(option_value) in chosen
        has_selected |= selected
        options.append(f'\n  <option value="{escaped(option_value)}"'
                       f'{" selected" if selected else ""}>{escaped(label)}</option>\n')
    return "".join(options)


def widget_html(field):
    """`field`'s widget as Django's widget templates write it (the same
    attributes, aria included, in the same order); None for a widget this
    does not write."""
    widget = field.field.widget
    kind = type(widget)
    if kind not in PLAIN_WIDGETS or field.field.localize or field.field.show_hidden_initial:
        return None
    attrs = {**widget.attrs, **field.build_widget_attrs({}, widget)}
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    value = field.value()
    name = escaped(field.html_name)
    if kind is forms.Select:
        options = _options(widget, value)
        return None if options is None else (
            f'<select name="{name}"{attributes(attrs)}>{options}\n</select>')
    if kind is forms.CheckboxInput:
        if widget.check_test(value):
            attrs["checked"] = True
        value = None if value is True or value is False else value
    elif kind in (forms.FileInput, forms.ClearableFileInput):
        if kind is forms.ClearableFileInput and (widget.is_initial(value) or widget.checked):
            return None  # a file kept, with its clear checkbox: no form here has one
        value = None  # a file input never writes a value
    value = "" if value is None or value == "" else f' value="{escaped(value)}"'
    return f'<input type="{widget.input_type}" name="{name}"{value}{attributes(attrs)}>'


@register.simple_tag
def form_field(field):
    """What templates/goals/includes/field.html writes for `field` (a hidden
    field: its input alone)."""
    written = widget_html(field)
    if field.is_hidden:
        return mark_safe(written) if written is not None else str(field)
    if written is None:
        return render_to_string("goals/includes/field.html", {"field": field})
    auto_id, errors = escaped(field.auto_id), field.errors
    help_text = (f'<div class="help muted" id="{auto_id}_helptext">{escaped(field.help_text)}'
                 f'</div>' if field.help_text else "")
    error = (f'<div class="field-error" id="{auto_id}_error">'
             f'{" ".join(escaped(each) for each in errors)}</div>' if errors else "")
    return mark_safe(
        f'\n<div class="field{" field--error" if errors else ""}">\n'
        f'  <label for="{escaped(field.id_for_label)}">{escaped(field.label)}</label>\n'
        f'  {written}\n  {help_text}\n  {error}\n</div>\n')
