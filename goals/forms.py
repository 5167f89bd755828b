"""The forms of the entry and approval pages (what they send is saved by goals.entry), and
the evaluation page's choices and the target simulator's proposals."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from . import entry, evidence_files
from . import formatting as fmt
from .models import QUARTERS, Period


@dataclass
class Row:
    """An input of the quarter form with its bound fields."""

    line: entry.Line
    value: forms.BoundField
    note: forms.BoundField
    hidden: list


class QuarterForm(forms.Form):
    """A program's quarter: a value and a note per input, with the version and
    the value each had when the page was read."""

    reason = forms.CharField(label=_("변경 사유(선택)"), required=False, max_length=80,
                             help_text=_("이미 저장된 값을 고칠 때 적으면 변경 이력에 남습니다."))

    def __init__(self, program_quarter, *args, **kwargs):
        kwargs.setdefault("prefix", f"p{program_quarter.program.pk}")
        super().__init__(*args, **kwargs)
        self.program_quarter = program_quarter
        for line in program_quarter.lines:
            self._add_fields(line)
        self.groups = [(group, [self._row(line) for line in group.lines])
                       for group in program_quarter.groups]
        self.loose = [self._row(line) for line in program_quarter.loose]

    def _add_fields(self, line):
        # The template writes these inputs out itself (entry_row.html).
        key, shown = line.key, entry.plain(line.value)
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

    def _row(self, line):
        key = line.key
        return Row(line, self[f"value_{key}"], self[f"note_{key}"],
                   [self[f"{name}_{key}"] for name in ("version", "read_value", "read_note")])

    def entries(self):
        """What was sent, for goals.entry.save_quarter(); call after is_valid()."""
        data = self.cleaned_data
        return [entry.Entry(
            key=line.key, value=data[f"value_{line.key}"], note=data[f"note_{line.key}"],
            version=data[f"version_{line.key}"] or 0,
            read_value=data[f"read_value_{line.key}"], read_note=data[f"read_note_{line.key}"],
            where=line.key) for line in self.program_quarter.lines]

    def show(self, outcome):
        """Put what goals.entry refused beside its fields. A conflict also takes
        the stored version, so saving again is a deliberate overwrite."""
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
                self.data[self.add_prefix(f"read_value_{key}")] = entry.plain(
                    current.figure if current else None)
                self.data[self.add_prefix(f"read_note_{key}")] = current.note if current else ""


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
                              widget=forms.Textarea(attrs={"rows": 2, "cols": 40}))


class SheetUploadForm(forms.Form):
    file = forms.FileField(label=_("작성한 엑셀 파일(xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    reason = forms.CharField(label=_("변경 사유(선택)"), required=False, max_length=60)


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
