"""
Last year's results in a plan's workbook (전년도 실적, 전년도 단위사업 실적),
read back into a last year that holds no result at all: a database made from
workbooks, last year's imported first (issue 11's round trip from nothing).

Anywhere else results are entered by quarter, with their approvals and
locks, and these sheets are not read: a last year with a single result, a
closed one, or none in the database leaves them as they are, and so does a
workbook of another year made into this one's (next year's plan written in
this year's workbook): each sheet's title names the year it was exported
for ("2024년 전년도(2023년) …"), whose last year it holds.
"""

import re

from django.db.models import Q
from django.utils.translation import gettext as _

from goals.models import Indicator, Period, Result, UnitProject

from . import layout
from .import_cells import CellReader

# The note of a figure travels in its number format: #,##0"건(2개소)".
QUOTED = re.compile(r'"([^"]*)"')
# The year a sheet was exported for, at the start of its title (reports.xlsx._heading).
TITLE_YEAR = re.compile(r"^\s*(\d{4})년")


def holds_results(plan):
    return Result.objects.filter(Q(indicator__program__category__plan=plan)
                                 | Q(unit_project__program__category__plan=plan)).exists()


class LastYearResultsReader(CellReader):
    """Each filled result of the two sheets, matched by program and name to
    last year's indicator or unit project: plan.last_year_results, a list of
    unsaved Results (the year as a whole)."""

    def read(self):
        plan = self.plan
        plan.last_year_results = []
        previous = plan.previous_plan
        if previous is None or previous.is_closed or holds_results(previous):
            return
        indicators = {(indicator.program.name, indicator.measurement): indicator
                      for indicator in Indicator.objects.filter(
                          program__category__plan=previous).select_related("program")}
        units = {(unit.program.name, unit.name): unit
                 for unit in UnitProject.objects.filter(
                     program__category__plan=previous).select_related("program")}
        self._sheet(layout.LAST_YEAR, layout.LAST_YEAR_COLUMNS, "measurement", indicators,
                    "indicator")
        self._sheet(layout.LAST_YEAR_UNITS, layout.LAST_YEAR_UNIT_COLUMNS, "name", units,
                    "unit_project")

    def _sheet(self, name, columns, key, owners, owner_field):
        year = self.plan.previous_plan.year
        if name not in self.plan.workbook.sheetnames:
            return
        title = TITLE_YEAR.match(str(self.plan.workbook[name].cell(layout.TITLE_ROW, 1).value
                                     or ""))
        if title is None or int(title.group(1)) != year + 1:
            return  # another year's last year
        sheet = self.sheet(name, columns)
        for row in sheet.rows():
            if row.text(key) == layout.TOTAL or row["result"] in (None, ""):
                continue  # a 계 is worked out, not entered
            owner = owners.get((layout.program_name(row.text("program")), row.text(key)))
            if owner is None:
                self.problems.append(row.problem(key, _(
                    "%(year)s년 계획에 없는 항목입니다: %(program)s · %(name)s") % {
                    "year": year, "program": layout.program_name(row.text("program")) or "-",
                    "name": row.text(key) or "-"}))
                continue
            value, state = self._figure(row, "result")
            result = Result(period=Period.YEAR, value=value, state=state,
                            note=_note(sheet, row, owner.unit) if value is not None else "",
                            **{owner_field: owner})
            self._clean(row, result, {"value": "result", "state": "result", "note": "result"})
            self.plan.last_year_results.append(result)


def _note(sheet, row, unit):
    """The note written after the unit in the cell's number format: 2개소 of
    #,##0"건(2개소)"; "" for a plain number."""
    number_format = sheet.worksheet.cell(row.number, sheet.number["result"]).number_format
    quoted = QUOTED.findall(number_format or "")
    suffix = quoted[-1] if quoted else ""
    if unit and suffix.startswith(unit):
        suffix = suffix[len(unit):]
    return suffix[1:-1].strip() if suffix.startswith("(") and suffix.endswith(")") else ""
