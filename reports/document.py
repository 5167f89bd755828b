"""
What the annual report of a year says, gathered once for the PDF and the XLSX.

The report reads the goal book's one computation: year_figures() of the year,
with its text, and of the year before for last year's results. Nothing here
computes a figure; each program is goals.printed's model of it, the same the
program page renders.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from django.utils.translation import gettext as _

from goals.models import Plan
from goals.printed import plan_years, printed
from goals.selectors import APPROVED_ONLY, YearFigures, year_figures


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
        return plan_years(self.year)

    @property
    def chapters(self):
        """[(CategoryFigures, [PrintedProgram])] in the document's order."""
        by_program = {section.program.pk: section for section in self.sections}
        return [(category, [by_program[program.program.pk] for program in category.programs])
                for category in self.book.categories]

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
    report.sections = [printed(program, year) for program in book.programs]
    return report

