"""Pages write their forms' fields in Python (goals/templatetags/fields.py,
form_field) rather than through templates/goals/includes/field.html and
Django's widget templates: what it writes is exactly what they write, for
text, hidden, select, checkbox and file inputs, in every state a user meets
(empty, filled, chosen, with help, required, with errors, a value to
escape), and for another widget it is the templates' own."""

import pytest
from django import forms
from django.template import engines

from goals.forms import ExecutionForm
from goals.forms import EvidenceForm, SheetUploadForm
from goals.templatetags.fields import form_field, widget_html

THROUGH_TEMPLATES = engines["django"].from_string(
    '{% include "goals/includes/field.html" %}')


class Sample(forms.Form):
    amount = forms.CharField(label="이번 분기 집행액(원)", required=False, max_length=30,
                             help_text="예: 12,500,000 <원>")
    reason = forms.CharField(label="변경 사유(선택)", required=False, max_length=80)
    needed = forms.CharField(label="필수 \"값\"")
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    quarter = forms.ChoiceField(label="분기", choices=[("1", "1분기"), ("2", "2분기")])
    optional_quarter = forms.TypedChoiceField(
        label="기준 분기", coerce=int, required=False,
        choices=[("", "기본"), (1, "1분기"), (2, "2 < 분기")])
    grouped = forms.ChoiceField(label="묶음", choices=[("가", [("1", "하나")]), ("2", "둘")])
    confirm = forms.BooleanField(label="확인", required=False, help_text="이대로 <저장>")
    agree = forms.BooleanField(label="동의")
    upload = forms.FileField(label="파일", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    optional_upload = forms.FileField(label="파일(선택)", required=False)
    day = forms.DateField(label="날짜", widget=forms.DateInput(attrs={"type": "date"}))


def both(field):
    """form_field's writing, and the templates': field.html for a field
    shown, the widget alone (`{{ field }}`) for a hidden one."""
    if field.is_hidden:
        return str(form_field(field)), str(field)
    return str(form_field(field)), THROUGH_TEMPLATES.render({"field": field})


def forms_in_every_state():
    yield Sample(prefix="x5")
    yield Sample(prefix="x5", initial={"amount": "1,000", "version": 3, "reason": "a&b",
                                       "quarter": "2", "optional_quarter": 2, "confirm": True})
    bound = Sample({"x5-amount": 'abc"<', "x5-version": "x", "x5-reason": "",
                    "x5-quarter": "9", "x5-optional_quarter": "2", "x5-confirm": "on",
                    "x5-grouped": "1", "x5-day": "2024-13-40"}, prefix="x5")
    bound.is_valid()
    bound.add_error("amount", "숫자로 적어 주세요 <예>")
    yield bound
    chosen = Sample({"x5-quarter": "1", "x5-optional_quarter": "", "x5-agree": "yes"},
                    prefix="x5")
    chosen.is_valid()
    yield chosen


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


def test_the_entry_pages_upload_forms_are_written_as_the_templates_write_them():
    class Line:
        key, name, is_indicator = "u1", "단위 <사업>", False

    class Quarter:
        program = type("Program", (), {"pk": 7})()
        groups, loose = [], [Line()]

    sent = EvidenceForm(Quarter(), data={"e7-key": "u1"}, files={})
    sent.is_valid()
    for form in (SheetUploadForm(), SheetUploadForm({"confirm": "on"}, {}), sent):
        form.is_valid()
        for field in form:
            written, through_templates = both(field)
            assert written == through_templates, field.name


def test_what_it_does_not_write_goes_through_the_templates():
    form = Sample(prefix="x5")
    assert widget_html(form["grouped"]) is None and widget_html(form["day"]) is None
    assert widget_html(form["quarter"]).startswith('<select name="x5-quarter"')
