"""
What the annual report of a year says, gathered once for the PDF and the XLSX.

The report reads the goal book's one computation: year_figures() of the year,
with its text, and of the year before for last year's results. Nothing here
computes a figure; it only arranges the selector's figures in the order and
shape of the printed document (the three-year plan's rows, their groups).
"""

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Optional

from django.utils.translation import gettext as _

from goals.models import Plan, Submission
from goals.selectors import (APPROVED_ONLY, ProgramFigures, UnitProjectFigures, YearFigures,
                             year_figures)

PLAN_YEARS = 3  # the three-year plan: the year and the two after it


@dataclass
class PlanRow:
    """A line of a program's three-year plan."""

    unit: UnitProjectFigures
    targets: list  # the plan years' targets, in order
    group_span: int  # rows the group cell spans; 0 when the group continues from above

    @property
    def group(self):
        return self.unit.unit_project.group


@dataclass
class ProgramSection:
    """A program's pages: its overview, last year's results and its plan."""

    figures: ProgramFigures
    plan_rows: list
    plan_totals: list  # 계 of each plan year (figures.UnitTotal)

    @property
    def program(self):
        return self.figures.program

    @property
    def has_groups(self):
        return any(row.group for row in self.plan_rows)

    @property
    def show_total(self):
        return self.figures.has_plan_total

    @property
    def labelled_contents(self):
        """사업내용 written as a table (대상 | 내용) when its lines carry labels."""
        return any(line.label for line in self.figures.narratives["contents"])

    @property
    def content_rows(self):
        """The labelled contents as (label, lines) in order."""
        return [(label, list(lines)) for label, lines in
                groupby(self.figures.narratives["contents"], key=lambda line: line.label)]

    def quarter_statuses(self):
        return [Submission.Status(self.figures.quarter_status(quarter)).label
                for quarter in (1, 2, 3, 4)]


@dataclass
class Report:
    book: YearFigures
    previous: Optional[YearFigures]  # last year's plan, for its results
    made_on: date
    quarterly: bool = False  # add the quarters entered so far and their status
    sections: list = field(default_factory=list)

    @property
    def institution(self):
        return self.book.institution

    @property
    def year(self):
        return self.book.year

    @property
    def plan(self):
        return self.book.plan

    @property
    def status(self):
        return self.book.status

    @property
    def previous_status(self):
        return self.book.previous_status

    @property
    def plan_years(self):
        return [self.year + offset for offset in range(PLAN_YEARS)]

    @property
    def title(self):
        return _("%(year)s년 경영성과 목표 현황") % {"year": self.year}

    @property
    def includes_unapproved(self):
        """The report counts values not approved yet (each marked 미승인)."""
        return self.book.shown.unapproved


def gather(institution, year, *, quarterly=False, made_on=None, quarter=None,
           shown=APPROVED_ONLY):
    """The report of `institution`'s `year` read at `quarter` (None: the
    year's default), with the values `shown` allows: approved ones unless
    asked. Raises Plan.DoesNotExist without a plan."""
    book = year_figures(institution, year, quarter, shown=shown, with_text=True)
    try:
        previous = year_figures(institution, year - 1, 4, shown=shown)
    except Plan.DoesNotExist:
        previous = None
    report = Report(book=book, previous=previous, made_on=made_on or date.today(),
                    quarterly=quarterly)
    report.sections = [program_section(program, report.plan_years) for program in book.programs]
    return report


def program_section(program, years):
    rows = []
    for _group, units in groupby(program.unit_projects, key=lambda unit: unit.unit_project.group):
        units = list(units)
        for index, unit in enumerate(units):
            rows.append(PlanRow(unit=unit, targets=[unit.targets.get(year) for year in years],
                                group_span=len(units) if index == 0 else 0))
    totals = [program.unit_totals.get(year) for year in years]
    return ProgramSection(figures=program, plan_rows=rows, plan_totals=totals)
