"""
The plan import's reading base (reports.import_reading): a sheet and its rows
as they read with merged cells filled in, what a row becomes (Spec), where a
problem stands (ImportProblem), and CellReader, which every sheet's reader
(reports.import_sheets) uses to read a cell against the models' rules and keep
each problem with its sheet, row and column. Nothing here writes.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Optional

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from goals import parsing
from goals.models import Plan, Unit

from . import layout


@dataclass(frozen=True)
class ImportProblem:
    sheet: str
    row: Optional[int]
    column: Optional[str]  # a column letter
    message: str

    def __str__(self):
        where = [self.sheet] if self.sheet else []
        if self.row:
            where.append(_("%(row)s행") % {"row": self.row})
        if self.column:
            where.append(_("%(column)s열") % {"column": self.column})
        return f"{' '.join(where)}: {self.message}" if where else self.message


class ImportFailed(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class ImportOutcome:
    plan: Plan
    created: bool
    counts: Counter = field(default_factory=Counter)  # "created" / "updated" / "deleted"
    # Targets below last year's result or 기준치: imported, with a warning.
    warnings: list = field(default_factory=list)
    # Last year's results written into a last year that held none
    # (reports.import_last_year).
    last_year_results: int = 0

    @property
    def last_year_note(self):
        """What the import did with last year's results, or ""."""
        if not self.last_year_results:
            return ""
        return _("%(year)s년 실적 %(count)s건을 함께 넣었습니다(실적이 없던 해).") % {
            "year": self.plan.year - 1, "count": self.last_year_results}


class SheetRow:
    """A data row of a sheet: its values by column key, and where they stand."""

    def __init__(self, sheet, number, values):
        self.sheet = sheet
        self.number = number
        self.values = values

    def __getitem__(self, key):
        value = self.values.get(key)
        return value.strip() if isinstance(value, str) else value

    def text(self, key):
        value = self[key]
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def problem(self, key, message):
        return self.sheet.problem(self.number, key, message)


class Sheet:
    """One sheet of the workbook, with merged cells filled in as they read."""

    def __init__(self, worksheet, columns, budget):
        self.worksheet = worksheet
        self.budget = budget
        self.name = worksheet.title
        self.columns = columns
        self.number = {key: index for index, key in enumerate(columns, start=1)}
        self.merged = {}
        for cells in worksheet.merged_cells.ranges:
            value = worksheet.cell(cells.min_row, cells.min_col).value
            for row in range(cells.min_row, cells.max_row + 1):
                for column in range(cells.min_col, cells.max_col + 1):
                    self.merged[row, column] = value

    def value(self, row, column):
        if (row, column) in self.merged:
            return self.merged[row, column]
        return self.worksheet.cell(row, column).value

    def problem(self, row, key, message):
        column = get_column_letter(self.number[key]) if key in self.number else None
        return ImportProblem(self.name, row, column, message)

    def check_headers(self, skip=()):
        problems = []
        for key, column in self.columns.items():
            if key in skip:
                continue
            row = layout.HEADER_ROW if column.group else layout.GROUP_ROW
            found = self.value(row, self.number[key])
            if str(found or "").strip() != str(column.header):
                problems.append(ImportProblem(self.name, row, get_column_letter(self.number[key]),
                                        _("열 머리글은 '%(header)s'이어야 합니다. 내보낸 양식의 열 순서를 "
                                          "바꾸지 마세요.") % {"header": column.header}))
        return problems

    def rows(self):
        """The rows that hold something of their own; a row emptied in Excel
        is skipped even where a merged cell beside it reads on."""
        for number in range(layout.FIRST_ROW, self.worksheet.max_row + 1):
            self.budget.check_time()
            own = [self.worksheet.cell(number, index).value for index in self.number.values()
                   if (number, index) not in self.merged]
            if any(value not in (None, "") for value in own):
                yield SheetRow(self, number, {key: self.value(number, index)
                                         for key, index in self.number.items()})


@dataclass
class Spec:
    """A row to become an object: its id, its fields, where it was read."""

    row: SheetRow
    id: Optional[int]
    values: dict
    children: dict = field(default_factory=lambda: defaultdict(list))
    targets: dict = field(default_factory=dict)  # year → (value, state, note)
    object: Optional[object] = None  # what it became, once written


class CellReader:
    """Reads cells of the plan's sheets into values; a cell that does not fit
    is kept as a problem of the whole reading (`plan`, a
    reports.import_reading.Reader) and read as nothing."""

    def __init__(self, plan):
        self.plan = plan
        self.problems = plan.problems  # the same list: one reading's problems

    def sheet(self, name, columns, skip=()):
        sheet = Sheet(self.plan.workbook[name], columns, self.plan.budget)
        self.problems.extend(sheet.check_headers(skip))
        return sheet

    def _program(self, row, key="program"):
        name = layout.program_name(row.text(key))
        spec = self.plan.programs.get(name)
        if spec is None:
            self.problems.append(row.problem(key, _("사업개요 시트에 없는 사업입니다: %(name)s")
                                             % {"name": name or "-"}))
        return spec

    def _id(self, row, seen):
        value = row["id"]
        if value in (None, ""):
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.problems.append(row.problem("id", _("id 칸은 비워 두거나 내보낸 값 그대로 두세요.")))
            return None
        if number in seen:
            self.problems.append(row.problem("id", _("같은 id가 두 줄에 있습니다. 복사한 줄이면 id 칸을 "
                                                     "비우세요.")))
            return None
        seen.add(number)
        return number

    def _required(self, row, key, limit):
        text = row.text(key)
        if not text:
            self.problems.append(row.problem(key, _("비어 있을 수 없습니다.")))
        elif len(text) > limit:
            self.problems.append(row.problem(key, _("%(limit)s자 이내로 입력하세요.")
                                             % {"limit": limit}))
        return text

    def _optional(self, row, key, limit=None):
        text = row.text(key)
        if limit and len(text) > limit:
            self.problems.append(row.problem(key, _("%(limit)s자 이내로 입력하세요.")
                                             % {"limit": limit}))
        return text

    def _number(self, row, key, places=2, digits=14):
        """A number ≥ 0 that a DecimalField of `digits` and `places` holds."""
        value = row[key]
        if value in (None, ""):
            return None
        try:
            number = Decimal(str(value).replace(",", "")) if not isinstance(value, bool) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.problems.append(row.problem(key, _("숫자를 입력하세요.")))
            return None
        if number < 0:
            self.problems.append(row.problem(key, _("0 이상이어야 합니다.")))
            return None
        if number >= Decimal(10) ** (digits - places):
            self.problems.append(row.problem(key, _("값이 너무 큽니다.")))
            return None
        if number != number.quantize(Decimal(1).scaleb(-places)):
            self.problems.append(row.problem(key, _("소수점 %(places)s자리까지 입력하세요.")
                                             % {"places": places}))
            return None
        return number

    def _figure(self, row, key):
        """A target: a number, or a state such as 상시 or 구축완료."""
        value = row[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self._number(row, key), ""
        try:
            number, state = parsing.target(row.text(key))
        except parsing.BadValue as error:
            self.problems.append(row.problem(key, str(error)))
            return None, ""
        if number is not None:
            return self._number(row, key), ""
        if state[:1].isdigit():
            self.problems.append(row.problem(key, _(
                "숫자만 입력하세요. 단위는 단위 칸에, 덧붙이는 말은 부기 칸에 씁니다.")))
            return None, ""
        if len(state) > 50:
            self.problems.append(row.problem(key, _("50자 이내로 입력하세요.")))
        return None, state

    def _unit(self, row, key, required=False):
        unit = row.text(key)
        if unit and unit not in Unit.values:
            self.problems.append(row.problem(key, _("단위는 %(units)s 중 하나입니다.")
                                             % {"units": ", ".join(Unit.values)}))
            return ""
        if required and not unit:
            self.problems.append(row.problem(key, _("단위를 입력하세요.")))
        return unit

    def _choice(self, row, key, choices, default):
        text = row.text(key)
        if not text:
            return default
        by_label = {str(label): value for value, label in choices.choices}
        if text in by_label or text in choices.values:
            return by_label.get(text, text)
        self.problems.append(row.problem(key, _("다음 중 하나를 입력하세요: %(labels)s")
                                         % {"labels": ", ".join(by_label)}))
        return default

    def _yes(self, row, key):
        text = row.text(key)
        if text not in ("", layout.YES):
            self.problems.append(row.problem(key, _("'%(yes)s' 또는 빈칸으로 두세요.")
                                             % {"yes": layout.YES}))
        return text == layout.YES

    def _date(self, row, key):
        value = row[key]
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip().replace(".", "-"))
        except ValueError:
            self.problems.append(row.problem(key, _("날짜는 2024-01-01처럼 입력하세요.")))
            return None

    def _clean(self, row, instance, columns):
        """The model's own rules (a rate is in %, a milestone has no unit…)."""
        try:
            instance.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.problems.append(row.problem(columns.get(name, name), message))


def is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
