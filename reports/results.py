"""
The year-end results report (경영성과 실적 보고서): what the province receives
after the year, from approved values only.

Per category and program, each indicator's target, result, achievement, its
status at the basis quarter (the year's end for a past year), last year's
result and the change against last year's target, the quarters one by one,
the unit projects, and the evidence filed for the indicator. Everything is
read from the selector's figures (goals.selectors.year_figures with the
approved-only basis, Shown APPROVED_ONLY), whatever the export asked: the
report is of approved values by definition. Nothing here computes a figure.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import dateformat
from django.utils.translation import gettext as _

from goals import figures
from goals import formatting as fmt
from goals.models import QUARTERS, Evidence, Plan, Submission
from goals.printed import printed
from goals.selectors import APPROVED_ONLY, YearFigures, year_figures

from . import evaluation_chapter
from .document import OfYear

NO_PREVIOUS_YEAR = "전년 자료 없음"


@dataclass
class IndicatorResult:
    figure: object  # selectors.IndicatorFigures
    has_previous_plan: bool
    evidence: list = field(default_factory=list)  # file names, by quarter
    year_end: bool = False  # read at the year's end: met or not, not the pace

    @property
    def indicator(self):
        return self.figure.indicator

    @property
    def unit(self):
        return self.figure.indicator.unit

    @property
    def target_text(self):
        return fmt.quantity(self.figure.target, self.unit, self.figure.target_note) or fmt.EMPTY

    @property
    def result_text(self):
        return fmt.quantity(self.figure.result, self.unit, self.figure.result_note) or fmt.EMPTY

    @property
    def achievement_text(self):
        return fmt.rate(self.figure.achievement)

    @property
    def status(self):
        """달성/미달 at the year's end, else the pace (앞섬, 정상, 지연…)."""
        return self.figure.final_status if self.year_end else self.figure.pace.status

    @property
    def status_text(self):
        return fmt.pace(self.status)

    @property
    def last_year_text(self):
        """Last year's result (and target); 전년 자료 없음 for a year with no
        plan before it."""
        if not self.has_previous_plan:
            return _(NO_PREVIOUS_YEAR)
        figure = self.figure
        return fmt.baseline(figure.baseline_actual, figure.baseline_target, figure.baseline_unit,
                            figure.baseline_note)

    @property
    def change_text(self):
        """전년목표 대비; 전년 자료 없음, never 신규, where there was no plan to compare."""
        if not self.has_previous_plan:
            return _(NO_PREVIOUS_YEAR)
        return fmt.change(self.figure.change)

    @property
    def quarter_cells(self):
        return [fmt.quantity(self.figure.quarters[quarter], self.unit) or fmt.EMPTY
                for quarter in QUARTERS]


@dataclass
class ProgramResult:
    printed: object  # goals.printed.PrintedProgram
    indicators: list  # [IndicatorResult]

    @property
    def figures(self):
        return self.printed.figures

    @property
    def program(self):
        return self.printed.program

    @property
    def unit_rows(self):
        """(name, target, result, quarters) of each unit project, as printed."""
        rows = []
        for unit in self.figures.unit_projects:
            name = unit.unit_project.unit
            rows.append((unit.unit_project.name,
                         fmt.quantity(unit.target, name) or fmt.EMPTY,
                         fmt.quantity(unit.result, name) or fmt.EMPTY,
                         [fmt.quantity(unit.quarters[quarter], name) or fmt.EMPTY
                          for quarter in QUARTERS]))
        return rows


@dataclass
class ResultsReport(OfYear):
    book: YearFigures
    made_on: date
    chapters: list  # [(CategoryFigures, [ProgramResult])]
    evaluations: list = field(default_factory=list)  # [evaluation_chapter.SchemeChapter]

    @property
    def title(self):
        return _("%(year)s년 경영성과 실적 보고서") % {"year": self.year}

    @property
    def cover_date(self):
        return dateformat.format(self.made_on, "Y. n. j.")

    @property
    def programs(self):
        return [program for _category, programs in self.chapters for program in programs]

    @property
    def indicators(self):
        return [indicator for program in self.programs for indicator in program.indicators]

    @property
    def year_end(self):
        """Read at the end of the year: each indicator met its target or not."""
        return self.book.quarter == 4

    @property
    def note(self):
        """The sentences above the results table: what it counts and how."""
        sentences = [_("승인된 값만 실었습니다(%(quarter)s분기 말 기준). 달성률은 실적 ÷ 목표 × 100을 "
                       "정수로 반올림한 값입니다.") % {"quarter": self.book.quarter},
                     _("상태는 목표를 채웠는지(달성: 실적이 목표 이상, 미달: 목표에 못 미침)입니다.")
                     if self.year_end else _("상태는 그때까지의 진도입니다.")]
        if not self.book.has_previous_plan:
            sentences.append(_("%(last)s년 계획이 없어 전년과 견주지 않습니다(전년 자료 없음).")
                             % {"last": self.year - 1})
        return " ".join(sentences)

    @property
    def status_counts(self):
        if not self.year_end:
            return [(fmt.pace(status), count)
                    for status, count in self.book.status_counts.items() if count]
        statuses = [indicator.status for indicator in self.indicators]
        return [(fmt.pace(status), statuses.count(status))
                for status in (figures.ACHIEVED, figures.NOT_ACHIEVED, figures.NOT_ENTERED)
                if status in statuses]

    @property
    def average_text(self):
        return fmt.rate(self.book.average_achievement)

    @property
    def includes_unapproved(self):
        return False

    @property
    def shows_execution(self):
        """예산 집행, once any amount spent counts (approved)."""
        return self.book.executed_won is not None

    @property
    def evaluation_note(self):
        return evaluation_chapter.note(self)


def _evidence(book):
    """Indicator id → names of its evidence, of quarters approved (or of a
    confirmed year), in order of quarter."""
    programs = {program.program.pk: program for program in book.programs}
    found = defaultdict(list)
    rows = (Evidence.objects.filter(Q(program__in=list(programs)))
            .values_list("program_id", "quarter", "indicator_id", "unit_project__indicator_id",
                         "name").order_by("quarter", "name"))
    closed = book.plan.status == Plan.Status.CLOSED
    for program_id, quarter, indicator_id, via_unit, name in rows:
        approved = programs[program_id].quarter_status(quarter) == Submission.Status.APPROVED
        if closed or approved:
            found[indicator_id or via_unit].append(f"{quarter}분기: {name}")
    return found


def gather_results(institution, year, *, quarterly=False, made_on=None, quarter=None,
                   shown=APPROVED_ONLY):
    """The results report of `institution`'s `year`, read at `quarter` (the
    year's default: its end for a past year). Approved values only, whatever
    `shown` says. Raises Plan.DoesNotExist without a plan."""
    book = year_figures(institution, year, quarter, shown=APPROVED_ONLY, with_text=True)
    evidence = _evidence(book)
    chapters = []
    for category in book.categories:
        chapters.append((category, [
            ProgramResult(printed(program, year, closed=book.plan.is_closed), [
                IndicatorResult(figure, book.has_previous_plan,
                                evidence.get(figure.indicator.pk, []), year_end=book.quarter == 4)
                for figure in program.indicators])
            for program in category.programs]))
    return ResultsReport(book=book, made_on=made_on or date.today(), chapters=chapters,
                         evaluations=evaluation_chapter.chapters(book))

