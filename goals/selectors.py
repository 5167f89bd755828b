"""
The year's figures of an institution, built once for every reader.

`year_figures()` reads a plan with a fixed number of queries, however many
programs and indicators it has, and runs every number through goals.figures.
The dashboard, the PDF, the XLSX and the consistency check all read what it
returns, so a number cannot differ between the screen and an export.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from decimal import Decimal
from typing import Optional

from django.db.models import Q

from . import figures
from .models import (GeneralStatus, HeadlineTarget, Indicator, Kind, Narrative, Period, Plan,
                     Program, Result, Submission, Target, TargetRevision, UnitProject)


@dataclass
class UnitProjectFigures:
    unit_project: UnitProject
    target: figures.Value  # the plan year's
    targets: dict  # year → value or state
    quarters: dict  # 1–4 → value or state
    result: figures.Value  # the year: confirmed, or rolled up from the quarters
    results: dict  # period → Result, for entry forms and notes
    cumulative: dict = field(default_factory=dict)  # 1–4 → the year so far at that quarter


@dataclass
class IndicatorFigures:
    indicator: Indicator
    target: figures.Value  # in force: the revised (변경) target, or the original (당초)
    target_note: str
    targets: dict  # year → value or state
    quarters: dict  # 1–4 → value or state, its own or made of its unit projects
    cumulative: dict  # 1–4 → the year so far at the end of that quarter
    result: figures.Value  # the year: confirmed, or rolled up from the quarters entered
    result_note: str
    achievement: Optional[Decimal]
    baseline_actual: figures.Value
    baseline_target: figures.Value
    baseline_unit: str
    change: Optional[figures.Change]
    pace: figures.Pace
    unit_projects: list
    results: dict  # period → Result
    baseline_note: str = ""
    linked_target: figures.Value = None  # last year's indicator's own target and result
    linked_result: figures.Value = None
    is_confirmed: bool = False  # the year's result is confirmed, not rolled up from quarters
    original_target: figures.Value = None  # 당초 목표: the target before any revision

    @cached_property
    def plan_totals(self):
        """year → figures.UnitTotal of its unit projects' targets."""
        return _unit_totals(self.unit_projects)

    @property
    def is_revised(self):
        """The target was revised during the year (당초 ≠ 변경)."""
        return self.original_target != self.target

    @property
    def latest_quarter(self):
        entered = [quarter for quarter, value in self.quarters.items() if value is not None]
        return max(entered) if entered else None

    @property
    def pace_status(self):
        return self.pace.status

    def pace_at(self, quarter):
        """Where the indicator stood at the end of `quarter` (for a chart of the year)."""
        return _pace(self.indicator, self.cumulative[quarter], self.target, quarter)

    def forecast_at(self, quarter):
        """The year-end forecast from the quarters entered up to `quarter`; a
        confirmed year is its own forecast."""
        if self.is_confirmed:
            known = figures.is_number(self.result)
            return figures.Forecast(self.result, *((self.result, self.result) if known else ()))
        return figures.forecast([self.quarters[q] for q in figures.QUARTERS], quarter,
                                self.indicator.rollup)


@dataclass
class ProgramFigures:
    program: Program
    indicators: list
    unit_projects: list
    submissions: dict  # quarter → Submission
    headlines: list
    narratives: dict  # section → [Narrative]
    previous_unit_projects: list  # last year's unit projects and their results (추진실적)

    @cached_property
    def unit_totals(self):
        """year → figures.UnitTotal: the 계 row of the three-year plan."""
        return _unit_totals(self.unit_projects)

    @property
    def has_plan_total(self):
        """The three-year plan has a 계 for two or more unit projects counted
        in 회, 건, 명: percentages and scores do not add up."""
        units = [unit.unit_project for unit in self.unit_projects]
        return len(units) > 1 and all(unit.kind == Kind.COUNT for unit in units)

    @property
    def budget_won(self):
        return self.program.budget_won

    @property
    def budget_cheon(self):
        return figures.won_to_cheon(self.program.budget_won)

    @property
    def budget_eok(self):
        return figures.won_to_eok(self.program.budget_won)

    @property
    def previous_unit_total(self):
        """계 of last year's unit results (추진실적: 82회)."""
        return figures.total_by_unit((unit.result, unit.unit_project.unit)
                                     for unit in self.previous_unit_projects)

    def quarter_status(self, quarter):
        submission = self.submissions.get(quarter)
        return submission.status if submission else Submission.Status.DRAFT


class _Programs:
    """What a category and a whole year both say about their programs."""

    @property
    def indicators(self):
        return [indicator for program in self.programs for indicator in program.indicators]

    @property
    def budget_won(self):
        """The programs' budgets added up; None when none has a budget."""
        return figures.total(program.program.budget_won for program in self.programs)

    @property
    def status_counts(self):
        return count_statuses(self.indicators)

    @property
    def average_achievement(self):
        return figures.mean(figure.achievement for figure in self.indicators)


@dataclass
class CategoryFigures(_Programs):
    category: object
    programs: list


@dataclass
class YearFigures(_Programs):
    plan: Plan
    quarter: int  # the quarter the pace is judged at
    status: Optional[GeneralStatus]
    previous_status: Optional[GeneralStatus]
    has_previous_plan: bool
    categories: list = field(default_factory=list)

    @property
    def institution(self):
        return self.plan.institution

    @property
    def year(self):
        return self.plan.year

    @property
    def programs(self):
        return [program for category in self.categories for program in category.programs]


def count_statuses(indicator_figures):
    counts = {status: 0 for status in (figures.AHEAD, figures.ON_TRACK, figures.BEHIND,
                                       figures.NOT_ENTERED, figures.NO_TARGET)}
    for figure in indicator_figures:
        counts[figure.pace.status] += 1
    return counts


def default_quarter(year, today=None):
    """The quarter to judge pace at: the last one finished, Q4 for a past year."""
    today = today or date.today()
    if year < today.year:
        return 4
    if year > today.year:
        return 1
    return max(1, (today.month - 1) // 3)


def year_figures(institution, year, quarter=None, *, with_text=False, programs=None):
    """
    Everything about `institution`'s plan for `year`, with its figures.
    Raises Plan.DoesNotExist when there is no such plan. `with_text` adds the
    programs' narratives (for program pages and the report).

    `programs` (ids, or a queryset of programs) keeps only those programs and
    the categories holding them, for a page about one program or about one
    owner's programs: their figures are those of the whole year, read at a
    fraction of the cost; the year's and categories' totals then add up only
    them.
    """
    plan = Plan.objects.select_related("institution").get(institution=institution, year=year)
    quarter = quarter or default_quarter(year)
    has_previous_plan = Plan.objects.filter(institution=institution, year=year - 1).exists()
    statuses = {status.year: status for status in GeneralStatus.objects.filter(
        institution=institution, year__in=[year, year - 1])}

    def chosen(path=""):
        """The programs read, reached through `path` ("program__", ...)."""
        condition = Q(**{f"{path}category__plan": plan})
        if programs is not None:
            condition &= Q(**{f"{path}pk__in": programs})
        return condition

    categories = list(plan.categories.all())
    category_by_id = {category.id: category for category in categories}
    programs_read = list(Program.objects.filter(chosen())
                         .select_related("owner", "previous")
                         .order_by("category__order", "number"))
    indicators = list(Indicator.objects.filter(chosen("program__"))
                      .select_related("previous").order_by("program_id", "order"))
    in_plan = chosen("program__")
    # Last year's unit projects of continued programs: 추진실적 and baselines.
    continued = Program.objects.filter(chosen("continued_by__")).values("id")
    unit_projects = list(UnitProject.objects.filter(in_plan | Q(program__in=continued))
        .order_by("program_id", "order"))

    plan_indicators = Indicator.objects.filter(in_plan).values("id")
    last_indicators = Indicator.objects.filter(chosen("continued_by__program__")).values("id")
    owners = (Q(indicator__in=plan_indicators) | Q(indicator__in=last_indicators)
              | Q(unit_project__in=[unit.id for unit in unit_projects]))
    # Targets are only read: plain rows are enough, and much cheaper than models.
    # Each comes with its latest revision (변경), if any, in the same query.
    targets = [TargetRow(*row) for row in Target.objects.filter(owners).annotate(
        **TargetRevision.latest_of_each()).values_list(
        "indicator_id", "unit_project_id", "year", "value", "state", "note", "revised_value",
        "revised_state")]
    # Entry pages show who saved each value last: joined here, not asked per result.
    results = list(Result.objects.filter(owners).select_related("updated_by"))
    submissions = list(Submission.objects.filter(in_plan))
    headlines = list(HeadlineTarget.objects.filter(in_plan))
    narratives = list(Narrative.objects.filter(in_plan)) if with_text else []

    book = _Book(plan, quarter, targets, results, unit_projects)
    by_program = defaultdict(list)
    for indicator in indicators:
        by_program[indicator.program_id].append(indicator)
    units_by_program = defaultdict(list)
    for unit_project in unit_projects:
        units_by_program[unit_project.program_id].append(unit_project)
    submissions_by_program = defaultdict(dict)
    for submission in submissions:
        submissions_by_program[submission.program_id][submission.quarter] = submission
    headlines_by_program = defaultdict(list)
    for headline in headlines:
        headlines_by_program[headline.program_id].append(headline)
    narratives_by_program = defaultdict(lambda: defaultdict(list))
    for narrative in sorted(narratives, key=lambda n: n.order):
        narratives_by_program[narrative.program_id][narrative.section].append(narrative)

    indicator_by_id = {indicator.id: indicator for indicator in indicators}
    indicator_by_id.update((indicator.previous.id, indicator.previous)
                           for indicator in indicators if indicator.previous)
    for unit_project in unit_projects:
        if unit_project.indicator_id in indicator_by_id:
            unit_project.indicator = indicator_by_id[unit_project.indicator_id]

    programs_by_category = defaultdict(list)
    for program in programs_read:
        # Readers follow .category.plan.institution from a program, and
        # .program from an indicator or unit project: no query, and one
        # category object for all of its programs.
        program.category = category_by_id[program.category_id]
        for child in by_program[program.id] + units_by_program[program.id]:
            child.program = program
        unit_figures = [book.unit_project(unit, year) for unit in units_by_program[program.id]]
        previous_units = ([book.unit_project(unit, year - 1)
                           for unit in units_by_program[program.previous_id]]
                          if program.previous_id else [])
        programs_by_category[program.category_id].append(ProgramFigures(
            program=program,
            indicators=[book.indicator(indicator, unit_figures)
                        for indicator in by_program[program.id]],
            unit_projects=unit_figures,
            submissions=submissions_by_program[program.id],
            headlines=headlines_by_program[program.id],
            narratives={section: narratives_by_program[program.id][section]
                        for section in Narrative.Section.values},
            previous_unit_projects=previous_units,
        ))
    return YearFigures(
        plan=plan, quarter=quarter, status=statuses.get(year),
        previous_status=statuses.get(year - 1), has_previous_plan=has_previous_plan,
        categories=[CategoryFigures(category, programs_by_category[category.id])
                    for category in categories
                    if programs is None or programs_by_category[category.id]],
    )


def _unit_totals(unit_figures):
    years = sorted({year for unit in unit_figures for year in unit.targets})
    return {year: figures.total_by_unit(
        (unit.targets.get(year), unit.unit_project.unit) for unit in unit_figures)
        for year in years}


class _Book:
    """The targets and results read for a plan, indexed by what they belong to."""

    def __init__(self, plan, quarter, targets, results, unit_projects):
        self.plan = plan
        self.quarter = quarter
        self.targets = defaultdict(dict)  # ("i" | "u", id) → {year: Target}
        for target in targets:
            self.targets[_key(target)][target.year] = target
        self.results = defaultdict(dict)  # ("i" | "u", id) → {period: Result}
        for result in results:
            self.results[_key(result)][result.period] = result
        self.units_of_indicator = defaultdict(list)
        for unit_project in unit_projects:
            if unit_project.indicator_id:
                self.units_of_indicator[unit_project.indicator_id].append(unit_project)

    def unit_project(self, unit_project, year):
        results = self.results[("u", unit_project.id)]
        quarters = {quarter: _figure(results.get(quarter)) for quarter in figures.QUARTERS}
        confirmed = _figure(results.get(Period.YEAR))
        rule = figures.SUM if unit_project.kind == "count" else figures.LATEST
        targets = {target_year: target.figure
                   for target_year, target in self.targets[("u", unit_project.id)].items()}
        return UnitProjectFigures(
            unit_project=unit_project,
            target=targets.get(year),
            targets=targets,
            quarters=quarters,
            result=confirmed if confirmed is not None else figures.rollup(quarters.values(), rule),
            results=results,
            cumulative=_cumulative(quarters, rule),
        )

    def periods(self, indicator):
        """An indicator's quarters and its confirmed year, from its own results
        or, where it has none, from the unit projects that count towards it."""
        own = self.results[("i", indicator.id)]
        parts = [self.results[("u", unit.id)] for unit in self.units_of_indicator[indicator.id]]
        if not parts:
            return ({quarter: _figure(own.get(quarter)) for quarter in figures.QUARTERS},
                    _figure(own.get(Period.YEAR)))

        def value(period):
            mine = _figure(own.get(period))
            if mine is not None:
                return mine
            return figures.combine([_figure(part.get(period)) for part in parts], indicator.rollup)

        return {quarter: value(quarter) for quarter in figures.QUARTERS}, value(Period.YEAR)

    def year_value(self, indicator):
        """The indicator's year: confirmed, or rolled up from its quarters."""
        quarters, confirmed = self.periods(indicator)
        if confirmed is not None:
            return confirmed
        return figures.rollup(quarters.values(), indicator.rollup)

    def values(self, indicator):
        """An indicator's quarters, the year so far at each, its year, and
        whether that year is confirmed (not rolled up from the quarters)."""
        quarters, confirmed = self.periods(indicator)
        cumulative = _cumulative(quarters, indicator.rollup)
        if confirmed is not None:
            cumulative[4] = confirmed
            return quarters, cumulative, confirmed, True
        return quarters, cumulative, figures.rollup(quarters.values(), indicator.rollup), False

    def indicator(self, indicator, unit_figures):
        year = self.plan.year
        targets = self.targets[("i", indicator.id)]
        target = targets.get(year)
        quarters, cumulative, result, is_confirmed = self.values(indicator)
        linked_target, linked_note, linked_result = self.linked(indicator)
        # 전년 실적(전년 목표) as the plan states it, or else last year's own figures.
        if indicator.baseline_actual is not None or indicator.baseline_target is not None:
            baseline_actual, baseline_target = indicator.baseline_actual, indicator.baseline_target
            baseline_unit, baseline_note = indicator.baseline_unit or indicator.unit, ""
        else:
            baseline_actual, baseline_target = linked_result, linked_target
            baseline_unit = indicator.previous.unit if indicator.previous else indicator.unit
            baseline_note = linked_note
        target_figure = target.figure if target else None
        mine = [unit for unit in unit_figures if unit.unit_project.indicator_id == indicator.id]
        steps = indicator.milestone_steps
        own_result = self.results[("i", indicator.id)].get(Period.YEAR)
        return IndicatorFigures(
            indicator=indicator,
            target=target_figure,
            target_note=target.note if target else "",
            targets={target_year: t.figure for target_year, t in targets.items()},
            quarters=quarters,
            cumulative=cumulative,
            result=result,
            result_note=own_result.note if own_result else "",
            achievement=figures.achievement(target_figure, result, indicator.direction, steps),
            baseline_actual=baseline_actual,
            baseline_target=baseline_target,
            baseline_unit=baseline_unit,
            change=figures.change(target_figure, baseline_target, indicator.is_new),
            pace=_pace(indicator, cumulative[self.quarter], target_figure, self.quarter),
            unit_projects=mine,
            results=self.results[("i", indicator.id)],
            baseline_note=baseline_note,
            linked_target=linked_target,
            linked_result=linked_result,
            is_confirmed=is_confirmed,
            original_target=target.original if target else None,
        )

    def linked(self, indicator):
        """Last year's target, its note, and result of the indicator this one continues."""
        previous = indicator.previous
        if previous is None:
            return None, "", None
        target = self.targets[("i", previous.id)].get(self.plan.year - 1)
        return (target.figure if target else None, target.note if target else "",
                self.year_value(previous))


@dataclass(frozen=True)
class TargetRow:
    indicator_id: Optional[int]
    unit_project_id: Optional[int]
    year: int
    value: Optional[Decimal]
    state: str
    note: str
    revised_value: Optional[Decimal] = None
    revised_state: Optional[str] = None

    @property
    def is_revised(self):
        return self.revised_value is not None or bool(self.revised_state)

    @property
    def original(self):
        """당초 목표."""
        return self.value if self.value is not None else (self.state or None)

    @property
    def figure(self):
        """The target in force: 변경 where it was revised, 당초 otherwise."""
        if self.is_revised:
            return self.revised_value if self.revised_value is not None else self.revised_state
        return self.original


def _pace(indicator, so_far, target, quarter):
    return figures.pace(so_far, target, quarter, indicator.rollup, indicator.direction,
                        indicator.milestone_steps)


def _cumulative(quarters, rule):
    """The year so far at the end of each quarter."""
    return {quarter: figures.rollup([quarters[q] for q in figures.QUARTERS if q <= quarter], rule)
            for quarter in figures.QUARTERS}


def _key(row):
    return ("i", row.indicator_id) if row.indicator_id else ("u", row.unit_project_id)


def _figure(result):
    return result.figure if result is not None else None
