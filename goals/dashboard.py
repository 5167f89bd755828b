"""
The program and indicator pages' lines, read from a year's figures: the
three-year plan as the document prints it, the quarters entered, the
quarters' submissions, the notes beside the values.

Nothing here computes a figure; a quarter's value not approved yet carries
the mark 미승인. (The overview's rows are in goals.overview, two years side
by side in goals.comparison, the charts in goals.charts.)
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import formatting as fmt
from .models import QUARTERS, Period, Submission
from .overview import marked


@dataclass
class PlanLine:
    """A line of a three-year plan table; `group_span` is the rowspan of its
    group's cell on the group's first line, 0 on the others."""

    name: str
    cells: list
    note: str = ""
    group: str = ""
    group_span: int = 0


def three_year_plan(program):
    """The unit projects' plan for the coming years as the document prints it:
    years, the 계 line (None where the report prints none), then a line per
    unit project, grouped."""
    years = sorted(program.unit_totals)
    total = PlanLine(_("계"), [fmt.unit_total(program.unit_totals[year]) or fmt.EMPTY
                               for year in years]) if program.has_plan_total else None
    lines = []
    for unit in program.unit_projects:
        project = unit.unit_project
        line = PlanLine(project.name, [fmt.quantity(unit.targets.get(year), project.unit)
                                       or fmt.EMPTY for year in years],
                        project.note, project.group)
        if lines and lines[-1].group == project.group:
            first = next(earlier for earlier in reversed(lines) if earlier.group_span)
            first.group_span += 1
        else:
            line.group_span = 1
        lines.append(line)
    return years, total, lines


def quarter_lines(program):
    """This year's values quarter by quarter and the year: each indicator,
    then each unit project."""
    return [_quarter_line(figure.indicator.measurement, figure, figure.year_result,
                          figure.indicator.unit, _("성과지표"))
            for figure in program.indicators] + unit_quarter_lines(program.unit_projects)


def unit_quarter_lines(unit_projects):
    return [_quarter_line(unit.unit_project.name, unit, unit.result, unit.unit_project.unit,
                          _("단위사업"))
            for unit in unit_projects]


def _quarter_line(name, figure, year, unit, group):
    return PlanLine(name, [_value(figure, quarter, unit) for quarter in QUARTERS]
                    + [_marked(fmt.quantity(year, unit), figure.is_unapproved_at(4))],
                    group=group)


def _value(figure, quarter, unit):
    """A quarter's value, marked when it is not approved yet."""
    return _marked(fmt.quantity(figure.quarters[quarter], unit), figure.is_unapproved(quarter))


def _marked(text, is_unapproved):
    if not text:
        return fmt.EMPTY
    return marked(text) if is_unapproved else text


def submission_label(status):
    return Submission.Status(status).label


def submission_states(program):
    """(quarter label, status, status label) of each quarter's submission."""
    return [(Period(quarter).label, program.quarter_status(quarter),
             submission_label(program.quarter_status(quarter))) for quarter in QUARTERS]


def quarter_paces(program, figure):
    """An indicator's quarters: value, the year so far, its pace then, and
    the program's submission of that quarter."""
    unit = figure.indicator.unit
    return [(Period(quarter).label, _value(figure, quarter, unit),
             _marked(fmt.quantity(figure.cumulative[quarter], unit),
                     figure.is_unapproved_at(quarter)),
             figure.pace_at(quarter), program.quarter_status(quarter),
             submission_label(program.quarter_status(quarter)))
            for quarter in QUARTERS]


def notes(figure):
    """What was noted beside the indicator's values: (where, subject, note)."""
    found = []
    if figure.target_note:
        found.append((_("목표"), figure.indicator.measurement, figure.target_note))
    owners = [(figure.indicator.measurement, figure.results)] + [
        (unit.unit_project.name, unit.results) for unit in figure.unit_projects]
    for subject, results in owners:
        for period, result in sorted(results.items()):
            if result.note:
                found.append((Period(period).label, subject, result.note))
    return found


def labelled(narratives):
    """Narratives grouped by their label, in order: the table form of 사업내용
    (대상 | 내용). [(label, [narrative, ...]), ...]"""
    groups = []
    for narrative in narratives:
        if groups and groups[-1][0] == narrative.label:
            groups[-1][1].append(narrative)
        else:
            groups.append((narrative.label, [narrative]))
    return groups
