"""
The forms of the pages: the dashboard's choices in the query string (the
basis quarter, the values shown, filters, the years compared), the entry
and approval pages' forms, whose values goals.entry saves, and the
evaluation page's choices and the target simulator's proposals.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import entry, evidence_files, quarter_page
from . import formatting as fmt
from .models import QUARTERS, Period
from .overview import NO_OWNER, STATUSES
from .people import display_name
from .parsing import plain
from .widgets import PlainTextarea

# The dashboard's choices ---------------------------------------------------------

APPROVED_VALUES = "approved"
ALL_VALUES = "all"


class ValuesForm(forms.Form):
    """Which values the figures count, for those who may choose (the approver,
    the director): approved ones only, or also those not approved yet."""

    values = forms.ChoiceField(label=_("표시할 값"), required=False, choices=[
        (APPROVED_VALUES, _("승인된 값만")), (ALL_VALUES, _("제출 전 값 포함"))])

    def __init__(self, data, *, shown=None, may_choose_values=False, **kwargs):
        """`shown` (goals.selectors.Shown) is what the page shows: the form
        says so when the address did not (and reports a choice it does not know)."""
        if shown is not None and may_choose_values and not data.get("values"):
            data = data.copy()
            data["values"] = ALL_VALUES if shown.unapproved else APPROVED_VALUES
        super().__init__(data, **kwargs)
        self.may_choose_values = may_choose_values

    @staticmethod
    def include_unapproved(data):
        """True or False as the query string asks, None when it does not."""
        return {ALL_VALUES: True, APPROVED_VALUES: False}.get(data.get("values"))


def kept_query(quarter=None, include_unapproved=None):
    """The query string that keeps the basis quarter and the values chosen
    across links: q=2&values=all."""
    query = {}
    if quarter:
        query["q"] = quarter
    if include_unapproved is not None:
        query["values"] = ALL_VALUES if include_unapproved else APPROVED_VALUES
    return urlencode(query)


class BasisForm(ValuesForm):
    """The quarter a year's figures are read at (q), and the values shown.
    Not the entry page's QuarterForm, which holds a quarter's values."""

    q = forms.TypedChoiceField(label=_("기준 분기"), coerce=int, required=False,
                               choices=[(quarter, Period(quarter).label) for quarter in QUARTERS])

    def __init__(self, data, *, quarter=None, **kwargs):
        """`quarter` is the basis in use: the form shows it when the address gave none."""
        if quarter and not data.get("q"):
            data = data.copy()
            data["q"] = str(quarter)
        super().__init__(data, **kwargs)

    @classmethod
    def asked_quarter(cls, data):
        """The quarter asked for, or None (the form reports a bad one)."""
        try:
            return cls.base_fields["q"].clean(data.get("q")) or None
        except forms.ValidationError:
            return None


class OverviewFilters(BasisForm):
    """The overview's choices, all in the query string: the quarter, the
    values shown, and which rows to show."""

    category = forms.ChoiceField(label=_("전략 분야"), required=False)
    status = forms.ChoiceField(label=_("진도"), required=False)
    owner = forms.ChoiceField(label=_("담당자"), required=False)

    def __init__(self, data, book, **kwargs):
        super().__init__(data, quarter=book.quarter, shown=book.shown, **kwargs)
        everything = [("", gettext("전체"))]
        self.fields["category"].choices = everything + [
            (str(category.category.pk), category.category.name) for category in book.categories]
        self.fields["status"].choices = everything + [
            (status, fmt.pace(status)) for status in STATUSES]
        owners = {program.program.owner for program in book.programs}
        named = sorted(((str(owner.pk), display_name(owner)) for owner in owners if owner),
                       key=lambda choice: choice[1])
        unowned = [(NO_OWNER, gettext("지정 안 됨"))] if None in owners else []
        self.fields["owner"].choices = everything + named + unowned

    def filter(self, rows):
        """The rows the choices keep; a choice that is not valid filters nothing."""
        self.is_valid()
        category, status, owner = (self.cleaned_data.get(name)
                                   for name in ("category", "status", "owner"))
        if category:
            rows = [row for row in rows if str(row.category.category.pk) == category]
        if status:
            rows = [row for row in rows if row.status == status]
        if owner:
            rows = [row for row in rows
                    if (row.owner_id is None if owner == NO_OWNER else str(row.owner_id) == owner)]
        return rows

    @property
    def is_filtered(self):
        return any(self.data.get(name) for name in ("category", "status", "owner"))


class CompareForm(ValuesForm):
    """Two of the institution's years, in either order, and the values shown."""

    a = forms.TypedChoiceField(label=_("비교 연도"), coerce=int)
    b = forms.TypedChoiceField(label=_("기준 연도"), coerce=int)

    def __init__(self, data, years, **kwargs):
        super().__init__(data, **kwargs)
        for name in ("a", "b"):
            self.fields[name].choices = [(year, gettext("%(year)s년") % {"year": year})
                                         for year in years]

    def clean(self):
        data = super().clean()
        if data.get("a") is not None and data.get("a") == data.get("b"):
            raise forms.ValidationError(gettext("서로 다른 두 연도를 고르세요."))
        return data


# The entry and approval pages ------------------------------------------------------


@dataclass
class InputRow:
    """An input of the quarter form with its bound fields, and the warning
    about its value if it looks like a mistake (entry.UnlikelyValue)."""

    line: quarter_page.Line
    value: forms.BoundField
    note: forms.BoundField
    hidden: list
    confirm: forms.BoundField
    form: object

    @property
    def warning(self):
        return self.form.warnings.get(self.line.key)


class ExecutionForm(forms.Form):
    """A program's 집행액 for a quarter, with the version it was read at
    (goals.execution.save_execution)."""

    amount = forms.CharField(label=_("이번 분기 집행액(원)"), required=False, max_length=30,
                             help_text=_("이번 분기에 쓴 금액(누계 아님). 예: 12,500,000"))
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("변경 사유(선택)"), required=False, max_length=80)

    def __init__(self, program_figures, quarter, *args, **kwargs):
        kwargs.setdefault("prefix", f"x{program_figures.program.pk}")
        stored = program_figures.executions.get(quarter)
        kwargs.setdefault("initial", {
            "amount": "" if stored is None else f"{stored.amount_won:,}",
            "version": stored.version if stored else 0})
        super().__init__(*args, **kwargs)
        self.program_figures = program_figures
        self.quarter = quarter
        self.stored = stored


class QuarterForm(forms.Form):
    """A program's quarter: a value and a note per input, with the version and
    the value each had when the page was read."""

    reason = forms.CharField(label=_("변경 사유(선택)"), required=False, max_length=80,
                             help_text=_("이미 저장된 값을 고칠 때 적으면 변경 이력에 남습니다."))

    def __init__(self, program_quarter, *args, **kwargs):
        kwargs.setdefault("prefix", f"p{program_quarter.program.pk}")
        super().__init__(*args, **kwargs)
        self.program_quarter = program_quarter
        self.warnings = {}  # key → entry.UnlikelyValue
        for line in program_quarter.lines:
            self._add_fields(line)
        self.groups = [(group, [self._row(line) for line in group.lines])
                       for group in program_quarter.groups]
        self.loose = [self._row(line) for line in program_quarter.loose]

    def _add_fields(self, line):
        # The page writes these inputs out itself (entry_tags.entry_row).
        key, shown = line.key, plain(line.value)
        self.fields[f"value_{key}"] = forms.CharField(
            label=_("%(name)s 실적") % {"name": line.name}, required=False, initial=shown,
            max_length=50)
        self.fields[f"note_{key}"] = forms.CharField(
            label=_("%(name)s 비고") % {"name": line.name}, required=False, initial=line.note,
            max_length=500)
        self.fields[f"version_{key}"] = forms.IntegerField(
            required=False, min_value=0, initial=line.version, widget=forms.HiddenInput)
        self.fields[f"read_value_{key}"] = forms.CharField(
            required=False, initial=shown, widget=forms.HiddenInput)
        self.fields[f"read_note_{key}"] = forms.CharField(
            required=False, initial=line.note, widget=forms.HiddenInput)
        # Ticked beside a warning: the value as it was warned about, which is
        # saved only if it is still the value sent.
        self.fields[f"confirm_{key}"] = forms.CharField(
            label=_("이 값이 맞습니다"), required=False, max_length=50)

    def _row(self, line):
        key = line.key
        return InputRow(line, self[f"value_{key}"], self[f"note_{key}"],
                   [self[f"{name}_{key}"] for name in ("version", "read_value", "read_note")],
                   self[f"confirm_{key}"], self)

    def entries(self):
        """What was sent, for goals.entry.save_quarter(); call after is_valid()."""
        data = self.cleaned_data
        return [entry.Entry(
            key=line.key, value=data[f"value_{line.key}"], note=data[f"note_{line.key}"],
            version=data[f"version_{line.key}"] or 0,
            read_value=data[f"read_value_{line.key}"], read_note=data[f"read_note_{line.key}"],
            where=line.key, confirmed=data[f"confirm_{line.key}"] or None)
            for line in self.program_quarter.lines]

    def show(self, outcome):
        """Put what goals.entry refused or held back beside its fields. A
        conflict also takes the stored version, so saving again is a
        deliberate overwrite."""
        for warning in outcome.warnings or []:
            self.warnings[warning.entry.where] = warning
        for problem in outcome.problems:
            if isinstance(problem, entry.ProgramProblem):
                self.add_error(None, problem.message)
                continue
            key = problem.entry.where
            self.add_error(f"{problem.field}_{key}", problem.message)
            if problem.conflict:
                current = problem.current
                self.data = self.data.copy()
                self.data[self.add_prefix(f"version_{key}")] = current.version if current else 0
                self.data[self.add_prefix(f"read_value_{key}")] = plain(
                    current.figure if current else None)
                self.data[self.add_prefix(f"read_note_{key}")] = current.note if current else ""


@dataclass
class PlainField:
    """What the entry page writes of an input of a form not sent yet: its
    name, id, value and label, without a Django field behind it."""

    html_name: str
    auto_id: str
    initial: object
    label: str = ""
    errors: tuple = ()

    def value(self):
        return self.initial


class QuarterRows:
    """A program's quarter as the entry page shows it before anything is
    sent: the rows of QuarterForm without its Django fields (a page of 500
    indicators would make 3,000 of them only to write their initial values)."""

    errors = {}
    warnings = {}

    def __init__(self, program_quarter):
        self.program_quarter = program_quarter
        self.prefix = f"p{program_quarter.program.pk}"
        self.fields = {}
        self._field("reason", "")
        self._labels = (gettext("%(name)s 실적"), gettext("%(name)s 비고"),
                        gettext("이 값이 맞습니다"))
        self.groups = [(group, [self._row(line) for line in group.lines])
                       for group in program_quarter.groups]
        self.loose = [self._row(line) for line in program_quarter.loose]

    def non_field_errors(self):
        return []

    def add_prefix(self, name):
        return f"{self.prefix}-{name}"

    def __getitem__(self, name):
        return self.fields[name]

    def _field(self, name, initial, label=""):
        html_name = self.add_prefix(name)
        field = self.fields[name] = PlainField(html_name, f"id_{html_name}", initial, label)
        return field

    def _row(self, line):
        key, shown, name, note = line.key, plain(line.value), {"name": line.name}, line.note
        value_label, note_label, confirm_label = self._labels
        return InputRow(line,
                   self._field(f"value_{key}", shown, value_label % name),
                   self._field(f"note_{key}", note, note_label % name),
                   [self._field(f"version_{key}", line.version),
                    self._field(f"read_value_{key}", shown),
                    self._field(f"read_note_{key}", note)],
                   self._field(f"confirm_{key}", None, confirm_label), self)


class EvidenceForm(forms.Form):
    """A file backing a program's quarter, optionally one of its values."""

    file = forms.FileField(label=_("증빙 파일"), help_text=_(
        "%(extensions)s 파일") % {"extensions": evidence_files.EXTENSIONS},
        widget=forms.ClearableFileInput(attrs={"accept": evidence_files.ACCEPT}))
    # Not a ChoiceField: a key of another program is for goals.entry to refuse (403).
    key = forms.CharField(label=_("관련 지표·단위사업"), required=False, widget=forms.Select)

    def __init__(self, program_quarter, *args, **kwargs):
        kwargs.setdefault("prefix", f"e{program_quarter.program.pk}")
        super().__init__(*args, **kwargs)
        choices = [("", _("사업 전체"))]
        for group in program_quarter.groups:
            choices.append((entry.key_of(group.figure.indicator),
                            group.figure.indicator.measurement))
            choices += [(line.key, f"· {line.name}") for line in group.lines
                        if not line.is_indicator]
        choices += [(line.key, line.name) for line in program_quarter.loose]
        self.fields["key"].widget.choices = choices


class CommentForm(forms.Form):
    """The reason an approver gives for returning or reopening a quarter."""

    comment = forms.CharField(label=_("사유"), required=False, max_length=1000,
                              widget=PlainTextarea(attrs={"rows": 2, "cols": 40}))


class SheetUploadForm(forms.Form):
    file = forms.FileField(label=_("작성한 엑셀 파일(xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    reason = forms.CharField(label=_("변경 사유(선택)"), required=False, max_length=60)
    confirm = forms.BooleanField(
        label=_("확인하고 저장"), required=False,
        help_text=_("목표의 몇 배가 넘는 값처럼 확인이 필요한 값도 이대로 저장합니다."))


# The evaluation -------------------------------------------------------------------


def asked_number(data, name):
    """A whole number from the query string, or None for a missing or bad one
    (the page then shows its default)."""
    text = str(data.get(name) or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


class EvaluationForm(forms.Form):
    """Which scheme and which quarter's pace the evaluation page shows."""

    scheme = forms.TypedChoiceField(label=_("평가 체계"), coerce=int, required=False)
    q = forms.TypedChoiceField(label=_("진도 기준 분기"), coerce=int, required=False,
                               choices=[(quarter, Period(quarter).label) for quarter in QUARTERS])

    def __init__(self, schemes, scheme, quarter):
        super().__init__(initial={"scheme": scheme.pk if scheme else None, "q": quarter})
        self.fields["scheme"].choices = [(each.pk, str(each)) for each in schemes]


class TargetSimulatorForm(forms.Form):
    """A proposed target per indicator of the plan, sent in the query string."""

    def __init__(self, data, figures):
        super().__init__(data)
        for figure in figures:
            indicator = figure.indicator
            if indicator.kind == "milestone":
                continue  # a state, not a number to try
            self.fields[f"t{indicator.pk}"] = forms.DecimalField(
                label=_("%(name)s 제안 목표") % {"name": indicator.measurement}, required=False,
                min_value=0, max_digits=14, decimal_places=2,
                initial=fmt.number(figure.target) if not isinstance(figure.target, str) else None)
            # The template writes the inputs out itself (target_simulator.html).

    def proposed(self):
        """{indicator id: target} of the valid fields that were sent."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {int(name[1:]): value for name, value in self.cleaned_data.items()
                if value is not None}
