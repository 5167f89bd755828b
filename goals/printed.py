"""
A program as printed: the one arrangement of a program's figures that the
program page, the PDF, the XLSX and the HWPX all render.

It reads the selector's figures (goals.selectors.year_figures) and computes
nothing: it puts them in the rows, groups and labels of the printed document.
Whether a table carries a 계 row is the program's own data (Program.plan_total,
Program.results_total, loaded from the document as printed), never guessed
from the units; a 계 sums each unit apart (135명/16회), so it never adds
different units together.
"""

from dataclasses import dataclass, field
from typing import Optional

from django.utils.translation import gettext as _

from . import formatting as fmt
from .figures import total_by_unit
from .models import QUARTERS, Period, Submission, circled

PLAN_YEARS = 3  # the three-year plan: the year and the two after it


def plan_years(year):
    return [year + offset for offset in range(PLAN_YEARS)]


@dataclass
class PrintedRow:
    """A unit project's line: its values in the table's columns, in its
    unit; `group_span` is the rowspan of its group's cell on the group's
    first line, 0 on the lines below it."""

    unit: object  # selectors.UnitProjectFigures
    values: list
    group_span: int = 0

    @property
    def name(self):
        return self.unit.unit_project.name

    @property
    def unit_name(self):
        return self.unit.unit_project.unit

    @property
    def note(self):
        return self.unit.unit_project.note

    @property
    def group(self):
        return self.unit.unit_project.group

    @property
    def cells(self):
        """The values as printed: 25회; 상시; "-" where there is none."""
        return [fmt.quantity(value, self.unit_name) or fmt.EMPTY for value in self.values]


@dataclass
class Table:
    """A table of unit projects: the three-year plan (years ahead, targets)
    or last year's results (one year, results). `totals` holds the 계 of
    each column (figures.UnitTotal), None when the document prints no 계."""

    years: list
    rows: list
    totals: Optional[list] = None

    @property
    def has_groups(self):
        return any(row.group for row in self.rows)

    @property
    def total_cells(self):
        if self.totals is None:
            return None
        return [fmt.unit_total(total) or fmt.EMPTY for total in self.totals]


@dataclass
class QuarterStatus:
    quarter: int
    label: str  # 1분기
    status: str
    status_label: str  # 승인


@dataclass
class PrintedProgram:
    figures: object  # selectors.ProgramFigures
    plan: Table
    results: Optional[Table]
    contents: list  # [(label, [Narrative, ...])] in order
    statuses: list = field(default_factory=list)  # [QuarterStatus] of Q1–Q4
    footnote: int = 0  # the number of the note on its 억원, in a report; 0: none

    @property
    def program(self):
        return self.figures.program

    @property
    def title(self):
        """The heading of the program's pages, as the document prints it."""
        return self.program.printed_title or self.program.name

    @property
    def budget_eok(self):
        """사업비 in 억원 by the one rule of every table (figures.won_to_eok:
        the 천원 amount of the program's page over 100,000, rounded half up
        to two decimals: 28,517천원 → 0.29)."""
        return self.figures.budget_eok

    @property
    def stated_budget_eok(self):
        """The 억원 the document printed, where it differs from budget_eok
        (0.28 for 28,517천원); None where they agree or nothing was printed."""
        stated = self.program.stated_budget_eok
        if stated is None or self.budget_eok is None or stated == self.budget_eok:
            return None
        return stated

    @property
    def numbered_title(self):
        return f"{circled(self.program.number)} {self.title}"

    @property
    def target_label(self):
        return self.program.target_label or _("대상")

    @property
    def contents_label(self):
        return self.program.contents_label or _("대상")

    @property
    def has_details(self):
        """Whether the plan holds anything of the program's own pages (its
        purpose, 사업개요, narratives, unit projects). A year kept only as
        last year's results table (2023 in the document) holds none: its
        report prints one line for the program, not a page of empty headings."""
        program = self.program
        return bool(program.purpose or program.period_start or program.target_group
                    or program.budget_won is not None or self.plan.rows or self.results
                    or any(self.figures.narratives.get(section)
                           for section in ("contents", "results", "plans")))

    @property
    def contents_labelled(self):
        """사업내용 is a table (대상 | 내용 | 비고) when its lines carry labels."""
        return any(label for label, _lines in self.contents)


def _rows(units, values):
    rows = []
    for unit in units:
        row = PrintedRow(unit=unit, values=values(unit))
        if rows and rows[-1].group == row.group:
            next(earlier for earlier in reversed(rows) if earlier.group_span).group_span += 1
        else:
            row.group_span = 1
        rows.append(row)
    return rows


def _totals(rows):
    """계 of each column, unit by unit."""
    columns = len(rows[0].values) if rows else 0
    return [total_by_unit((row.values[index], row.unit_name) for row in rows)
            for index in range(columns)]


def plan_table(program, year):
    years = plan_years(year)
    rows = _rows(program.unit_projects, lambda unit: [unit.targets.get(y) for y in years])
    return Table(years, rows, _totals(rows) if program.program.plan_total and rows else None)


def results_table(program, year):
    """Last year's unit projects and their results (추진실적), or None."""
    if not program.previous_unit_projects:
        return None
    rows = _rows(program.previous_unit_projects, lambda unit: [unit.result])
    return Table([year - 1], rows, _totals(rows) if program.program.results_total else None)


def contents(narratives):
    """Narratives grouped by their label, in order: [(label, [narrative, ...])]."""
    groups = []
    for narrative in narratives:
        if groups and groups[-1][0] == narrative.label:
            groups[-1][1].append(narrative)
        else:
            groups.append((narrative.label, [narrative]))
    return groups


def statuses(program, closed=False):
    """Each quarter's submission status. In a closed year a quarter nobody
    submitted is no longer being written (작성중): it says "-" (2023, whose
    results were confirmed for the year as a whole)."""
    return [QuarterStatus(quarter, Period(quarter).label, program.quarter_status(quarter),
                          fmt.EMPTY if closed and quarter not in program.submissions
                          else Submission.Status(program.quarter_status(quarter)).label)
            for quarter in QUARTERS]


def printed(program, year, closed=False):
    """`program` (selectors.ProgramFigures of the plan of `year`, `closed`
    or not) as printed."""
    return PrintedProgram(
        figures=program,
        plan=plan_table(program, year),
        results=results_table(program, year),
        contents=contents(program.narratives.get("contents", [])),
        statuses=statuses(program, closed),
    )
