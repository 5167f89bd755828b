"""
Reading a plan's workbook (reports.importer): the plan's year, title and
report date, then every sheet by its own reader (reports.import_sheets), each
row and cell checked against reports.layout and the models' own rules, every
problem kept with its sheet, row and column. Nothing here writes.
"""

from django.utils.translation import gettext as _

from goals.models import Plan

from . import layout
from .import_cells import ImportFailed, ImportProblem
from .import_last_year import LastYearResultsReader
from .import_sheets import (BudgetReader, HeadlinesReader, IndicatorsReader, NarrativesReader,
                            ProgramsReader, UnitProjectsReader)

# In this order: each sheet names what the ones before it have read.
SHEET_READERS = (ProgramsReader, BudgetReader, IndicatorsReader, UnitProjectsReader,
                 HeadlinesReader, NarrativesReader, LastYearResultsReader)


class Reader:
    """The plan as the workbook states it, for reports.import_writing.Writer."""

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
        self.last_year_results = []  # unsaved Results of previous_plan (reports.import_last_year)

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
        for reader in SHEET_READERS:
            reader(self).read()
        if self.problems:
            raise ImportFailed(self.problems)
        return self

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
