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

from django.utils import dateformat
from django.utils.translation import gettext as _

from goals import formatting as fmt
from goals.models import Plan
from goals.printed import plan_years, printed
from goals.selectors import APPROVED_ONLY, YearFigures, year_figures


class OfYear:
    """A report of one year's figures (`book`): its institution, year and plan."""

    @property
    def institution(self):
        return self.book.institution

    @property
    def year(self):
        return self.book.year

    @property
    def plan(self):
        return self.book.plan


@dataclass
class Report(OfYear):
    book: YearFigures
    previous: Optional[YearFigures]  # last year's plan, for its results
    made_on: date
    quarterly: bool = False  # add the quarters entered so far and their status
    sections: list = field(default_factory=list)

    @property
    def status(self):
        return self.book.status

    @property
    def shows_execution(self):
        """예산 집행 goes with the quarters."""
        return self.quarterly

    @property
    def previous_status(self):
        return self.book.previous_status

    @property
    def plan_years(self):
        return plan_years(self.year)

    @property
    def budget_differences(self):
        """The programs whose 억원 in the document differs from the rule's."""
        return [section for section in self.sections if section.stated_budget_eok is not None]

    @property
    def budget_notes(self):
        """The notes under the main table: the rule of the 억원 column, then
        each value the document printed otherwise, by its footnote's number."""
        return [_("* 사업비(억 원)는 사업개요의 천원 금액을 억 원으로 바꿔 소수 셋째 자리에서 "
                  "반올림한 값입니다(28,517천원 → 0.29억 원).")] + [
            _("주%(number)s) %(name)s: 원문에는 %(stated)s억 원으로 적혀 있으나, 사업개요의 "
              "%(cheon)s천원은 %(eok)s억 원입니다.") % {
                "number": section.footnote, "name": section.program.name,
                "stated": fmt.number(section.stated_budget_eok),
                "cheon": fmt.cheon(section.program.budget_won),
                "eok": fmt.eok(section.program.budget_won)}
            for section in self.budget_differences]

    @property
    def cover_date(self):
        """The date on the cover: the plan's 보고일 as the document prints it
        ("2024."), or else the day the report was made."""
        return self.plan.reported_on or dateformat.format(self.made_on, "Y. n. j.")

    @property
    def head_title(self):
        """The line under the year's goals: the institution's head (…원장)."""
        return _("%(institution)s장") % {"institution": self.institution.name}

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
    report.sections = [printed(program, year, closed=book.plan.is_closed)
                       for program in book.programs]
    # The 억원 printed in the document, where it differs from the rule's, are
    # footnotes of the main table, numbered in order.
    for number, section in enumerate(report.budget_differences, start=1):
        section.footnote = number
    return report

