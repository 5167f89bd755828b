"""
Reading a plan's workbook (reports.importer): every sheet, row and cell
checked against reports.layout and the models' own rules, every problem kept
with its sheet, row and column. Nothing here writes.
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
from goals.figures import WON_PER_CHEON
from goals.models import (Direction, Indicator, Kind,
                          Narrative, Plan, Program, Result, Rollup, Unit)

from . import layout

MARKERS = {marker: level for level, marker in Narrative.Level.choices}
SECTIONS = {str(label): value for value, label in Narrative.Section.choices}


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


# Reading ---------------------------------------------------------------------


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


# The plan as the workbook states it -------------------------------------------


@dataclass
class Spec:
    """A row to become an object: its id, its fields, where it was read."""

    row: SheetRow
    id: Optional[int]
    values: dict
    children: dict = field(default_factory=lambda: defaultdict(list))
    targets: dict = field(default_factory=dict)  # year → (value, state, note)
    object: Optional[object] = None  # what it became, once written


class Reader:
    def __init__(self, workbook, institution, budget):
        self.workbook = workbook
        self.institution = institution
        self.budget = budget
        self.problems = []
        self.year = None
        self.title = ""
        self.reported_on = ""
        self.categories = []  # [(name, is_common, [program Spec])]
        self.programs = {}  # name → Spec
        self.previous_plan = None

    def read(self):
        missing = [name for name in layout.IMPORTED if name not in self.workbook.sheetnames]
        if missing:
            raise ImportFailed([ImportProblem(name, None, None, _("시트가 없습니다.")) for name in missing])
        self._plan_year()
        if self.problems:
            raise ImportFailed(self.problems)
        if Plan.objects.filter(institution=self.institution, year=self.year,
                               status=Plan.Status.CLOSED).exists():
            raise ImportFailed([ImportProblem(layout.SUMMARY, layout.INFO_ROW, "B", _(
                "%(year)s년 계획은 마감되어 바꿀 수 없습니다.") % {"year": self.year})])
        self.previous_plan = Plan.objects.filter(institution=self.institution,
                                                 year=self.year - 1).first()
        self._overview()
        self._budget()
        self._indicators()
        self._unit_projects()
        self._headlines()
        self._narratives()
        if self.problems:
            raise ImportFailed(self.problems)
        return self

    def sheet(self, name, columns, skip=()):
        sheet = Sheet(self.workbook[name], columns, self.budget)
        self.problems += sheet.check_headers(skip)
        return sheet

    def _plan_year(self):
        worksheet = self.workbook[layout.SUMMARY]
        year = worksheet.cell(layout.INFO_ROW, 2).value
        try:
            self.year = int(year)
        except (TypeError, ValueError):
            self.year = None
        if self.year is None or not 2000 <= self.year <= 2100:
            self.problems.append(ImportProblem(layout.SUMMARY, layout.INFO_ROW, "B",
                                         _("계획 연도를 2000~2100 사이의 숫자로 입력하세요.")))
        self.title = str(worksheet.cell(layout.INFO_ROW, 4).value or "").strip()
        self.reported_on = ""
        if str(worksheet.cell(layout.INFO_ROW, 5).value or "").strip() == _("보고일"):
            self.reported_on = str(worksheet.cell(layout.INFO_ROW, 6).value or "").strip()[:20]

    def _program(self, row, key="program"):
        name = layout.program_name(row.text(key))
        spec = self.programs.get(name)
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

    # Sheets ---------------------------------------------------------------------

    def _overview(self):
        sheet = self.sheet(layout.OVERVIEW, layout.OVERVIEW_COLUMNS)
        previous = {program.name: program for program in Program.objects.filter(
            category__plan=self.previous_plan)} if self.previous_plan else {}
        members = {user.get_username(): user for user in self.institution.members.all()}
        categories = {}
        seen = set()
        for row in sheet.rows():
            category = self._required(row, "category", 100)
            name = self._required(row, "program", 200)
            if name in self.programs:
                self.problems.append(row.problem("program", _("같은 사업명이 두 번 있습니다.")))
                continue
            start, end = self._date(row, "period_start"), self._date(row, "period_end")
            if start and end and end < start:
                self.problems.append(row.problem("period_end", _("종료일이 시작일보다 앞섭니다.")))
            if start and self.year and start.year != self.year:
                self.problems.append(row.problem("period_start", _("기간이 계획 연도 밖에 있습니다.")))
            owner = row.text("owner")
            if owner and owner not in members:
                self.problems.append(row.problem("owner", _("기관 구성원의 아이디가 아닙니다: %(name)s")
                                                 % {"name": owner}))
            previous_name = row.text("previous")
            if previous_name and previous_name not in previous:
                self.problems.append(row.problem("previous", _(
                    "%(year)s년 계획에 없는 사업입니다: %(name)s")
                    % {"year": (self.year or 0) - 1, "name": previous_name}))
            spec = Spec(row, self._id(row, seen), {
                "name": name, "purpose": row.text("purpose"), "period_start": start,
                "period_end": end, "target_group": row.text("target_group"),
                "owner": members.get(owner), "previous": previous.get(previous_name),
                "budget_won": None, "funding_source": "", "stated_budget_eok": None,
                "printed_title": self._optional(row, "printed_title", 200),
                "target_label": self._optional(row, "target_label", 20),
                "contents_label": self._optional(row, "contents_label", 20),
                "plan_total": self._yes(row, "plan_total"),
                "results_total": self._yes(row, "results_total"),
            })
            is_common = self._yes(row, "is_common")
            if category not in categories:
                categories[category] = (category, is_common, [])
                self.categories.append(categories[category])
            elif categories[category][1] != is_common:
                self.problems.append(row.problem("is_common", _(
                    "같은 분야의 공통지표 칸은 모두 같아야 합니다.")))
            categories[category][2].append(spec)
            self.programs[name] = spec
        if not self.programs and not self.problems:
            self.problems.append(ImportProblem(sheet.name, layout.FIRST_ROW, None, _("사업이 하나도 없습니다.")))

    def _budget(self):
        sheet = self.sheet(layout.BUDGET, layout.BUDGET_COLUMNS)
        done = set()
        for row in sheet.rows():
            if row.text("program") == _("합계"):
                break  # the table ends; the institution's budget follows
            program = self._program(row)
            if program is None:
                continue
            if program.row.number in done:
                self.problems.append(row.problem("program", _("이 사업의 예산이 두 줄에 있습니다.")))
                continue
            done.add(program.row.number)
            cheon = self._number(row, "budget_cheon", places=3)
            program.values["budget_won"] = (int(cheon * WON_PER_CHEON)
                                            if cheon is not None else None)
            program.values["funding_source"] = self._optional(row, "funding_source", 50)
            program.values["stated_budget_eok"] = self._number(row, "stated_eok", places=3,
                                                                 digits=8)

    def _indicators(self):
        sheet = self.sheet(layout.SUMMARY, layout.SUMMARY_COLUMNS)
        seen = set()
        for row in sheet.rows():
            if row.text("program") == _("합계"):
                break
            program = self._program(row)
            if program is None:
                continue
            measurement = self._required(row, "measurement", 200)
            if any(spec.values["measurement"] == measurement
                   for spec in program.children["indicators"]):
                self.problems.append(row.problem("measurement", _(
                    "한 사업에 같은 측정방법이 두 번 있습니다.")))
            unit = self._unit(row, "unit")
            kind = self._choice(row, "kind", Kind, {Unit.PERCENT: Kind.RATE,
                                                    Unit.POINTS: Kind.SCORE}.get(unit, Kind.COUNT))
            rollup = self._choice(row, "rollup", Rollup,
                                  Rollup.SUM if kind == Kind.COUNT else Rollup.LATEST)
            steps = [step.strip() for step in row.text("steps").split(",") if step.strip()]
            indicator = Indicator(
                order=len(program.children["indicators"]) + 1, measurement=measurement,
                unit=unit, kind=kind, rollup=rollup,
                direction=self._choice(row, "direction", Direction, Direction.HIGHER),
                scale_max=self._number(row, "scale_max", digits=8), steps=steps,
                is_new=self._yes(row, "is_new"),
                previous=self._previous_indicator(row, program),
                baseline_actual=self._number(row, "stated_actual"),
                baseline_target=self._number(row, "stated_target"),
                baseline_unit=self._unit(row, "stated_unit"))
            self._keep_printed_baseline(row, indicator)
            self._clean(row, indicator, {"unit": "unit", "rollup": "rollup", "kind": "kind"})
            value, state = self._figure(row, "target")
            message = None
            if value is not None:
                message = indicator.check_value(value, "")
            elif state and kind == Kind.MILESTONE:
                message = indicator.check_value(None, state)
            elif state:
                message = _("숫자를 입력하세요. 구축완료 같은 말은 단계·정성 지표의 목표입니다.")
            if message:
                self.problems.append(row.problem("target", message))
            spec = Spec(row, self._id(row, seen), {
                name: getattr(indicator, name) for name in (
                    "order", "measurement", "unit", "kind", "rollup", "direction", "scale_max",
                    "steps", "is_new", "previous", "baseline_actual", "baseline_target",
                    "baseline_unit")})
            if value is not None or state:
                spec.targets[self.year] = (value, state, self._optional(row, "target_note", 100))
            else:
                spec.targets[self.year] = None
            program.children["indicators"].append(spec)

    def _keep_printed_baseline(self, row, indicator):
        """전년 실적(전년 목표) as printed, kept as stated when this database
        cannot work it out itself: a workbook brought into a database without
        last year's results (or plan) would otherwise lose them."""
        if indicator.baseline_actual is not None or indicator.baseline_target is not None:
            return
        previous = indicator.previous
        if previous is not None and Result.objects.filter(indicator=previous).exists():
            return
        printed = {key: self._number(row, key) if _is_number(row[key]) else None
                   for key in ("baseline_actual", "baseline_target")}
        if not any(value is not None for value in printed.values()):
            return
        indicator.baseline_actual = printed["baseline_actual"]
        indicator.baseline_target = printed["baseline_target"]
        indicator.baseline_unit = previous.unit if previous else ""

    def _previous_indicator(self, row, program):
        measurement = row.text("previous")
        if not measurement:
            return None
        previous = program.values["previous"]
        found = (Indicator.objects.filter(program=previous, measurement=measurement).first()
                 if previous else None)
        if found is None:
            self.problems.append(row.problem("previous", _(
                "전년도 사업의 성과지표 중에 없는 측정방법입니다: %(name)s") % {"name": measurement}))
        return found

    def _clean(self, row, instance, columns):
        """The model's own rules (a rate is in %, a milestone has no unit…)."""
        try:
            instance.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.problems.append(row.problem(columns.get(name, name), message))

    def _unit_projects(self):
        worksheet = self.workbook[layout.PLAN]
        years = []
        first_year_column = next(index for index, key in enumerate(
            layout.plan_columns([0, 0, 0]), start=1) if key == "target_0")
        for offset in range(3):
            header = worksheet.cell(layout.HEADER_ROW, first_year_column + offset).value
            try:
                years.append(int(str(header).strip().removesuffix("년")))
            except ValueError:
                self.problems.append(ImportProblem(layout.PLAN, layout.HEADER_ROW,
                                             get_column_letter(first_year_column + offset),
                                             _("연도별 목표의 머리글은 연도(예: 2024)여야 합니다.")))
                return
        columns = layout.plan_columns(years)
        sheet = self.sheet(layout.PLAN, columns, skip=[f"target_{n}" for n in range(3)])
        seen = set()
        for row in sheet.rows():
            if row.text("name") == layout.TOTAL:
                continue  # 계 is the figures' sum, not a unit project
            program = self._program(row)
            if program is None:
                continue
            measurement = row.text("indicator")
            indicator = None
            if measurement:
                indicator = next((spec for spec in program.children["indicators"]
                                  if spec.values["measurement"] == measurement), None)
                if indicator is None:
                    self.problems.append(row.problem("indicator", _(
                        "총괄표에서 이 사업의 성과지표 중에 없는 측정방법입니다: %(name)s")
                        % {"name": measurement}))
            spec = Spec(row, self._id(row, seen), {
                "order": len(program.children["unit_projects"]) + 1,
                "group": self._optional(row, "group", 100),
                "name": self._required(row, "name", 200),
                "unit": self._unit(row, "unit", required=True),
                "note": self._optional(row, "note", 200),
                "indicator": indicator,  # a Spec until the indicators are written
            })
            for offset, year in enumerate(years):
                value, state = self._figure(row, f"target_{offset}")
                spec.targets[year] = (value, state, "") if value is not None or state else None
            program.children["unit_projects"].append(spec)

    def _headlines(self):
        sheet = self.sheet(layout.HEADLINES, layout.HEADLINE_COLUMNS)
        for row in sheet.rows():
            program = self._program(row)
            if program is None:
                continue
            value, state = self._figure(row, "value")
            if value is None and not state:
                self.problems.append(row.problem("value", _("값을 입력하세요.")))
            program.children["headlines"].append(Spec(row, None, {
                "order": len(program.children["headlines"]) + 1, "value": value, "state": state,
                "unit": self._unit(row, "unit"), "label": self._optional(row, "label", 200),
                "indicator": self._named(row, "indicator", program, "indicators", "measurement"),
                "unit_project": self._named(row, "unit_project", program, "unit_projects",
                                            "name"),
            }))

    def _named(self, row, key, program, children, attribute):
        name = row.text(key)
        if not name:
            return None
        found = [spec for spec in program.children[children] if spec.values[attribute] == name]
        if len(found) != 1:
            self.problems.append(row.problem(key, _("이 사업에서 하나로 찾을 수 없습니다: %(name)s")
                                             % {"name": name}))
            return None
        return found[0]

    def _narratives(self):
        sheet = self.sheet(layout.NARRATIVES, layout.NARRATIVE_COLUMNS)
        for row in sheet.rows():
            program = self._program(row)
            if program is None:
                continue
            section = SECTIONS.get(row.text("section"))
            if section is None:
                self.problems.append(row.problem("section", _("구분은 %(sections)s 중 하나입니다.")
                                                 % {"sections": ", ".join(SECTIONS)}))
            level = MARKERS.get(row.text("level") or "○")
            if level is None:
                self.problems.append(row.problem("level", _("수준은 ○, -, * 중 하나입니다.")))
            lines = program.children[f"narratives:{section}"]
            lines.append(Spec(row, None, {
                "section": section, "order": len(lines) + 1, "level": level,
                "label": self._optional(row, "label", 100),
                "text": self._required(row, "text", 10000),
            }))


def _is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
