"""
The plan's sheets as the import reads them, one reader each, in the order
reports.import_reading.Reader runs them: 사업개요 makes the programs that
every later sheet names, 총괄표 their indicators, which 사업별 3개년 계획's
unit projects and 요약 목표's headlines may name in turn.
"""

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from goals.figures import WON_PER_CHEON
from goals.models import Direction, Indicator, Kind, Narrative, Program, Result, Rollup, Unit

from . import layout
from .import_cells import CellReader, ImportProblem, Spec, is_number

MARKERS = {marker: level for level, marker in Narrative.Level.choices}
SECTIONS = {str(label): value for value, label in Narrative.Section.choices}


class ProgramsReader(CellReader):
    """사업개요: the programs by category, with their owner and last year's program."""

    def read(self):
        plan = self.plan
        sheet = self.sheet(layout.OVERVIEW, layout.OVERVIEW_COLUMNS)
        previous = {program.name: program for program in Program.objects.filter(
            category__plan=plan.previous_plan)} if plan.previous_plan else {}
        members = {user.get_username(): user for user in plan.institution.members.all()}
        categories = {}
        seen = set()
        for row in sheet.rows():
            category = self._required(row, "category", 100)
            name = self._required(row, "program", 200)
            if name in plan.programs:
                self.problems.append(row.problem("program", _("같은 사업명이 두 번 있습니다.")))
                continue
            start, end = self._date(row, "period_start"), self._date(row, "period_end")
            if start and end and end < start:
                self.problems.append(row.problem("period_end", _("종료일이 시작일보다 앞섭니다.")))
            if start and plan.year and start.year != plan.year:
                self.problems.append(row.problem("period_start", _("기간이 계획 연도 밖에 있습니다.")))
            owner = row.text("owner")
            if owner and owner not in members:
                self.problems.append(row.problem("owner", _("기관 구성원의 아이디가 아닙니다: %(name)s")
                                                 % {"name": owner}))
            previous_name = row.text("previous")
            if previous_name and previous_name not in previous:
                self.problems.append(row.problem("previous", _(
                    "%(year)s년 계획에 없는 사업입니다: %(name)s")
                    % {"year": (plan.year or 0) - 1, "name": previous_name}))
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
                plan.categories.append(categories[category])
            elif categories[category][1] != is_common:
                self.problems.append(row.problem("is_common", _(
                    "같은 분야의 공통지표 칸은 모두 같아야 합니다.")))
            categories[category][2].append(spec)
            plan.programs[name] = spec
        if not plan.programs and not self.problems:
            self.problems.append(ImportProblem(sheet.name, layout.FIRST_ROW, None,
                                               _("사업이 하나도 없습니다.")))


class BudgetReader(CellReader):
    """예산: each program's budget, its funding and the 억원 the summary states."""

    def read(self):
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


class IndicatorsReader(CellReader):
    """총괄표: each program's indicators with the plan year's target, checked
    by the model's own rules."""

    def read(self):
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
            indicator = self._indicator(row, program, measurement)
            value, state = self._target(row, indicator)
            spec = Spec(row, self._id(row, seen), {
                name: getattr(indicator, name) for name in (
                    "order", "measurement", "unit", "kind", "rollup", "direction", "scale_max",
                    "steps", "is_new", "previous", "baseline_actual", "baseline_target",
                    "baseline_unit")})
            if value is not None or state:
                spec.targets[self.plan.year] = (value, state,
                                                self._optional(row, "target_note", 100))
            else:
                spec.targets[self.plan.year] = None
            program.children["indicators"].append(spec)

    def _indicator(self, row, program, measurement):
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
        return indicator

    def _target(self, row, indicator):
        """The plan year's target (value, state), checked as the indicator
        checks an entered value."""
        value, state = self._figure(row, "target")
        message = None
        if value is not None:
            message = indicator.check_value(value, "")
        elif state and indicator.kind == Kind.MILESTONE:
            message = indicator.check_value(None, state)
        elif state:
            message = _("숫자를 입력하세요. 구축완료 같은 말은 단계·정성 지표의 목표입니다.")
        if message:
            self.problems.append(row.problem("target", message))
        return value, state

    def _keep_printed_baseline(self, row, indicator):
        """전년 실적(전년 목표) as printed, kept as stated when this database
        cannot work it out itself: a workbook brought into a database without
        last year's results (or plan) would otherwise lose them."""
        if indicator.baseline_actual is not None or indicator.baseline_target is not None:
            return
        previous = indicator.previous
        if previous is not None and Result.objects.filter(indicator=previous).exists():
            return
        printed = {key: self._number(row, key) if is_number(row[key]) else None
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


class UnitProjectsReader(CellReader):
    """사업별 3개년 계획: the unit projects with their three years' targets,
    the years read from the headers."""

    def read(self):
        years = self._years()
        if years is None:
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
            indicator = self._indicator(row, program)
            spec = Spec(row, self._id(row, seen), {
                "order": len(program.children["unit_projects"]) + 1,
                "group": self._optional(row, "group", 100),
                "name": self._required(row, "name", 200),
                "unit": self._unit(row, "unit", required=True),
                "note": self._optional(row, "note", 200),
                "indicator": indicator,
            })
            for offset, year in enumerate(years):
                value, state = self._figure(row, f"target_{offset}")
                spec.targets[year] = (value, state, "") if value is not None or state else None
            program.children["unit_projects"].append(spec)

    def _years(self):
        """The three years the headers name, or None (a problem kept)."""
        worksheet = self.plan.workbook[layout.PLAN]
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
                return None
        return years

    def _indicator(self, row, program):
        """The indicator (a Spec until the indicators are written) it counts toward."""
        measurement = row.text("indicator")
        if not measurement:
            return None
        indicator = next((spec for spec in program.children["indicators"]
                          if spec.values["measurement"] == measurement), None)
        if indicator is None:
            self.problems.append(row.problem("indicator", _(
                "총괄표에서 이 사업의 성과지표 중에 없는 측정방법입니다: %(name)s")
                % {"name": measurement}))
        return indicator


class HeadlinesReader(CellReader):
    """요약 목표: the figures a program's page leads with, each tied to one of
    its indicators or unit projects, or to none."""

    def read(self):
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


class NarrativesReader(CellReader):
    """사업 서술: each program's lines of text by section, in order."""

    def read(self):
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
