"""The entry page writes its execution forms' fields in Python (entry_tags.
form_field) rather than through templates/goals/includes/field.html and
Django's widget templates: what it writes is exactly what they write, in
every state a user meets (empty, filled, with help, with errors, hidden, a
value to escape), and for another widget it is the templates' own."""

import pytest
from django import forms
from django.template import engines

from goals.forms import ExecutionForm
from goals.templatetags.entry_tags import form_field

THROUGH_TEMPLATES = engines["django"].from_string(
    '{% include "goals/includes/field.html" %}')


class Sample(forms.Form):
    amount = forms.CharField(label="이번 분기 집행액(원)", required=False, max_length=30,
                             help_text="예: 12,500,000 <원>")
    reason = forms.CharField(label="변경 사유(선택)", required=False, max_length=80)
    needed = forms.CharField(label="필수 \"값\"")
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    quarter = forms.ChoiceField(label="분기", choices=[("1", "1분기"), ("2", "2분기")])


def both(field):
    """form_field's writing, and the templates': field.html for a field
    shown, the widget alone (`{{ field }}`) for a hidden one."""
    if field.is_hidden:
        return str(form_field(field)), str(field)
    return str(form_field(field)), THROUGH_TEMPLATES.render({"field": field})


def forms_in_every_state():
    yield Sample(prefix="x5")
    yield Sample(prefix="x5", initial={"amount": "1,000", "version": 3, "reason": "a&b"})
    bound = Sample({"x5-amount": 'abc"<', "x5-version": "x", "x5-reason": "",
                    "x5-quarter": "9"}, prefix="x5")
    bound.is_valid()
    bound.add_error("amount", "숫자로 적어 주세요 <예>")
    yield bound


@pytest.mark.parametrize("form", list(forms_in_every_state()))
def test_a_field_is_written_as_the_templates_write_it(form):
    for field in form:
        written, through_templates = both(field)
        assert written == through_templates, field.name


def test_the_execution_form_is_written_as_the_templates_write_it():
    class Figures:
        program = type("Program", (), {"pk": 7})()
        executions = {}

    for form in (ExecutionForm(Figures(), 1),
                 ExecutionForm(Figures(), 1, data={"x7-amount": "일억", "x7-version": "-1"})):
        form.is_valid()
        for field in form:
            written, through_templates = both(field)
            assert written == through_templates, field.name
