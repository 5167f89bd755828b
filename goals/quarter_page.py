"""
A program's quarter as the entry and approval pages and the entry sheet show
it: each input (an indicator, or the unit projects that count towards it)
with its target, its value so far and last quarter's, read from the year's
figures. What is written, and how, is goals.entry's. The figures are the
same objects for every request of a process (goals.figures_cache): what is
here, and the forms over it, read them and never change them.
"""

from dataclasses import dataclass
from functools import cached_property

from . import formatting as fmt
from .entry import closed_reason, key_of, steps_of
from .models import Indicator, Rollup, Submission


@dataclass
class Line:
    """One input of a program's quarter and what is shown beside it, read
    from the year's figures."""

    owner: object  # Indicator or UnitProject
    figure: object  # its IndicatorFigures or UnitProjectFigures
    quarter: int

    @property
    def key(self):
        return key_of(self.owner)

    @property
    def is_indicator(self):
        return isinstance(self.owner, Indicator)

    @property
    def name(self):
        return self.owner.measurement if self.is_indicator else self.owner.name

    @property
    def unit(self):
        return self.owner.unit

    @property
    def steps(self):
        return steps_of(self.owner)

    @property
    def target(self):
        return self.figure.target

    @property
    def cumulative(self):
        return self.figure.cumulative[self.quarter]

    @property
    def so_far_label(self):
        """What `cumulative` is where it is not a sum: 최근값, 평균."""
        rule = self.owner.rollup
        return "" if rule == Rollup.SUM else fmt.so_far_label(rule)

    @property
    def last_quarter(self):
        return self.figure.quarters[self.quarter - 1] if self.quarter > 1 else None

    @property
    def result(self):
        return self.figure.results.get(self.quarter)

    @property
    def value(self):
        """The quarter's value; an indicator's is made of its unit projects'."""
        return self.figure.quarters[self.quarter]

    @property
    def note(self):
        return self.result.note if self.result else ""

    @property
    def version(self):
        return self.result.version if self.result else 0


@dataclass
class IndicatorLines:
    """An indicator with the inputs it is made of: its unit projects, or itself."""

    figure: object  # IndicatorFigures
    lines: list
    quarter: int

    @property
    def entered_directly(self):
        return len(self.lines) == 1 and self.lines[0].is_indicator

    @property
    def total(self):
        """The indicator itself for the quarter: target, so far, and its value
        made of the lines by the selector."""
        return Line(self.figure.indicator, self.figure, self.quarter)

    @property
    def combined_label(self):
        """단위사업 합계 where the lines add up, 단위사업 평균 where they do not."""
        return fmt.combined_label(self.figure.indicator.rollup)


@dataclass
class ProgramQuarter:
    """A program's quarter on the entry and approval pages."""

    figures: object  # ProgramFigures
    quarter: int
    groups: list  # IndicatorLines
    loose: list  # Lines of unit projects that count towards no indicator

    @property
    def program(self):
        return self.figures.program

    @property
    def submission(self):
        return self.figures.submissions.get(self.quarter)

    @property
    def status(self):
        return self.figures.quarter_status(self.quarter)

    @property
    def status_label(self):
        return Submission.Status(self.status).label

    @cached_property
    def lines(self):
        return [line for group in self.groups for line in group.lines] + self.loose

    @cached_property
    def missing(self):
        return [line for line in self.lines if line.result is None]

    @property
    def entered(self):
        return len(self.lines) - len(self.missing)

    @cached_property
    def closed_reason(self):
        return closed_reason(self.program.category.plan, self.status)

    @property
    def is_open(self):
        return self.closed_reason is None


def program_quarters(book, quarter, owner=None):
    """The programs of a year's figures (those `owner` owns, if given) as
    their `quarter` is entered."""
    quarters = []
    for program in book.programs:
        if owner is not None and program.program.owner_id != owner.pk:
            continue
        groups = []
        for figure in program.indicators:
            lines = [Line(unit.unit_project, unit, quarter) for unit in figure.unit_projects]
            groups.append(IndicatorLines(
                figure, lines or [Line(figure.indicator, figure, quarter)], quarter))
        indicator_ids = {figure.indicator.id for figure in program.indicators}
        loose = [Line(unit.unit_project, unit, quarter) for unit in program.unit_projects
                 if unit.unit_project.indicator_id not in indicator_ids]
        quarters.append(ProgramQuarter(program, quarter, groups, loose))
    return quarters
