"""
The program and indicator pages' lines, read from a year's figures: the
quarters entered, the quarters' submissions, the notes beside the values.
(The program as printed, its plan tables and contents, is goals.printed.)

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
class Line:
    """A line of the quarters' table: an indicator or a unit project."""

    name: str
    cells: list
    group: str = ""


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
    return Line(name, [_value(figure, quarter, unit) for quarter in QUARTERS]
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
